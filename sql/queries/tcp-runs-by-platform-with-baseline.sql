-- OpenStack vs KubeVirt per run, for the platforms page's two strip plots: every successful
-- iperf3 TCP run (metric 'throughput_bps') and qperf tcp_lat run (metric 'latency_s') of the three
-- platforms that the filters select (role 'run'), plus the bare-metal runs sharing a comparison key
-- with any of them (role 'baseline', of the chosen campaign as GET /v1/compare takes them, whatever
-- the other filters): one mark per comparison key, never a
-- median over several.
-- params: platform, scenario, hardware_profile, campaign, date_from, date_to
WITH measured AS (
  SELECT 'throughput_bps' AS metric, run_id, platform, scenario,
    coalesce(hardware_profile, '(none)') AS hardware_profile, comparison_key, started_at,
    throughput_bps AS value
  FROM tcp_throughput_runs_where($1, $2, $3, $4, $5, $6)
  UNION ALL
  SELECT 'latency_s' AS metric, run_id, platform, scenario,
    coalesce(hardware_profile, '(none)') AS hardware_profile, comparison_key, started_at,
    latency_s AS value
  FROM tcp_latency_runs_where($1, $2, $3, $4, $5, $6)
),
chosen AS (
  SELECT * FROM measured WHERE platform IN ('openstack', 'kubevirt', 'baremetal')
),
bare AS (
  SELECT 'throughput_bps' AS metric, run_id, platform, scenario,
    coalesce(hardware_profile, '(none)') AS hardware_profile, comparison_key, started_at,
    throughput_bps AS value
  FROM tcp_throughput_runs
  WHERE platform = 'baremetal' AND campaign_matches($4, campaign)
  UNION ALL
  SELECT 'latency_s' AS metric, run_id, platform, scenario,
    coalesce(hardware_profile, '(none)') AS hardware_profile, comparison_key, started_at,
    latency_s AS value
  FROM tcp_latency_runs
  WHERE platform = 'baremetal' AND campaign_matches($4, campaign)
)
SELECT 'run' AS role, * FROM chosen
UNION ALL
SELECT 'baseline' AS role, b.* FROM bare b
WHERE b.comparison_key IN (SELECT comparison_key FROM chosen)
  AND b.run_id NOT IN (SELECT run_id FROM chosen)
ORDER BY metric, hardware_profile, platform, scenario, started_at, run_id
