-- All repetitions of a run's scenario: the sum rows (stream = -1) of every successful iperf3 TCP
-- run with the same platform, scenario, hardware profile and comparison key as the chosen run,
-- for the time-series page's overlay. Omitted (warm-up) intervals are included, flagged.
-- params: run_id
WITH chosen AS (
  SELECT platform, scenario, hardware_profile, comparison_key
  FROM tcp_throughput_runs
  WHERE run_id = $1
)
SELECT
  r.run_id,
  r.repetition,
  r.started_at,
  r.throughput_bps,
  i.direction,
  i.start_s,
  i.end_s,
  i.bits_per_second,
  i.omitted
FROM tcp_throughput_runs r
JOIN chosen c
  ON r.platform IS NOT DISTINCT FROM c.platform
  AND r.scenario IS NOT DISTINCT FROM c.scenario
  AND r.hardware_profile IS NOT DISTINCT FROM c.hardware_profile
  AND r.comparison_key IS NOT DISTINCT FROM c.comparison_key
JOIN client_intervals i ON i.run_id = r.run_id AND i.stream = -1
ORDER BY r.started_at DESC NULLS LAST, r.run_id, i.direction, i.start_s
