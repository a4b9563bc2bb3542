import { createHash } from 'node:crypto'
import { TABLES } from '#schemas/tables.ts'
import type { IntervalRow, RunRow } from '#schemas/tables.ts'

/** Bumped whenever a parser change alters any row; stamped on every run so reprocess can find stale ones. */
export const PARSER_VERSION = '1.0.0'

const RUN_COLUMNS = Object.keys(TABLES.runs.shape) as Array<keyof RunRow>
const INTERVAL_COLUMNS = Object.keys(TABLES.intervals.shape) as Array<keyof IntervalRow>

/** A run row with every column null: parsers fill what they know, unknown stays null. */
export function emptyRunRow(): RunRow {
  return { ...EMPTY_RUN }
}

/** An interval row with every column null. */
export function emptyIntervalRow(): IntervalRow {
  return { ...EMPTY_INTERVAL }
}

// Spreading a template copies one hidden class: much faster than assigning ~60 keys per row.
const EMPTY_RUN = Object.freeze(
  Object.fromEntries(RUN_COLUMNS.map((name) => [name, null])),
) as unknown as RunRow
const EMPTY_INTERVAL = Object.freeze(
  Object.fromEntries(INTERVAL_COLUMNS.map((name) => [name, null])),
) as unknown as IntervalRow

/** Content-derived run id: the same bytes always give the same ids. */
export function runIdFor(rawSha256: string, documentIndex: number): string {
  return createHash('sha256').update(`${rawSha256}:${documentIndex}`).digest('hex').slice(0, 32)
}

/** sha256 of raw bytes, hex. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex')
}
