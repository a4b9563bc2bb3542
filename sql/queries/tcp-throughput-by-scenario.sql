-- TCP throughput per scenario: iperf3 TCP runs that succeeded, median with p5–p95 spread and the
-- theoretical ceiling (null when the runs carry no NIC speed / MTU labels).
-- params: platform, scenario, hardware_profile, campaign, date_from, date_to
SELECT
  platform,
  scenario,
  count(*)::INTEGER AS n,
  quantile_cont(throughput_bps, 0.5) AS median_bps,
  quantile_cont(throughput_bps, 0.05) AS p5_bps,
  quantile_cont(throughput_bps, 0.95) AS p95_bps,
  avg(throughput_bps) AS mean_bps,
  quantile_cont(ceiling_bps, 0.5) AS ceiling_bps
FROM tcp_throughput_runs_where($1, $2, $3, $4, $5, $6)
GROUP BY platform, scenario
ORDER BY median_bps DESC, platform, scenario
