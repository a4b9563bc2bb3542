-- TCP latency per hardware profile, scenario and comparison key: qperf tcp_lat one-way latency
-- (lower is better), median with p5–p95.
-- params: platform, scenario, hardware_profile, campaign, date_from, date_to
SELECT
  hardware_profile,
  platform,
  scenario,
  comparison_key,
  count(*)::INTEGER AS n,
  quantile_cont(latency_s, 0.5) AS median_latency_s,
  quantile_cont(latency_s, 0.05) AS p5_latency_s,
  quantile_cont(latency_s, 0.95) AS p95_latency_s
FROM tcp_latency_runs_where($1, $2, $3, $4, $5, $6)
GROUP BY hardware_profile, platform, scenario, comparison_key
ORDER BY hardware_profile, median_latency_s, platform, scenario, comparison_key
