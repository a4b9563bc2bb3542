-- Every client-side iperf3 TCP and qperf tcp_lat run in a date window, one row per run, failed
-- runs included (status 'error'): the samples behind the scheduled report's statistics (median,
-- p5/p95, CV, Welch-log CIs are computed from these rows by functions/core/compare). The run's own
-- bottleneck columns follow, so the report's `limited_by` is the one GET /v1/compare gives.
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
  date,
  direction,
  protocol,
  cpu_local_percent,
  cpu_remote_percent,
  retransmits,
  sender_bytes,
  tcp_mss_bytes,
  mtu,
  link_mtu,
  nic_speed_bps,
  source_host,
  destination_host,
  software
FROM client_runs_where(NULL, NULL, NULL, NULL, $1, $2)
WHERE (tool = 'iperf3' AND (test = 'tcp' OR status = 'error'))
  OR (tool = 'qperf' AND (test = 'tcp_lat' OR status = 'error'))
ORDER BY platform, scenario, hardware_profile, tool, started_at, run_id
