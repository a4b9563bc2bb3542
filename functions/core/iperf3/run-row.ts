import type { RunRow } from '#schemas/tables.ts'
import { PARSER_VERSION, emptyRunRow, runIdFor } from '#core/rows.ts'
import type { RawContext } from '#schemas/parse-result.ts'
import { allValues, flowDirection } from './document-context.ts'
import type { DocumentContext } from './document-context.ts'
import { arrAt, count, duration, flag, nonNeg, num, objAt, str, warn } from './read-fields.ts'
import type { Obj } from './read-fields.ts'

/** The end summaries of one flow: `sum_sent`/`sum_received` (TCP, UDP 3.11+) or UDP ≤ 3.10 `sum`. */
interface FlowSums {
  sent: Obj | null
  received: Obj | null
  udpSum: Obj | null
}

/**
 * One document → its run row (DESIGN.md §2 `runs`). The headline flow is the client → server one
 * (or server → client under `-R`); for `--bidir` the server → client flow fills `reverse_*`.
 * `throughput_bps` is the headline flow's receiver goodput (reference §1.10), never the sender's.
 */
export function runRow(ctx: DocumentContext, raw: RawContext, documentIndex: number): RunRow {
  const { start, testStart, end, sink } = ctx
  const run = emptyRunRow()
  run.run_id = runIdFor(raw.raw_sha256, documentIndex)
  run.raw_key = raw.raw_key
  run.raw_sha256 = raw.raw_sha256
  run.document_index = documentIndex
  run.tool = 'iperf3'
  run.tool_version = ctx.version?.text ?? null
  run.parser_version = PARSER_VERSION
  run.test = ctx.protocol
  run.protocol = ctx.protocol
  run.role = ctx.role
  run.direction = ctx.bidir
    ? 'bidir'
    : ctx.reverse
      ? 'reverse'
      : testStart === null
        ? null
        : 'forward'
  const ts = 'start.test_start'
  run.streams = count(testStart, 'num_streams', ts, sink)
  run.bytes_limit = positive(count(testStart, 'bytes', ts, sink))
  run.blocks_limit = positive(count(testStart, 'blocks', ts, sink))
  const requested = duration(testStart, 'duration', ts, sink)
  run.duration_s =
    requested === 0 && (run.bytes_limit !== null || run.blocks_limit !== null) ? null : requested
  run.omit_s = duration(testStart, 'omit', ts, sink)
  run.msg_size_bytes = count(testStart, 'blksize', ts, sink)
  run.started_at = startedAt(objAt(start, 'timestamp', 'start'), sink)
  if (ctx.protocol !== 'udp') {
    run.tcp_mss_bytes =
      positive(count(start, 'tcp_mss', 'start', sink)) ??
      positive(count(start, 'tcp_mss_default', 'start', sink))
  }
  run.target_bitrate_bps =
    positive(nonNeg(testStart, 'target_bitrate', ts, sink)) ??
    positive(nonNeg(start, 'target_bitrate', 'start', sink))
  run.congestion_control = str(end, 'sender_tcp_congestion', 'end')
  const cpu = objAt(end, 'cpu_utilization_percent', 'end')
  run.cpu_local_percent = nonNeg(cpu, 'host_total', 'end.cpu_utilization_percent', sink)
  const remote = nonNeg(cpu, 'remote_total', 'end.cpu_utilization_percent', sink)
  const remoteParts = (cpu?.remote_user ?? 0) === 0 && (cpu?.remote_system ?? 0) === 0
  run.cpu_remote_percent = remote === 0 && remoteParts ? null : remote

  const [main, second] = flows(ctx)
  fillMain(ctx, run, main)
  if (ctx.bidir && second) {
    run.reverse_sender_bps = nonNeg(
      second.sent,
      'bits_per_second',
      'end.sum_sent_bidir_reverse',
      sink,
    )
    run.reverse_receiver_bps = nonNeg(
      second.received,
      'bits_per_second',
      'end.sum_received_bidir_reverse',
      sink,
    )
  }
  run.rtt_mean_us = meanRtt(ctx)
  return run
}

function fillMain(ctx: DocumentContext, run: RunRow, flow: FlowSums | null): void {
  const sink = ctx.sink
  if (flow === null) return
  if (flow.received === null && flow.udpSum !== null) {
    fillUdpSumOnly(ctx, run, flow.udpSum)
    return
  }
  run.sender_bps = nonNeg(flow.sent, 'bits_per_second', 'end.sum_sent', sink)
  run.sender_bytes = count(flow.sent, 'bytes', 'end.sum_sent', sink)
  run.retransmits = count(flow.sent, 'retransmits', 'end.sum_sent', sink)
  run.receiver_bps = nonNeg(flow.received, 'bits_per_second', 'end.sum_received', sink)
  run.receiver_bytes = count(flow.received, 'bytes', 'end.sum_received', sink)
  if (run.sender_bytes === 0 && (run.receiver_bytes ?? 0) > 0) {
    warn(
      sink,
      'sender-summary-zero',
      "end.sum_sent reports 0 bytes while the receiver got data (the peer's counts were not exchanged); sender values read as null",
      'end.sum_sent',
    )
    run.sender_bps = run.sender_bytes = run.retransmits = null
  }
  if (ctx.protocol !== 'udp' && run.receiver_bytes === 0 && (run.sender_bytes ?? 0) > 0) {
    warn(
      sink,
      'receiver-summary-zero',
      "end.sum_received reports 0 bytes while the sender sent data (the peer's counts were not exchanged); receiver values read as null",
      'end.sum_received',
    )
    run.receiver_bps = run.receiver_bytes = null
  }
  run.throughput_bps = run.receiver_bps
  if (ctx.protocol === 'udp') {
    const p = 'end.sum_received'
    run.jitter_ms = nonNeg(flow.received, 'jitter_ms', p, sink)
    run.lost_packets = count(flow.received, 'lost_packets', p, sink)
    run.packets = count(flow.received, 'packets', p, sink)
    run.lost_percent = nonNeg(flow.received, 'lost_percent', p, sink)
  }
}

/**
 * UDP up to 3.10 has only `end.sum`: loss and jitter are the receiver's, bytes and rate the
 * sender's (PR #1174). Receiver goodput is derived as (packets − lost) × blksize × 8 / seconds.
 */
function fillUdpSumOnly(ctx: DocumentContext, run: RunRow, sum: Obj): void {
  const sink = ctx.sink
  const p = 'end.sum'
  run.sender_bps = nonNeg(sum, 'bits_per_second', p, sink)
  run.sender_bytes = count(sum, 'bytes', p, sink)
  run.jitter_ms = nonNeg(sum, 'jitter_ms', p, sink)
  run.lost_packets = count(sum, 'lost_packets', p, sink)
  run.packets = count(sum, 'packets', p, sink)
  run.lost_percent = nonNeg(sum, 'lost_percent', p, sink)
  const seconds = nonNeg(sum, 'seconds', p, sink)
  const blksize = run.msg_size_bytes
  if (
    run.packets !== null &&
    run.lost_packets !== null &&
    blksize !== null &&
    seconds !== null &&
    seconds > 0 &&
    run.lost_packets <= run.packets
  ) {
    run.receiver_bytes = (run.packets - run.lost_packets) * blksize
    run.receiver_bps = (run.receiver_bytes * 8) / seconds
    run.throughput_bps = run.receiver_bps
    warn(
      sink,
      'derived-udp-goodput',
      "UDP output before 3.11 has only end.sum, whose rate is the sender's; receiver goodput derived as (packets - lost_packets) x blksize x 8 / seconds",
      p,
    )
  } else {
    warn(
      sink,
      'udp-goodput-unknown',
      "UDP output before 3.11 has only end.sum, whose rate is the sender's, and receiver goodput cannot be derived (packets, lost_packets, blksize or seconds missing); throughput left null",
      p,
    )
  }
}

/** [headline flow, bidir server → client flow], picking between repeated keys by `sender` flag. */
function flows(ctx: DocumentContext): [FlowSums | null, FlowSums | null] {
  const end = ctx.end
  if (end === null) return [null, null]
  const sent = allValues(ctx, end, 'sum_sent').filter(isObj)
  const received = allValues(ctx, end, 'sum_received').filter(isObj)
  const sums = allValues(ctx, end, 'sum').filter(isObj)
  if (sent.length === 0 && received.length === 0 && sums.length === 0) return [null, null]
  const main: FlowSums = {
    sent: pick(ctx, sent, 0),
    received: pick(ctx, received, 0),
    udpSum: pick(ctx, sums, 0),
  }
  const second: FlowSums = {
    sent: objAt(end, 'sum_sent_bidir_reverse', 'end') ?? pick(ctx, sent, 1),
    received: objAt(end, 'sum_received_bidir_reverse', 'end') ?? pick(ctx, received, 1),
    udpSum: objAt(end, 'sum_bidir_reverse', 'end') ?? pick(ctx, sums, 1),
  }
  return [main, second]
}

/** Among repeated summaries, the `which`-th flow (0 forward, 1 reverse) by `sender` flag, else by order. */
function pick(ctx: DocumentContext, list: Obj[], which: 0 | 1): Obj | null {
  if (list.length <= 1) return which === 0 ? (list[0] ?? null) : null
  const want = which === 0 ? 'forward' : 'reverse'
  const flagged = list.find(
    (o) => typeof o.sender === 'boolean' && flowDirection(ctx, o.sender) === want,
  )
  return flagged ?? list[which] ?? null
}

/** Mean of the streams' `mean_rtt` on the side that sends the headline flow, weighted by bytes. */
function meanRtt(ctx: DocumentContext): number | null {
  const headlineLocalSends =
    ctx.bidir || !ctx.reverse ? ctx.role !== 'server' : ctx.role === 'server'
  if (!headlineLocalSends) return null
  const streams = arrAt(ctx.end, 'streams', 'end')
  let weighted = 0
  let weight = 0
  let plain = 0
  let n = 0
  for (let i = 0; i < streams.length; i++) {
    const s = streams[i]
    if (!isObj(s) || !isObj(s.sender)) continue
    const sender = s.sender
    const localSends = flag(sender, 'sender')
    if (localSends === false) continue
    const path = `end.streams[${i}].sender`
    const rtt = nonNeg(sender, 'mean_rtt', path, ctx.sink)
    if (rtt === null || rtt === 0) continue
    const bytes = count(sender, 'bytes', path, ctx.sink) ?? 0
    weighted += rtt * bytes
    weight += bytes
    plain += rtt
    n++
  }
  if (n === 0) return null
  return weight > 0 ? weighted / weight : plain / n
}

function startedAt(timestamp: Obj | null, sink: DocumentContext['sink']): string | null {
  const millis = num(timestamp, 'timemillisecs', 'start.timestamp', sink)
  const secs = num(timestamp, 'timesecs', 'start.timestamp', sink)
  const ms = millis ?? (secs === null ? null : secs * 1000)
  if (ms === null || ms <= 0 || ms > 8.64e15) return null
  return new Date(ms).toISOString()
}

function positive(v: number | null): number | null {
  return v === null || v <= 0 ? null : v
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}
