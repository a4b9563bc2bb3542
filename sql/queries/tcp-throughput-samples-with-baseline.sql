-- Overhead vs bare metal, as samples: every successful iperf3 TCP run of a virtual scenario, and
-- every bare-metal run sharing its comparison key (same hardware profile, NIC speed, link MTU and
-- tool settings). The notebook and the report run compareRuns (functions/core/compare, the
-- function behind GET /v1/compare) on these rows, so notebook, reports and API agree. The filters
-- select the scenario runs; their baselines are matched by key within the chosen campaign, as
-- GET /v1/compare matches them. The run's own bottleneck
-- columns (CPU, retransmits, MSS/MTU, NIC speed, hosts, software, ceiling) follow, so the
-- notebook's `limited_by` of each side is the one GET /v1/compare gives.
-- params: platform, scenario, hardware_profile, campaign, date_from, date_to
WITH scenario_runs AS (
  SELECT * FROM tcp_throughput_runs_where($1, $2, $3, $4, $5, $6)
  WHERE platform <> 'baremetal'
)
SELECT s.platform, s.scenario, s.hardware_profile, s.comparison_key, 'scenario' AS role, s.run_id, s.throughput_bps,
  s.direction, s.protocol, s.cpu_local_percent, s.cpu_remote_percent, s.retransmits, s.sender_bytes, s.tcp_mss_bytes, s.mtu, s.link_mtu, s.nic_speed_bps, s.source_host, s.destination_host, s.software, s.ceiling_fraction
FROM scenario_runs s
UNION ALL
SELECT DISTINCT s.platform, s.scenario, s.hardware_profile, s.comparison_key, 'baseline' AS role, b.run_id, b.throughput_bps,
  b.direction, b.protocol, b.cpu_local_percent, b.cpu_remote_percent, b.retransmits, b.sender_bytes, b.tcp_mss_bytes, b.mtu, b.link_mtu, b.nic_speed_bps, b.source_host, b.destination_host, b.software, b.ceiling_fraction
FROM scenario_runs s
JOIN tcp_throughput_runs b ON b.platform = 'baremetal' AND b.comparison_key IS NOT DISTINCT FROM s.comparison_key
  AND campaign_matches($4, b.campaign)
ORDER BY platform, scenario, role, run_id
