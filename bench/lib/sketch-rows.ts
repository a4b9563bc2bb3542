import type { IntervalRow, RunRow } from '#schemas/tables.ts'
import { emptyIntervalRow, emptyRunRow, runIdFor, sha256Hex } from '#core/rows.ts'

/**
 * Canonical rows for one iperf3 document, made by a minimal local mapping (no validation, no
 * warnings). Only for the Parquet writer benchmark, so it can run without the real normalizer;
 * the ingest benchmark uses `normalizeRaw`.
 */
export function sketchRows(text: string): { runs: RunRow[]; intervals: IntervalRow[] } {
  const doc = JSON.parse(text)
  const sha = sha256Hex(text)
  const runId = runIdFor(sha, 0)
  const run: RunRow = {
    ...emptyRunRow(),
    run_id: runId,
    raw_key: `raw/date=2026-11-26/${sha}.json`,
    raw_sha256: sha,
    document_index: 0,
    tool: 'iperf3',
    tool_version: String(doc.start?.version ?? '').replace('iperf ', ''),
    status: 'ok',
    protocol: 'tcp',
    direction: 'forward',
    streams: doc.start?.test_start?.num_streams ?? null,
    duration_s: doc.start?.test_start?.duration ?? null,
    started_at: new Date((doc.start?.timestamp?.timesecs ?? 0) * 1000).toISOString(),
    sender_bps: doc.end?.sum_sent?.bits_per_second ?? null,
    receiver_bps: doc.end?.sum_received?.bits_per_second ?? null,
    throughput_bps: doc.end?.sum_received?.bits_per_second ?? null,
    sender_bytes: doc.end?.sum_sent?.bytes ?? null,
    receiver_bytes: doc.end?.sum_received?.bytes ?? null,
    retransmits: doc.end?.sum_sent?.retransmits ?? null,
    platform: 'baremetal',
    scenario: 'bench',
    date: '2026-11-26',
  }
  const intervals: IntervalRow[] = []
  for (const interval of doc.intervals ?? []) {
    interval.streams.forEach((s: Record<string, number | boolean>, i: number) => {
      intervals.push(intervalRow(runId, i, s))
    })
    intervals.push(intervalRow(runId, -1, interval.sum))
  }
  return { runs: [run], intervals }
}

function intervalRow(
  runId: string,
  stream: number,
  s: Record<string, number | boolean>,
): IntervalRow {
  return {
    ...emptyIntervalRow(),
    run_id: runId,
    stream,
    direction: 'forward',
    start_s: s.start as number,
    end_s: s.end as number,
    bytes: s.bytes as number,
    bits_per_second: s.bits_per_second as number,
    retransmits: (s.retransmits as number) ?? null,
    snd_cwnd_bytes: (s.snd_cwnd as number) ?? null,
    rtt_us: (s.rtt as number) ?? null,
    rttvar_us: (s.rttvar as number) ?? null,
    pmtu_bytes: (s.pmtu as number) ?? null,
    omitted: s.omitted as boolean,
    socket: (s.socket as number) ?? null,
    sender: s.sender as boolean,
  }
}
