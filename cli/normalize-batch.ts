// The work of `netlake normalize` on a batch of files, shared by the main thread and the worker
// threads (normalize-worker.ts): read each file, normalize it, format what is printed for it, and
// (with --out) turn its rows into column buffers that another thread can join.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs'
import type { Labels } from '#schemas/labels.ts'
import type { NormalizeResult } from '#schemas/parse-result.ts'
import type { IntervalRow, MetricRow, RunRow, TableName } from '#schemas/tables.ts'
import { MAX_RAW_BYTES } from '#core/decode-raw.ts'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { sha256Hex } from '#core/rows.ts'
import {
  columnChunkBuffers,
  packColumnChunk,
  toColumnChunk,
} from '#adapters/parquet/column-chunk.ts'
import type { ColumnChunk } from '#adapters/parquet/column-chunk.ts'

/** How every file of a run is handled (the same in every thread). */
export interface BatchOptions {
  /** One JSON line per file on stdout (`--json`) instead of one human line per run. */
  json: boolean
  labels: Labels | undefined
  /** Keep the rows as column buffers (`--out`). */
  columns: boolean
}

/** What one batch printed and produced, in file order. */
export interface BatchResult {
  stdout: string
  stderr: string
  /** Files rejected (unreadable or not iperf3/qperf). */
  failed: number
  /** The batch's rows, when `columns` was asked for. */
  tables: Record<TableName, ColumnChunk> | null
}

/** Bytes of one input, or why it cannot be read. */
export type ReadInput = (file: string) => Uint8Array | string

/** Reads a file at once (synchronous: a batch is CPU work, and async reads cost more per file). */
export function readInputFile(file: string): Uint8Array | string {
  let fd: number | undefined
  try {
    fd = openSync(file, 'r')
    const { size } = fstatSync(fd)
    if (size > MAX_RAW_BYTES)
      return `input is ${size} bytes; the limit is ${MAX_RAW_BYTES} bytes (64 MiB)`
    const bytes = readFileSync(fd)
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  } catch (error) {
    return `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** Normalizes `files` in order; never throws for a bad file (it is counted and named). */
export function normalizeBatch(
  files: readonly string[],
  options: BatchOptions,
  read: ReadInput = readInputFile,
): BatchResult {
  const out: string[] = []
  const err: string[] = []
  const rows = { runs: [] as RunRow[], intervals: [] as IntervalRow[], metrics: [] as MetricRow[] }
  let failed = 0
  for (const file of files) {
    const bytes = read(file)
    const result: NormalizeResult =
      typeof bytes === 'string'
        ? { ok: false, error: { code: 'unreadable', message: bytes } }
        : normalizeRaw(bytes, {
            raw_key: null,
            raw_sha256: sha256Hex(bytes),
            labels: options.labels,
          })
    if (!result.ok) {
      failed++
      const place = result.error.path
        ? ` at ${result.error.path}`
        : result.error.offset !== undefined
          ? ` at byte ${result.error.offset}`
          : ''
      const where = place && !result.error.message.includes(place.slice(4)) ? place : ''
      if (options.json)
        out.push(
          JSON.stringify({
            file,
            ok: false,
            error: `${result.error.code}: ${result.error.message}${where}`,
          }),
        )
      else err.push(`${file}: rejected: ${result.error.message}${where}`)
      continue
    }
    if (options.columns) {
      rows.runs.push(...result.runs)
      rows.intervals.push(...result.intervals)
      rows.metrics.push(...result.metrics)
    }
    if (options.json) {
      out.push(
        JSON.stringify({
          file,
          ok: true,
          runs: result.runs,
          intervals: result.intervals.length,
          metrics: result.metrics,
          warnings: result.warnings,
        }),
      )
    } else {
      for (const r of result.runs) {
        const headline =
          r.throughput_bps !== null
            ? `${(r.throughput_bps / 1e9).toFixed(3)} Gbit/s`
            : r.latency_s !== null
              ? `${(r.latency_s * 1e6).toFixed(2)} us`
              : '-'
        out.push(
          `${file}#${r.document_index}: ${r.tool} ${r.tool_version ?? '?'} ${r.test ?? '?'} ${r.status} ${headline}${r.error_message ? ` (${r.error_message})` : ''}`,
        )
      }
      for (const w of result.warnings)
        err.push(`${file}: warning: ${w.message}${w.path ? ` at ${w.path}` : ''}`)
    }
  }
  const lines = (l: string[]) => (l.length === 0 ? '' : l.join('\n') + '\n')
  return {
    stdout: lines(out),
    stderr: lines(err),
    failed,
    tables: options.columns
      ? {
          runs: packColumnChunk(toColumnChunk('runs', rows.runs)),
          intervals: packColumnChunk(toColumnChunk('intervals', rows.intervals)),
          metrics: packColumnChunk(toColumnChunk('metrics', rows.metrics)),
        }
      : null,
  }
}

/** The buffers a batch's result can hand over to another thread without copying. */
export function batchBuffers(result: BatchResult): ArrayBuffer[] {
  if (!result.tables) return []
  return [
    ...columnChunkBuffers(result.tables.runs),
    ...columnChunkBuffers(result.tables.intervals),
    ...columnChunkBuffers(result.tables.metrics),
  ]
}
