-- Overhead vs bare metal, as samples: every successful iperf3 TCP run of a virtual scenario, and
-- every bare-metal run sharing its comparison key (same hardware profile, NIC speed, link MTU and
-- tool settings). The notebook computes 1 − median(scenario) / median(baseline) with a bootstrap
-- CI from these rows (functions/core/compare), so notebook, reports and API agree. The filters
-- select the scenario runs; their baselines are matched by key alone.
-- params: platform, scenario, hardware_profile, campaign, date_from, date_to
WITH scenario_runs AS (
  SELECT * FROM tcp_throughput_runs_where($1, $2, $3, $4, $5, $6)
  WHERE platform <> 'baremetal'
)
SELECT s.platform, s.scenario, s.hardware_profile, s.comparison_key, 'scenario' AS role, s.run_id, s.throughput_bps
FROM scenario_runs s
UNION ALL
SELECT DISTINCT s.platform, s.scenario, s.hardware_profile, s.comparison_key, 'baseline' AS role, b.run_id, b.throughput_bps
FROM scenario_runs s
JOIN tcp_throughput_runs b ON b.platform = 'baremetal' AND b.comparison_key IS NOT DISTINCT FROM s.comparison_key
ORDER BY platform, scenario, role, run_id
