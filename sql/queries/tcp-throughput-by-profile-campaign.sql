-- Server-side iperf3 documents are left out: their client document is the same test.
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
FROM runs
WHERE tool = 'iperf3' AND test = 'tcp' AND role IS DISTINCT FROM 'server' AND status = 'ok' AND throughput_bps IS NOT NULL
  AND ($1::VARCHAR IS NULL OR platform = $1)
  AND ($2::VARCHAR IS NULL OR scenario = $2)
  AND ($3::VARCHAR IS NULL OR hardware_profile = $3)
  AND ($4::VARCHAR IS NULL OR campaign = $4)
  AND ($5::VARCHAR IS NULL OR date >= $5)
  AND ($6::VARCHAR IS NULL OR date <= $6)
GROUP BY ALL
ORDER BY scenario, hardware_profile, campaign
