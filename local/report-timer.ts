import type { ReportRecord } from '#functions/ports.ts'
import { createWebhookNotifier } from '#functions/report/notify.ts'
import { runReport } from '#functions/report/run-report.ts'
import type { ReportDeps } from '#functions/report/run-report.ts'
import { scheduledWindow } from '#core/report/scheduled-window.ts'
import type { ScheduledReportInput } from '#core/report/scheduled-window.ts'

/** Options of the local report timer. */
export interface LocalReportOptions {
  /** Time between runs (default 1 hour); the window is recomputed each time, so reruns replace. */
  intervalMs?: number
  /** POST a JSON summary here when a regression is flagged. */
  webhookUrl?: string
  /** Window settings; default the last 7 days ending yesterday. */
  input?: ScheduledReportInput
  /** Called with each failure (the timer keeps going). */
  onError?: (error: unknown) => void
  onReport?: (record: ReportRecord) => void
}

/** A running local report job. */
export interface LocalReportJob {
  /** Generate the report now (the timer calls this too). */
  runOnce(): Promise<ReportRecord>
  /** Stop the timer and wait for a run in progress. */
  stop(): Promise<void>
}

/**
 * The report job of the local stack (`npm start`): runs once right away, then every `intervalMs`,
 * never two at a time. The timer is unref'd so it does not keep the process alive.
 */
export function startLocalReportJob(
  deps: Omit<ReportDeps, 'notify'>,
  options: LocalReportOptions = {},
): LocalReportJob {
  const notify = options.webhookUrl ? createWebhookNotifier(options.webhookUrl) : undefined
  let running: Promise<unknown> = Promise.resolve()
  let stopped = false
  const runOnce = async () => {
    const record = await runReport(
      { ...deps, ...(notify ? { notify } : {}) },
      scheduledWindow(options.input, deps.clock.now()),
    )
    options.onReport?.(record)
    return record
  }
  const tick = () => {
    if (stopped) return
    running = running.then(runOnce).catch((error) => options.onError?.(error))
  }
  tick()
  const timer = setInterval(tick, options.intervalMs ?? 3_600_000)
  timer.unref()
  return {
    runOnce: () => {
      const next = running.then(runOnce)
      running = next.catch(() => {})
      return next
    },
    async stop() {
      stopped = true
      clearInterval(timer)
      await running
    },
  }
}
