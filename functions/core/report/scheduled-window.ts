import type { ReportWindowOptions } from '#functions/report/produce-report.ts'
import { lastDays } from '#core/report/report-window.ts'

/**
 * What a schedule may pass (EventBridge Scheduler target input, or the local timer): an explicit
 * window, or a number of days ending yesterday (default 7), plus the rule settings.
 */
export interface ScheduledReportInput {
  from?: string
  to?: string
  days?: number
  previousWindows?: number
  tolerance?: number
  /** EventBridge Scheduler's `<aws.scheduler.scheduled-time>`: the instant the window ends before. */
  scheduledTime?: string
}

/**
 * The window of a scheduled run: explicit dates if both are given, else the last `days` days
 * before the schedule's own time (`scheduledTime`, so a retried or late invocation reports on the
 * same window), else before `now`.
 */
export function scheduledWindow(
  input: ScheduledReportInput | null | undefined,
  now: Date,
): ReportWindowOptions {
  // A scheduler target carries other keys too (source, job); only ours are read,
  // and a malformed one is an error naming it rather than a silent fallback to the default.
  const event = (input ?? {}) as Record<string, unknown>
  const bad = (field: string, expected: string) =>
    new RangeError(
      `report event field '${field}' must be ${expected} (got ${JSON.stringify(event[field])})`,
    )
  const date = (field: 'from' | 'to') => {
    if (event[field] === undefined) return undefined
    if (typeof event[field] !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(event[field] as string))
      throw bad(field, 'a YYYY-MM-DD date')
    return event[field] as string
  }
  const [from, to] = [date('from'), date('to')]
  if ((from === undefined) !== (to === undefined))
    throw bad(from === undefined ? 'from' : 'to', 'given together with the other end of the window')
  if (event.days !== undefined && positiveInt(event.days) === undefined)
    throw bad('days', 'a positive integer')
  if (event.previousWindows !== undefined && positiveInt(event.previousWindows) === undefined)
    throw bad('previousWindows', 'a positive integer')
  const tolerance = event.tolerance
  if (
    tolerance !== undefined &&
    !(typeof tolerance === 'number' && tolerance >= 0 && tolerance < 1)
  )
    throw bad('tolerance', 'a number in [0, 1)')
  const at = event.scheduledTime
  if (at !== undefined && (typeof at !== 'string' || Number.isNaN(Date.parse(at))))
    throw bad('scheduledTime', 'an ISO instant')
  const end = at === undefined ? now : new Date(at as string)
  const range =
    from !== undefined && to !== undefined
      ? { from, to }
      : lastDays(end, positiveInt(event.days) ?? 7)
  return {
    ...range,
    ...(event.previousWindows !== undefined
      ? { previousWindows: event.previousWindows as number }
      : {}),
    ...(tolerance !== undefined ? { tolerance: tolerance as number } : {}),
  }
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : undefined
}
