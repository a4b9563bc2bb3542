-- Per-second TCP throughput per scenario (benchmark query over `intervals`): the iperf3 sum rows
-- (stream = -1) of successful TCP runs, outside the warm-up, joined to their runs; median with
-- p5–p95 per platform and scenario.
SELECT
  r.platform,
  r.scenario,
  count(*)::INTEGER AS n,
  quantile_cont(i.bits_per_second, 0.5) AS median_bps,
  quantile_cont(i.bits_per_second, 0.05) AS p5_bps,
  quantile_cont(i.bits_per_second, 0.95) AS p95_bps
FROM intervals i
JOIN runs r ON r.run_id = i.run_id
WHERE i.stream = -1 AND NOT coalesce(i.omitted, false)
  AND r.tool = 'iperf3' AND r.test = 'tcp' AND r.status = 'ok'
GROUP BY r.platform, r.scenario
ORDER BY median_bps DESC, r.platform, r.scenario
