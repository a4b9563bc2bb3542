import type { ReportWindowOptions } from './produce-report.ts'
import { lastDays } from './report-window.ts'

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
}

/** The window of a scheduled run: explicit dates if both are given, else the last `days` days. */
export function scheduledWindow(
  input: ScheduledReportInput | null | undefined,
  now: Date,
): ReportWindowOptions {
  const event = input ?? {}
  const range =
    typeof event.from === 'string' && typeof event.to === 'string'
      ? { from: event.from, to: event.to }
      : lastDays(now, positiveInt(event.days) ?? 7)
  return {
    ...range,
    ...(positiveInt(event.previousWindows) ? { previousWindows: event.previousWindows } : {}),
    ...(typeof event.tolerance === 'number' && event.tolerance >= 0 && event.tolerance < 1
      ? { tolerance: event.tolerance }
      : {}),
  }
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : undefined
}
