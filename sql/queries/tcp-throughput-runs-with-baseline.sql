-- TCP throughput per run, for the throughput page's strip plot: every successful client-side
-- iperf3 TCP run the filters select (role 'run'), plus the bare-metal runs that share a comparison
-- key with any of them (role 'baseline'; matched by key alone, whatever the filters), so each group
-- is drawn against its own matched baseline, not the fastest bare metal of any profile.
-- Reads `runs` with role IS DISTINCT FROM 'server' until the shared `tcp_throughput_runs` view lands.
-- params: platform, scenario, hardware_profile, campaign, date_from, date_to
WITH tcp AS (
  SELECT run_id, platform, scenario, campaign, coalesce(hardware_profile, '(none)') AS hardware_profile,
    comparison_key, repetition, started_at, date, throughput_bps, ceiling_bps
  FROM runs
  WHERE tool = 'iperf3' AND test = 'tcp' AND role IS DISTINCT FROM 'server' AND status = 'ok'
    AND throughput_bps IS NOT NULL
),
chosen AS (
  SELECT * FROM tcp
  WHERE ($1::VARCHAR IS NULL OR platform = $1)
    AND ($2::VARCHAR IS NULL OR scenario = $2)
    AND ($3::VARCHAR IS NULL OR hardware_profile = $3)
    AND ($4::VARCHAR IS NULL OR campaign = $4)
    AND ($5::VARCHAR IS NULL OR date >= $5)
    AND ($6::VARCHAR IS NULL OR date <= $6)
)
SELECT 'run' AS role, * FROM chosen
UNION ALL
SELECT 'baseline' AS role, b.* FROM tcp b
WHERE b.platform = 'baremetal'
  AND b.comparison_key IN (SELECT comparison_key FROM chosen)
  AND b.run_id NOT IN (SELECT run_id FROM chosen)
ORDER BY hardware_profile, platform, scenario, started_at, run_id
