-- Every interval row of one run, per stream and the sum (stream = -1): the time-series page's
-- throughput, retransmit, RTT and cwnd panels. Omitted (warm-up) intervals are included, flagged.
-- params: run_id
SELECT
  run_id,
  stream,
  direction,
  start_s,
  end_s,
  bits_per_second,
  retransmits,
  rtt_us,
  snd_cwnd_bytes,
  omitted
FROM client_intervals
WHERE run_id = $1
ORDER BY direction, stream, start_s
