-- Every client-side iperf3 TCP and qperf tcp_lat run in a date window, one row per run, failed
-- runs included (status 'error'): the samples behind the scheduled report's statistics (median,
-- p5/p95, CV, bootstrap CIs are computed from these rows by functions/core/compare). Server-side
-- iperf3 documents (role = 'server') are left out: the client document is the same test.
-- params: date_from, date_to
SELECT
  run_id,
  tool,
  test,
  status,
  platform,
  scenario,
  coalesce(hardware_profile, '(none)') AS hardware_profile,
  comparison_key,
  throughput_bps,
  latency_s,
  ceiling_fraction,
  started_at,
  date
FROM runs
WHERE tool IN ('iperf3', 'qperf')
  AND ((tool = 'iperf3' AND (test = 'tcp' OR status = 'error'))
    OR (tool = 'qperf' AND (test = 'tcp_lat' OR status = 'error')))
  AND role IS DISTINCT FROM 'server'
  AND ($1::VARCHAR IS NULL OR date >= $1)
  AND ($2::VARCHAR IS NULL OR date <= $2)
ORDER BY platform, scenario, hardware_profile, tool, started_at, run_id
