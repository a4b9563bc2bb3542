-- OpenStack vs KubeVirt side by side (bare metal as the reference): per platform and scenario,
-- the median iperf3 TCP throughput and the median qperf tcp_lat latency, per hardware profile.
-- params: platform, scenario, hardware_profile, campaign, date_from, date_to
WITH measured AS (
  SELECT hardware_profile, platform, scenario, tool, throughput_bps, NULL::DOUBLE AS latency_s, comparison_key
  FROM tcp_throughput_runs_where($1, $2, $3, $4, $5, $6)
  UNION ALL
  SELECT hardware_profile, platform, scenario, tool, NULL::DOUBLE AS throughput_bps, latency_s, comparison_key
  FROM tcp_latency_runs_where($1, $2, $3, $4, $5, $6)
)
SELECT
  hardware_profile,
  platform,
  scenario,
  -- several comparison keys in one row are counted, so the page can say the median mixes them
  count(DISTINCT comparison_key) FILTER (WHERE tool = 'iperf3')::INTEGER AS throughput_keys,
  count(DISTINCT comparison_key) FILTER (WHERE tool = 'qperf')::INTEGER AS latency_keys,
  count(*) FILTER (WHERE tool = 'iperf3')::INTEGER AS throughput_n,
  quantile_cont(throughput_bps, 0.5) FILTER (WHERE tool = 'iperf3') AS median_throughput_bps,
  count(*) FILTER (WHERE tool = 'qperf')::INTEGER AS latency_n,
  quantile_cont(latency_s, 0.5) FILTER (WHERE tool = 'qperf') AS median_latency_s
FROM measured
WHERE platform IN ('openstack', 'kubevirt', 'baremetal')
GROUP BY hardware_profile, platform, scenario
ORDER BY hardware_profile, platform, scenario
