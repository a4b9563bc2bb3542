-- Successful iperf3 TCP client runs, newest first: the run picker of the time-series page.
-- params: platform, scenario, hardware_profile, campaign, date_from, date_to
SELECT run_id, platform, scenario, campaign, hardware_profile, started_at, throughput_bps
FROM tcp_throughput_runs_where($1, $2, $3, $4, $5, $6)
ORDER BY started_at DESC NULLS LAST, run_id
LIMIT 1000
