-- TCP latency per scenario: qperf tcp_lat one-way latency (lower is better), median with p5–p95.
-- params: platform, scenario, hardware_profile, campaign, date_from, date_to
SELECT
  platform,
  scenario,
  count(*)::INTEGER AS n,
  quantile_cont(latency_s, 0.5) AS median_latency_s,
  quantile_cont(latency_s, 0.05) AS p5_latency_s,
  quantile_cont(latency_s, 0.95) AS p95_latency_s
FROM runs
WHERE tool = 'qperf' AND test = 'tcp_lat' AND status = 'ok' AND latency_s IS NOT NULL
  AND ($1::VARCHAR IS NULL OR platform = $1)
  AND ($2::VARCHAR IS NULL OR scenario = $2)
  AND ($3::VARCHAR IS NULL OR hardware_profile = $3)
  AND ($4::VARCHAR IS NULL OR campaign = $4)
  AND ($5::VARCHAR IS NULL OR date >= $5)
  AND ($6::VARCHAR IS NULL OR date <= $6)
GROUP BY platform, scenario
ORDER BY median_latency_s, platform, scenario
