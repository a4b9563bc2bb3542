import type { NormalizeResult, ParseWarning, RawContext } from '#schemas/parse-result.ts'
import type { IntervalRow, MetricRow, RunRow } from '#schemas/tables.ts'
import { PARSER_VERSION, emptyRunRow, runIdFor } from '#core/rows.ts'
import { documentContext } from './document-context.ts'
import { extractDocuments } from './extract-documents.ts'
import type { RawDocument } from './extract-documents.ts'
import { intervalRows } from './interval-rows.ts'
import { Iperf3FormatError, str, warn } from './read-fields.ts'
import type { FieldSink, Obj } from './read-fields.ts'
import { runRow } from './run-row.ts'

/**
 * iperf3 text (`-J`, several `-J` documents back to back, or `--json-stream`) → canonical rows.
 * Never throws: broken input is a rejection naming what and where; unexpected failures are a
 * rejection with code 'internal'.
 *
 * Decisions: each document is one run (`document_index` in file order); a client document's
 * `server_output_json` becomes its own run with role 'server' and the next `document_index`;
 * `server_output_text` is kept as a text metric. A document with `"error"` is a run with status
 * 'error' (partial results kept). Text with no JSON but an `iperf3: ... error - msg` line is one
 * run with status 'error'. A `--json-stream` test without `end` is a run with status 'error' and
 * an 'incomplete-stream' warning; a stream without `start` is rejected.
 */
export function normalizeIperf3(
  text: string,
  context: RawContext,
  options: NormalizeOptions = {},
): NormalizeResult {
  try {
    return normalize(text, context, options.verdictOnly === true)
  } catch (error) {
    if (error instanceof Iperf3FormatError) {
      const rejection = { code: error.code, message: error.message }
      return {
        ok: false,
        error: error.path === undefined ? rejection : { ...rejection, path: error.path },
      }
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    return {
      ok: false,
      error: { code: 'internal', message: `iperf3 normalizer failed unexpectedly: ${message}` },
    }
  }
}

/** How much to build. */
export interface NormalizeOptions {
  /**
   * Only the verdict: every field is read and checked as usual (same rejections, warnings and run
   * rows), but no interval rows or text metrics are kept (`intervals` and `metrics` come back
   * empty). For the API's 422-at-the-door check, where ingest builds the rows later.
   */
  verdictOnly?: boolean
}

function normalize(text: string, context: RawContext, verdictOnly: boolean): NormalizeResult {
  const extracted = extractDocuments(text)
  if (!extracted.ok) return extracted
  const out = { runs: [] as RunRow[], intervals: [] as IntervalRow[], metrics: [] as MetricRow[] }
  const warnings: ParseWarning[] = [...extracted.warnings]
  if (extracted.documents.length === 0) {
    out.runs.push(textErrorRun(context, extracted.toolErrors[0]))
    return { ok: true, ...out, warnings }
  }
  const queue: RawDocument[] = [...extracted.documents]
  for (let q = 0; q < queue.length; q++) {
    const raw = queue[q]
    const documentIndex = out.runs.length
    const sink: FieldSink = { warnings: [], documentIndex }
    for (const w of raw.warnings) sink.warnings.push({ ...w, document_index: documentIndex })
    const ctx = documentContext(raw, sink)
    const run = runRow(ctx, context, documentIndex)
    const intervalCount = intervalRows(ctx, run.run_id!, verdictOnly ? null : out.intervals)
    applyStatus(ctx.doc, raw, run, intervalCount, sink)
    const serverJson = ctx.doc.server_output_json
    if (serverJson !== undefined && serverJson !== null) {
      if (typeof serverJson === 'object' && !Array.isArray(serverJson)) {
        queue.splice(q + 1, 0, {
          value: serverJson as Obj,
          duplicates: raw.duplicates,
          offset: raw.offset,
          incomplete: null,
          warnings: [],
        })
      } else {
        warn(
          sink,
          'server-output-ignored',
          'server_output_json is not an object; ignored',
          'server_output_json',
        )
      }
    }
    const serverText = str(ctx.doc, 'server_output_text', '')
    if (serverText !== null && !verdictOnly)
      out.metrics.push(textMetric(run.run_id!, 'server_output_text', serverText))
    run.warning_count = sink.warnings.length
    out.runs.push(run)
    for (const w of sink.warnings) warnings.push(w)
  }
  return { ok: true, ...out, warnings }
}

/** Status and error message: the tool's `error`, an incomplete stream, or a missing summary. */
function applyStatus(
  doc: Obj,
  raw: RawDocument,
  run: RunRow,
  intervalCount: number,
  sink: FieldSink,
): void {
  const error = doc.error
  const toolMessage =
    typeof error === 'string' ? error.replace(/^\s*error\s*-\s*/, '').trim() : null
  if (raw.incomplete !== null) {
    warn(
      sink,
      'incomplete-stream',
      `${raw.incomplete}: the test did not finish; partial results kept`,
    )
    run.status = 'error'
    run.error_message = toolMessage ?? raw.incomplete
    return
  }
  if (toolMessage !== null) {
    run.status = 'error'
    run.error_message = toolMessage
    return
  }
  if (error !== undefined && error !== null)
    warn(sink, 'error-not-string', 'top-level "error" is not a string; ignored', 'error')
  const hasSummary =
    run.receiver_bps !== null || run.sender_bps !== null || run.throughput_bps !== null
  if (!hasSummary && intervalCount === 0 && !isFilled(doc.end)) {
    warn(
      sink,
      'no-results',
      'document has neither intervals nor an end summary and no error message',
      'end',
    )
    run.status = 'error'
    run.error_message = 'iperf3 printed no results'
    return
  }
  run.status = 'ok'
}

function isFilled(v: unknown): boolean {
  return v !== null && typeof v === 'object' && Object.keys(v).length > 0
}

/** A run for text-only output such as `iperf3: error - unable to connect to server`. */
function textErrorRun(context: RawContext, message: string): RunRow {
  const run = emptyRunRow()
  run.run_id = runIdFor(context.raw_sha256, 0)
  run.raw_key = context.raw_key
  run.raw_sha256 = context.raw_sha256
  run.document_index = 0
  run.tool = 'iperf3'
  run.parser_version = PARSER_VERSION
  run.status = 'error'
  run.error_message = message
  run.warning_count = 0
  return run
}

function textMetric(runId: string, name: string, text: string): MetricRow {
  return { run_id: runId, name, value: null, unit: null, text_value: text }
}
