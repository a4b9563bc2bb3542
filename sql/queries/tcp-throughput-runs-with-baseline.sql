-- TCP throughput per run, for the throughput page's strip plot: every successful client-side
-- iperf3 TCP run the filters select (role 'run'), plus the bare-metal runs that share a comparison
-- key with any of them (role 'baseline'; matched by key within the chosen campaign, as
-- GET /v1/compare matches them, whatever the other filters), so each group
-- is drawn against its own matched baseline, not the fastest bare metal of any profile.
-- params: platform, scenario, hardware_profile, campaign, date_from, date_to
WITH chosen AS (
  SELECT run_id, platform, scenario, campaign, coalesce(hardware_profile, '(none)') AS hardware_profile,
    comparison_key, repetition, started_at, date, throughput_bps, ceiling_bps
  FROM tcp_throughput_runs_where($1, $2, $3, $4, $5, $6)
),
bare AS (
  SELECT run_id, platform, scenario, campaign, coalesce(hardware_profile, '(none)') AS hardware_profile,
    comparison_key, repetition, started_at, date, throughput_bps, ceiling_bps
  FROM tcp_throughput_runs
  WHERE platform = 'baremetal' AND campaign_matches($4, campaign)
)
SELECT 'run' AS role, * FROM chosen
UNION ALL
SELECT 'baseline' AS role, b.* FROM bare b
WHERE b.comparison_key IN (SELECT comparison_key FROM chosen)
  AND b.run_id NOT IN (SELECT run_id FROM chosen)
ORDER BY hardware_profile, platform, scenario, started_at, run_id
