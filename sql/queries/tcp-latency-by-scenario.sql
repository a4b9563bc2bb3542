-- TCP latency per scenario: qperf tcp_lat one-way latency (lower is better), median with p5–p95.
-- params: platform, scenario, hardware_profile, campaign, date_from, date_to
SELECT
  platform,
  scenario,
  count(*)::INTEGER AS n,
  quantile_cont(latency_s, 0.5) AS median_latency_s,
  quantile_cont(latency_s, 0.05) AS p5_latency_s,
  quantile_cont(latency_s, 0.95) AS p95_latency_s
FROM tcp_latency_runs_where($1, $2, $3, $4, $5, $6)
GROUP BY platform, scenario
ORDER BY median_latency_s, platform, scenario
