-- Server-side iperf3 documents are left out: their client document is the same test.
-- OpenStack vs KubeVirt side by side (bare metal as the reference): per platform and scenario,
-- the median iperf3 TCP throughput and the median qperf tcp_lat latency.
-- params: platform, scenario, hardware_profile, campaign, date_from, date_to
SELECT
  platform,
  scenario,
  count(*) FILTER (WHERE tool = 'iperf3')::INTEGER AS throughput_n,
  quantile_cont(throughput_bps, 0.5) FILTER (WHERE tool = 'iperf3') AS median_throughput_bps,
  count(*) FILTER (WHERE tool = 'qperf')::INTEGER AS latency_n,
  quantile_cont(latency_s, 0.5) FILTER (WHERE tool = 'qperf') AS median_latency_s
FROM runs
WHERE status = 'ok'
  AND platform IN ('openstack', 'kubevirt', 'baremetal')
  AND ((tool = 'iperf3' AND test = 'tcp' AND role IS DISTINCT FROM 'server' AND throughput_bps IS NOT NULL)
    OR (tool = 'qperf' AND test = 'tcp_lat' AND latency_s IS NOT NULL))
  AND ($1::VARCHAR IS NULL OR platform = $1)
  AND ($2::VARCHAR IS NULL OR scenario = $2)
  AND ($3::VARCHAR IS NULL OR hardware_profile = $3)
  AND ($4::VARCHAR IS NULL OR campaign = $4)
  AND ($5::VARCHAR IS NULL OR date >= $5)
  AND ($6::VARCHAR IS NULL OR date <= $6)
GROUP BY platform, scenario
ORDER BY platform, scenario
