import { NetlakeError } from '#core/errors.ts'
/**
 * Report windows: inclusive UTC date ranges (`YYYY-MM-DD`). The previous window(s) have the same
 * length and end the day before the report window starts, so week N is compared with week N − 1.
 */

const DAY_MS = 86_400_000
const DATE = /^\d{4}-\d{2}-\d{2}$/

/** An inclusive date range. */
export interface DateRange {
  from: string
  to: string
}

/** Raised for a window that is not two valid dates in order. */
export class InvalidWindowError extends NetlakeError {
  constructor(message: string) {
    super(message)
  }
}

/** Days in an inclusive range (1 for from = to). */
export function windowDays(range: DateRange): number {
  assertRange(range)
  return Math.round((toMs(range.to) - toMs(range.from)) / DAY_MS) + 1
}

/** The `count` windows of the same length right before `range`, as one range. */
export function previousRange(range: DateRange, count = 1): DateRange {
  if (!Number.isInteger(count) || count < 1)
    throw new InvalidWindowError(`previous windows must be an integer ≥ 1, got ${count}`)
  const days = windowDays(range)
  const to = toMs(range.from) - DAY_MS
  return { from: toDate(to - (days * count - 1) * DAY_MS), to: toDate(to) }
}

/** The last `days` days up to and including the day before `now` (a scheduled weekly report). */
export function lastDays(now: Date, days = 7): DateRange {
  const today = toMs(now.toISOString().slice(0, 10))
  return { from: toDate(today - days * DAY_MS), to: toDate(today - DAY_MS) }
}

/** A key-safe report id derived from the window alone, so a rerun replaces the same report. */
export function reportIdFor(range: DateRange): string {
  assertRange(range)
  return `w-${range.from}-${range.to}`
}

function assertRange(range: DateRange): void {
  for (const d of [range.from, range.to]) {
    if (!DATE.test(d) || Number.isNaN(toMs(d)) || toDate(toMs(d)) !== d)
      throw new InvalidWindowError(`not a YYYY-MM-DD date: '${d}'`)
  }
  if (range.from > range.to)
    throw new InvalidWindowError(`window starts after it ends: ${range.from} > ${range.to}`)
}

function toMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`)
}

function toDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}
