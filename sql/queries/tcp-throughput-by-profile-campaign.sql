-- The same scenario across hardware profiles and campaigns: median iperf3 TCP throughput with
-- p5–p95 per (scenario, hardware profile, campaign).
-- params: platform, scenario, hardware_profile, campaign, date_from, date_to
SELECT
  scenario,
  coalesce(hardware_profile, '(none)') AS hardware_profile,
  coalesce(campaign, '(none)') AS campaign,
  count(*)::INTEGER AS n,
  quantile_cont(throughput_bps, 0.5) AS median_bps,
  quantile_cont(throughput_bps, 0.05) AS p5_bps,
  quantile_cont(throughput_bps, 0.95) AS p95_bps,
  min(date) AS first_date,
  max(date) AS last_date
FROM tcp_throughput_runs_where($1, $2, $3, $4, $5, $6)
GROUP BY scenario, coalesce(hardware_profile, '(none)'), coalesce(campaign, '(none)')
ORDER BY scenario, hardware_profile, campaign
