import type { MetricRow, RunRow } from '#schemas/tables.ts'
import type { ParseWarning, RawContext } from '#schemas/parse-result.ts'
import { PARSER_VERSION, emptyRunRow, runIdFor } from '#core/rows.ts'
import type { QperfBlock } from './parse-qperf-text.ts'
import { readValue } from './read-value.ts'
import type { QperfUnitFamily } from './units.ts'

/** One qperf block as canonical rows. */
export interface QperfBlockRows {
  run: RunRow
  metrics: MetricRow[]
  warnings: ParseWarning[]
}

/**
 * Message size each socket test uses when `msg_size` is not set (`socket.c` / `rds.c`
 * `ip_parameters`/`set_parameters` calls); qperf prints it only with `-vu`.
 */
export const DEFAULT_MSG_SIZE_BYTES: Readonly<Record<string, number>> = {
  tcp_bw: 65536,
  tcp_lat: 1,
  udp_bw: 32768,
  udp_lat: 1,
  sctp_bw: 32768,
  sctp_lat: 1,
  sdp_bw: 65536,
  sdp_lat: 1,
  rds_bw: 8192,
  rds_lat: 1,
}

const PROTOCOL = /^(?:ver_)?(tcp|udp|sctp|sdp|rds|rc|uc|ud|xrc)_[a-z0-9_]+$/
const KNOWN_TEST = /^(?:conf|quit|(?:ver_)?(?:tcp|udp|sctp|sdp|rds|rc|uc|ud|xrc)_[a-z0-9_]+)$/

/** Which unit families each column-feeding field may have; anything else is refused. */
const EXPECTED: Readonly<Record<string, readonly QperfUnitFamily[]>> = {
  latency: ['time'],
  bw: ['bandwidth', 'bits'],
  send_bw: ['bandwidth', 'bits'],
  recv_bw: ['bandwidth', 'bits'],
  msg_rate: ['rate'],
  msg_size: ['size', 'binary-size'],
  loc_msg_size: ['size', 'binary-size'],
  time: ['time'],
  loc_time: ['time'],
  loc_cpus_used: ['cpus'],
  rem_cpus_used: ['cpus'],
  send_cpus_used: ['cpus'],
  recv_cpus_used: ['cpus'],
}

/**
 * Build the run row and metrics of one block. `documentIndex` is the block's 0-based position in
 * the file; `toolVersion` comes from a `conf` block when the file has one.
 */
export function blockToRun(
  block: QperfBlock,
  documentIndex: number,
  context: RawContext,
  toolVersion: string | null,
): QperfBlockRows {
  const runId = runIdFor(context.raw_sha256, documentIndex)
  const warnings: ParseWarning[] = []
  const warn = (code: string, line: number | null, message: string) => {
    const at = line === null ? '' : `line ${line}: `
    const warning: ParseWarning = {
      code,
      message: `${at}${message}`,
      document_index: documentIndex,
    }
    if (line !== null) warning.path = `line ${line}`
    warnings.push(warning)
  }
  const metrics: MetricRow[] = []
  const numbers = new Map<
    string,
    { value: number; family: QperfUnitFamily; line: number; rounded: boolean }
  >()
  const seen = new Set<string>()

  if (!KNOWN_TEST.test(block.test))
    warn('unknown-test', block.headerLine, `'${block.test}' is not a qperf test name`)
  for (const field of block.fields) {
    const read = readValue(field.name, field.printed)
    const duplicate = seen.has(field.name)
    seen.add(field.name)
    if (duplicate)
      warn(
        'duplicate-field',
        field.line,
        `'${field.name}' printed twice in block '${block.test}'; the first is used`,
      )
    if (read.kind === 'number') {
      metrics.push({
        run_id: runId,
        name: field.name,
        value: read.value,
        unit: read.si,
        text_value: field.printed,
      })
      if (read.mismatch) warn('size-mismatch', field.line, `'${field.name}': ${read.mismatch}`)
      const expected = EXPECTED[field.name]
      if (expected && !expected.includes(read.family)) {
        warn(
          'unexpected-unit',
          field.line,
          `'${field.name}' has unit '${read.unit}' (${read.family}); expected ${expected.join(' or ')}; not used`,
        )
      } else if (!duplicate) {
        numbers.set(field.name, {
          value: read.value,
          family: read.family,
          line: field.line,
          rounded: read.rounded,
        })
      }
    } else if (read.kind === 'text') {
      metrics.push({
        run_id: runId,
        name: field.name,
        value: null,
        unit: null,
        text_value: read.text,
      })
    } else {
      metrics.push({
        run_id: runId,
        name: field.name,
        value: null,
        unit: null,
        text_value: field.printed,
      })
      warn(read.code, field.line, `'${field.name}': ${read.detail}; value skipped`)
    }
  }
  for (const notice of block.notices)
    warn('qperf-warning', notice.line, `qperf printed '${notice.text}'`)
  for (const unparsed of block.unparsed) {
    warn(
      'unparsed-line',
      unparsed.line,
      `'${unparsed.text}' does not match 'name = value'; ignored`,
    )
  }

  const run = emptyRunRow()
  run.run_id = runId
  run.raw_key = context.raw_key
  run.raw_sha256 = context.raw_sha256
  run.document_index = documentIndex
  run.tool = 'qperf'
  run.tool_version = toolVersion
  run.parser_version = PARSER_VERSION
  run.test = block.test
  run.protocol = PROTOCOL.exec(block.test)?.[1] ?? null
  run.direction = block.test === 'conf' ? null : 'forward'
  run.status = 'ok'
  if (block.errors.length > 0) {
    run.status = 'error'
    run.error_message = block.errors.map((e) => e.text).join('\n')
  } else if (block.fields.length === 0) {
    run.status = 'error'
    run.error_message = 'qperf printed no result for this test'
    warn('no-results', block.headerLine, `block '${block.test}' has no result lines`)
  }

  const get = (name: string) => numbers.get(name)?.value ?? null
  const latency = numbers.get('latency')
  if (latency && latency.value === 0) {
    warn(
      'zero-latency',
      latency.line,
      'latency printed as 0 (no messages counted); latency_s left null',
    )
  } else if (latency) run.latency_s = latency.value
  const bits = (name: string) => {
    const entry = numbers.get(name)
    if (!entry) return null
    return entry.family === 'bandwidth' ? entry.value * 8 : entry.value
  }
  if (numbers.has('bw')) {
    run.throughput_bps = bits('bw')
    run.receiver_bps = run.throughput_bps
  } else if (numbers.has('send_bw') || numbers.has('recv_bw')) {
    run.sender_bps = bits('send_bw')
    run.receiver_bps = bits('recv_bw')
    run.throughput_bps = run.receiver_bps
  }
  const msgSize = numbers.get('msg_size') ?? numbers.get('loc_msg_size')
  if (msgSize) {
    run.msg_size_bytes = Math.round(msgSize.value)
    if (msgSize.rounded) {
      const why = 'qperf rounds it to its precision (3 significant digits unless -e)'
      warn(
        'rounded-value',
        msgSize.line,
        `message size printed in a decimal unit; ${why}, so it may be approximate`,
      )
    }
  } else if (run.status === 'ok' && DEFAULT_MSG_SIZE_BYTES[block.test] !== undefined) {
    run.msg_size_bytes = DEFAULT_MSG_SIZE_BYTES[block.test]
    metrics.push({
      run_id: runId,
      name: 'msg_size_default',
      value: run.msg_size_bytes,
      unit: 'B',
      text_value: null,
    })
  }
  run.duration_s = get('time') ?? get('loc_time')
  // local = the qperf client. One-way tests print send_/recv_ instead of loc_/rem_ (show_rest);
  // in the socket *_bw tests the client is the sender, so send_ → local and recv_ → remote.
  // (Not verified for RDMA read tests, where data flows server → client.)
  run.cpu_local_percent = get('loc_cpus_used') ?? get('send_cpus_used')
  run.cpu_remote_percent = get('rem_cpus_used') ?? get('recv_cpus_used')
  run.warning_count = warnings.length
  return { run, metrics, warnings }
}
