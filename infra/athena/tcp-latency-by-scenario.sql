-- Athena (Trino) version of sql/queries/tcp-latency-by-scenario.sql: qperf tcp_lat one-way
-- latency per platform and scenario (lower is better), approximate median and p5/p95.
SELECT
  platform_label AS platform,
  scenario,
  CAST(count(*) AS INTEGER) AS n,
  approx_percentile(latency_s, 0.5) AS median_latency_s,
  approx_percentile(latency_s, 0.05) AS p5_latency_s,
  approx_percentile(latency_s, 0.95) AS p95_latency_s
FROM runs
WHERE role IS DISTINCT FROM 'server'
  AND tool = 'qperf' AND test = 'tcp_lat' AND status = 'ok' AND latency_s IS NOT NULL
  AND "date" >= '2020-01-01'
GROUP BY platform_label, scenario
ORDER BY median_latency_s, platform, scenario
