-- Athena (Trino) version of sql/queries/tcp-medians-by-platform-scenario.sql: OpenStack vs
-- KubeVirt (bare metal as the reference), approximate median throughput and latency side by side.
WITH client AS (
  SELECT platform_label AS platform, scenario, tool, test, status, throughput_bps, latency_s
  FROM runs
  WHERE role IS DISTINCT FROM 'server' AND status = 'ok' AND "date" >= '2020-01-01'
)
SELECT
  platform,
  scenario,
  CAST(count_if(tool = 'iperf3' AND test = 'tcp' AND throughput_bps IS NOT NULL) AS INTEGER) AS throughput_n,
  approx_percentile(throughput_bps, 0.5) FILTER (WHERE tool = 'iperf3' AND test = 'tcp') AS median_throughput_bps,
  CAST(count_if(tool = 'qperf' AND test = 'tcp_lat' AND latency_s IS NOT NULL) AS INTEGER) AS latency_n,
  approx_percentile(latency_s, 0.5) FILTER (WHERE tool = 'qperf' AND test = 'tcp_lat') AS median_latency_s
FROM client
WHERE platform IN ('openstack', 'kubevirt', 'baremetal')
GROUP BY platform, scenario
ORDER BY platform, scenario
