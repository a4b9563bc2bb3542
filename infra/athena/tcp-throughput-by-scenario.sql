-- Athena (Trino) version of sql/queries/tcp-throughput-by-scenario.sql: iperf3 TCP client runs
-- that succeeded, per platform and scenario, approximate median and p5/p95 (approx_percentile,
-- not the exact quantile_cont of the notebook). Narrow by day with the partition key `date`.
SELECT
  platform_label AS platform,
  scenario,
  CAST(count(*) AS INTEGER) AS n,
  approx_percentile(throughput_bps, 0.5) AS median_bps,
  approx_percentile(throughput_bps, 0.05) AS p5_bps,
  approx_percentile(throughput_bps, 0.95) AS p95_bps,
  avg(throughput_bps) AS mean_bps,
  approx_percentile(ceiling_bps, 0.5) AS ceiling_bps
FROM runs
WHERE role IS DISTINCT FROM 'server'
  AND tool = 'iperf3' AND test = 'tcp' AND status = 'ok' AND throughput_bps IS NOT NULL
  AND "date" >= '2020-01-01'
GROUP BY platform_label, scenario
ORDER BY median_bps DESC, platform, scenario
