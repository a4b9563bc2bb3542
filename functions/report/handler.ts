import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns'
import { loadConfig } from '#adapters/config.ts'
import { createAwsLake } from '#adapters/aws-lake.ts'
import type { ReportRecord } from '#functions/ports.ts'
import { describeRegressions } from './notify.ts'
import { runReport } from './run-report.ts'
import type { ReportDeps, ReportSummary } from './run-report.ts'
import { scheduledWindow } from '#core/report/scheduled-window.ts'
import type { ScheduledReportInput } from '#core/report/scheduled-window.ts'

let deps: ReportDeps | undefined

function createDeps(): ReportDeps {
  const config = loadConfig(process.env)
  const lake = createAwsLake(config)
  const topic = config.reportTopicArn
  const sns = topic ? new SNSClient({ region: config.region }) : null
  // A bundle ships the SQL files as ./queries beside it; from source, sql/queries is used.
  const bundled = fileURLToPath(new URL('./queries/', import.meta.url))
  return {
    curated: lake.curated,
    reports: lake.reports,
    catalog: lake.catalog,
    clock: { now: () => new Date() },
    ...(existsSync(bundled) ? { queryDir: bundled } : {}),
    ...(sns && topic ? { notify: (summary: ReportSummary) => publish(sns, topic, summary) } : {}),
  }
}

async function publish(sns: SNSClient, topicArn: string, summary: ReportSummary): Promise<void> {
  const subject = `netlake: ${summary.regressions.length} regression(s) ${summary.report.window_from}..${summary.report.window_to}`
  await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: subject.slice(0, 100),
      Message: `${describeRegressions(summary)}\n\n${JSON.stringify(summary)}`,
    }),
  )
}

/**
 * EventBridge Scheduler → one report. The target input may set `from`/`to`, `days` (default 7,
 * ending yesterday), `previousWindows` and `tolerance`; SNS is told only when a regression is flagged.
 */
export async function handler(event?: ScheduledReportInput | null): Promise<ReportRecord> {
  deps ??= createDeps()
  const window = scheduledWindow(event, deps.clock.now())
  const record = await runReport(deps, window)
  console.log(JSON.stringify({ level: 'info', msg: 'report', ...record }))
  return record
}
