import type { IntervalRow, MetricRow, RunRow } from './tables.ts'

/**
 * What the ingest core returns. Expected failures are data: a file is either normalized into rows
 * (possibly runs with status 'error') or rejected with a reason naming what and where.
 */
export interface ParseWarning {
  /** Stable machine code, e.g. 'non-finite-number', 'wrapped-integer', 'trailing-text'. */
  code: string
  message: string
  /** JSON path such as `end.sum_received.bits_per_second`, when known. */
  path?: string
  /** Byte offset in the raw input, when known. */
  offset?: number
  /** Which document (run) it concerns, when known. */
  document_index?: number
}

export interface Rejection {
  /** Stable machine code, e.g. 'truncated-json', 'not-iperf3', 'too-large', 'unknown-unit'. */
  code: string
  /** Human sentence naming the problem and where. */
  message: string
  path?: string
  offset?: number
}

export interface NormalizedRows {
  ok: true
  runs: RunRow[]
  intervals: IntervalRow[]
  metrics: MetricRow[]
  warnings: ParseWarning[]
}

export interface RejectedInput {
  ok: false
  error: Rejection
}

export type NormalizeResult = NormalizedRows | RejectedInput

/** Where the raw bytes came from; stamped on every row. */
export interface RawContext {
  raw_key: string | null
  raw_sha256: string
}
