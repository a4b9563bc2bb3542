import type { NormalizedRows } from '#schemas/parse-result.ts'

/**
 * A run summary (one catalog item, labels flattened onto it) above this many bytes of JSON is
 * refused. DynamoDB caps an item at 400 KB; the budget leaves room for the item's keys and index
 * attributes and keeps summaries small enough to list by the hundred.
 */
export const MAX_RUN_SUMMARY_BYTES = 64 * 1024

/** Why normalized rows cannot be stored although they parsed, with the field to blame. */
export interface NotIngestable {
  code: 'timestamp-out-of-range' | 'labels-too-large'
  message: string
  path: string
}

const TIMESTAMPS = ['started_at', 'collected_at'] as const
const ISO_DAY = /^(\d{4})-\d{2}-\d{2}/

/**
 * What the lake cannot hold even though the input parsed: a run dated outside the years
 * 1970–9999 (its partition path and the catalog's sort keys need a four-digit year) or a run
 * summary too large for one catalog item. Checked at the door (422) and again by ingest
 * (quarantine), so such an object never fails ingest for ever. Pure.
 */
export function checkIngestable(rows: NormalizedRows): NotIngestable | null {
  const encoder = new TextEncoder()
  for (const run of rows.runs) {
    for (const field of TIMESTAMPS) {
      const value = run[field]
      if (typeof value !== 'string') continue
      const year = Number(ISO_DAY.exec(value)?.[1] ?? NaN)
      if (!(year >= 1970 && year <= 9999)) {
        return {
          code: 'timestamp-out-of-range',
          message: `${field} ${value} is outside the years 1970 to 9999`,
          path: field === 'started_at' ? 'start.timestamp' : 'labels.collected_at',
        }
      }
    }
    const size = encoder.encode(JSON.stringify(run)).byteLength
    if (size > MAX_RUN_SUMMARY_BYTES) {
      return {
        code: 'labels-too-large',
        message: `the run summary with these labels is ${size} bytes; the limit is ${MAX_RUN_SUMMARY_BYTES} bytes (a catalog item holds at most 400 KB)`,
        path: 'labels',
      }
    }
  }
  return null
}
