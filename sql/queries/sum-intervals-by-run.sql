-- Per-second time series of one run: the iperf3 sum rows (stream = -1) of `intervals`.
-- params: run_id
SELECT
  run_id,
  direction,
  start_s,
  end_s,
  bits_per_second,
  bytes,
  retransmits,
  omitted
FROM client_intervals
WHERE run_id = $1 AND stream = -1
ORDER BY direction, start_s
