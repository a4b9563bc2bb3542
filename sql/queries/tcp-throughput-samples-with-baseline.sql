-- Server-side iperf3 documents are left out: their client document is the same test.
-- Overhead vs bare metal, as samples: every successful iperf3 TCP run of a virtual scenario, and
-- every bare-metal run sharing its comparison key (same hardware profile, NIC speed, link MTU and
-- tool settings). The notebook computes 1 − median(scenario) / median(baseline) with a bootstrap
-- CI from these rows (functions/core/compare), so notebook, reports and API agree. The filters
-- select the scenario runs; their baselines are matched by key alone.
-- params: platform, scenario, hardware_profile, campaign, date_from, date_to
WITH tcp AS (
  SELECT run_id, platform, scenario, campaign, hardware_profile, date, comparison_key, throughput_bps
  FROM runs
  WHERE tool = 'iperf3' AND test = 'tcp' AND role IS DISTINCT FROM 'server' AND status = 'ok' AND throughput_bps IS NOT NULL
),
scenario_runs AS (
  SELECT * FROM tcp
  WHERE platform <> 'baremetal'
  AND ($1::VARCHAR IS NULL OR platform = $1)
  AND ($2::VARCHAR IS NULL OR scenario = $2)
  AND ($3::VARCHAR IS NULL OR hardware_profile = $3)
  AND ($4::VARCHAR IS NULL OR campaign = $4)
  AND ($5::VARCHAR IS NULL OR date >= $5)
  AND ($6::VARCHAR IS NULL OR date <= $6)
)
SELECT s.platform, s.scenario, s.hardware_profile, s.comparison_key, 'scenario' AS role, s.run_id, s.throughput_bps
FROM scenario_runs s
UNION ALL
SELECT DISTINCT s.platform, s.scenario, s.hardware_profile, s.comparison_key, 'baseline' AS role, b.run_id, b.throughput_bps
FROM scenario_runs s
JOIN tcp b ON b.platform = 'baremetal' AND b.comparison_key IS NOT DISTINCT FROM s.comparison_key
ORDER BY platform, scenario, role, run_id
