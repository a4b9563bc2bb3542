import type { IntervalRow } from '#schemas/tables.ts'
import { allValues, flowDirection, streamOf } from './document-context.ts'
import type { DocumentContext } from './document-context.ts'
import { arrAt, asObj, count, duration, flag, nonNeg, num, objAt } from './read-fields.ts'
import type { Obj } from './read-fields.ts'

/**
 * `intervals[]` → interval rows: one per stream per interval (stream = index in `start.connected`
 * order) and one sum row per interval and direction (stream -1). Direction is the flow's:
 * 'forward' client → server, 'reverse' server → client, from each object's `sender` flag (3.7+)
 * read against the document's role, else from the run's `-R` setting.
 * The rows are appended to `rows`; with `rows` null every field is still read and checked (the
 * same rejections and warnings) but nothing is kept: the verdict alone. Returns the row count.
 */
export function intervalRows(
  ctx: DocumentContext,
  runId: string,
  rows: IntervalRow[] | null,
): number {
  let rowCount = 0
  const keep = (row: IntervalRow) => {
    rowCount++
    if (rows !== null) rows.push(row)
  }
  const intervals = arrAt(ctx.doc, 'intervals', '')
  for (let i = 0; i < intervals.length; i++) {
    const base = `intervals[${i}]`
    const interval = asObj(intervals[i], base)
    const streams = arrAt(interval, 'streams', base)
    for (let j = 0; j < streams.length; j++) {
      const path = `${base}.streams[${j}]`
      const s = asObj(streams[j], path)
      const row = fill(ctx, s, path, runId)
      row.socket = count(s, 'socket', path, ctx.sink)
      row.stream = streamOf(ctx, row.socket, j)
      keep(row)
    }
    const sums = allValues(ctx, interval, 'sum')
    for (let k = 0; k < sums.length; k++) {
      const path = sums.length > 1 ? `${base}.sum#${k + 1}` : `${base}.sum`
      if (sums[k] === null) continue
      const row = fill(ctx, asObj(sums[k], path), path, runId)
      row.stream = -1
      if (sums.length > 1 && row.sender === null) row.direction = k === 0 ? 'forward' : 'reverse'
      keep(row)
    }
    const reverse = objAt(interval, 'sum_bidir_reverse', base)
    if (reverse !== null) {
      const row = fill(ctx, reverse, `${base}.sum_bidir_reverse`, runId)
      row.stream = -1
      if (row.sender === null) row.direction = 'reverse'
      keep(row)
    }
  }
  return rowCount
}

function fill(ctx: DocumentContext, s: Obj, path: string, runId: string): IntervalRow {
  const sink = ctx.sink
  duration(s, 'seconds', path, sink) // validated (a negative span rejects the document), not stored
  const sender = flag(s, 'sender')
  // One literal in column order: a single hidden class for every row, which keeps this loop fast.
  return {
    run_id: runId,
    stream: null,
    direction: flowDirection(ctx, sender),
    start_s: num(s, 'start', path, sink),
    end_s: num(s, 'end', path, sink),
    bytes: count(s, 'bytes', path, sink),
    bits_per_second: nonNeg(s, 'bits_per_second', path, sink),
    retransmits: count(s, 'retransmits', path, sink),
    snd_cwnd_bytes: count(s, 'snd_cwnd', path, sink),
    rtt_us: nonNeg(s, 'rtt', path, sink),
    rttvar_us: nonNeg(s, 'rttvar', path, sink),
    pmtu_bytes: count(s, 'pmtu', path, sink),
    omitted: flag(s, 'omitted'),
    jitter_ms: nonNeg(s, 'jitter_ms', path, sink),
    lost_packets: count(s, 'lost_packets', path, sink),
    packets: count(s, 'packets', path, sink),
    socket: null,
    sender,
  }
}
