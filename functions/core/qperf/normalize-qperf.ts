import type { MetricRow, RunRow } from '#schemas/tables.ts'
import type { NormalizeResult, ParseWarning, RawContext } from '#schemas/parse-result.ts'
import { PARSER_VERSION, emptyRunRow, runIdFor } from '#core/rows.ts'
import { parseQperfText } from './parse-qperf-text.ts'
import type { QperfBlock, QperfText, QperfTextLine } from './parse-qperf-text.ts'
import { blockToRun } from './block-to-run.ts'

/** Fatal messages qperf prints before any block header (then exits), e.g. `host: failed to connect`. */
const QPERF_ERROR =
  /^(?:\S+: failed to connect|could not make \w+ connection to server|(?:server|client) failure)$/i

/**
 * qperf 0.4.9–0.4.11 text output → one run per test block (per loop value under `-oo`), every
 * `name = value` as a metric in SI units, warnings naming the line. Pure and total: never throws;
 * an unexpected failure becomes the rejection 'internal'.
 */
export function normalizeQperf(text: string, context: RawContext): NormalizeResult {
  try {
    return normalize(parseQperfText(text), context)
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause)
    return {
      ok: false,
      error: { code: 'internal', message: `qperf normalizer failed unexpectedly: ${detail}` },
    }
  }
}

function normalize(parsed: QperfText, context: RawContext): NormalizeResult {
  const { blocks, prelude } = parsed
  if (blocks.length === 0) {
    if (prelude.length > 0 && prelude.every((l) => QPERF_ERROR.test(l.text))) {
      return errorOnly(prelude, context)
    }
    const first = prelude[0] ? `; line ${prelude[0].line} is '${clip(prelude[0].text)}'` : ''
    const message = `no qperf test block found: expected a header such as 'tcp_lat:' followed by indented 'name = value' lines${first}`
    return { ok: false, error: { code: 'not-qperf', message } }
  }
  if (blocks.every((b) => b.fields.length === 0 && b.errors.length === 0 && b.test !== 'quit')) {
    const message = `no qperf results: header '${blocks[0].test}:' on line ${blocks[0].headerLine} is followed by no 'name = value' or error line`
    return { ok: false, error: { code: 'not-qperf', message } }
  }

  const warnings: ParseWarning[] = prelude.map((l) => ({
    code: 'orphan-text',
    message: `line ${l.line}: '${clip(l.text)}' before the first test header; ignored`,
    path: `line ${l.line}`,
  }))
  for (const l of parsed.trailing ?? [])
    warnings.push({
      code: 'trailing-shell-prompt',
      message: `line ${l.line}: '${clip(l.text)}' after the last result looks like a shell prompt; ignored`,
      path: `line ${l.line}`,
    })
  const toolVersion = confVersion(blocks)
  const runs: RunRow[] = []
  const metrics: MetricRow[] = []
  blocks.forEach((block, index) => {
    if (block.test === 'quit' && block.fields.length === 0 && block.errors.length === 0) return
    const rows = blockToRun(block, index, context, toolVersion)
    runs.push(rows.run)
    metrics.push(...rows.metrics)
    warnings.push(...rows.warnings)
  })
  return { ok: true, runs, intervals: [], metrics, warnings }
}

/** The qperf version from a `conf` block (`loc_qperf`, else `rem_qperf`), when printed. */
function confVersion(blocks: QperfBlock[]): string | null {
  for (const block of blocks) {
    if (block.test !== 'conf') continue
    const field =
      block.fields.find((f) => f.name === 'loc_qperf') ??
      block.fields.find((f) => f.name === 'rem_qperf')
    if (field && /^\d+(?:\.\d+)+$/.test(field.printed)) return field.printed
  }
  return null
}

/** A file holding only a fatal qperf error (no header was printed): one error run, test unknown. */
function errorOnly(lines: QperfTextLine[], context: RawContext): NormalizeResult {
  const run = emptyRunRow()
  run.run_id = runIdFor(context.raw_sha256, 0)
  run.raw_key = context.raw_key
  run.raw_sha256 = context.raw_sha256
  run.document_index = 0
  run.tool = 'qperf'
  run.parser_version = PARSER_VERSION
  run.status = 'error'
  run.error_message = lines.map((l) => l.text).join('\n')
  run.warning_count = 0
  return { ok: true, runs: [run], intervals: [], metrics: [], warnings: [] }
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
