-- Successful iperf3 TCP runs, newest first: the run picker of the time-series page.
-- params: platform, scenario, hardware_profile, campaign, date_from, date_to
SELECT run_id, platform, scenario, campaign, hardware_profile, started_at, throughput_bps
FROM runs
WHERE tool = 'iperf3' AND test = 'tcp' AND status = 'ok'
  AND ($1::VARCHAR IS NULL OR platform = $1)
  AND ($2::VARCHAR IS NULL OR scenario = $2)
  AND ($3::VARCHAR IS NULL OR hardware_profile = $3)
  AND ($4::VARCHAR IS NULL OR campaign = $4)
  AND ($5::VARCHAR IS NULL OR date >= $5)
  AND ($6::VARCHAR IS NULL OR date <= $6)
ORDER BY started_at DESC NULLS LAST, run_id
LIMIT 1000
