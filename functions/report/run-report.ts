import { parquetProblem } from '#functions/lake/parquet-problem.ts'
import type { SkippedFile } from '#functions/lake/parquet-problem.ts'
import { reportKeys } from '#core/object-keys.ts'
import type {
  Clock,
  ObjectStore,
  PartitionCatalog,
  ReportIndex,
  ReportRecord,
} from '#functions/ports.ts'
import { produceReport } from './produce-report.ts'
import type { ReportWindowOptions } from './produce-report.ts'
import type { ReportModel } from '#core/report/report-model.ts'
import { previousRange } from '#core/report/report-window.ts'

/** What a notifier is told about a report with at least one regression. */
export interface ReportSummary {
  report: ReportRecord
  regressions: Array<{
    scenario: string
    platform: string
    hardware_profile: string
    metric: string
    change: number
    ci_low: number
    ci_high: number
  }>
}

/** The ports `runReport` reads and writes through. */
export interface ReportDeps {
  curated: ObjectStore
  reports: ObjectStore
  catalog: PartitionCatalog & ReportIndex
  clock: Clock
  /** Called once per run when a regression is flagged (SNS in AWS, a webhook locally). */
  notify?: (summary: ReportSummary) => Promise<void>
  /** Where the SQL files are (a bundled function ships its own copy); sql/queries by default. */
  queryDir?: string
}

/**
 * Generates the comparison report of a window: loads the curated `runs` Parquet of the window and
 * the previous window(s) from the catalog's dataset partitions, runs the notebook's SQL in
 * duckdb-wasm, writes `reports/<to>/w-<from>-<to>/report.{html,md,json}` and indexes it. The id is
 * derived from the window, so running it again for the same window replaces the same report. A
 * file that is not whole Parquet is left out, logged, and named in the report (`skipped_files`).
 */
export async function runReport(
  deps: ReportDeps,
  window: ReportWindowOptions,
): Promise<ReportRecord> {
  const earliest = previousRange(window, window.previousWindows ?? 1).from
  const partitions = (await deps.catalog.listPartitions('runs')).filter(
    (p) => !isDate(p.date) || (p.date >= earliest && p.date <= window.to),
  )
  const files: Uint8Array[] = []
  const skipped: SkippedFile[] = []
  const fileKeys: string[] = []
  for (const partition of partitions) {
    for (const file of partition.files) {
      const bytes = await deps.curated.get(file.key)
      // A file the catalog lists but the store lost (compaction race): the report reads the rest.
      if (!bytes) continue
      // One unreadable file must not fail the report: left out, named in the log and the report.
      const problem = parquetProblem(bytes)
      if (problem === null) {
        files.push(bytes)
        fileKeys.push(file.key)
      } else {
        skipped.push({ key: file.key, reason: problem })
        console.warn(
          JSON.stringify({ level: 'warn', msg: 'report', skipped: file.key, reason: problem }),
        )
      }
    }
  }
  const rendered = await produceReport(files, window, deps.clock.now(), {
    queryDir: deps.queryDir,
    skipped,
    keys: fileKeys,
  })
  const { model } = rendered
  const keys = reportKeys(model.window.to, model.report_id)
  await deps.reports.put(keys.json, rendered.json, { contentType: 'application/json' })
  await deps.reports.put(keys.md, rendered.md, { contentType: 'text/markdown; charset=utf-8' })
  await deps.reports.put(keys.html, rendered.html, { contentType: 'text/html; charset=utf-8' })
  const record: ReportRecord = {
    report_id: model.report_id,
    window_from: model.window.from,
    window_to: model.window.to,
    created_at: model.created_at,
    keys,
    regressions: model.totals.regressions,
    improvements: model.totals.improvements,
  }
  await deps.catalog.putReport(record)
  if (deps.notify && record.regressions > 0) await deps.notify(summarize(record, model))
  return record
}

/** The regressions of a report, for a notification. */
export function summarize(report: ReportRecord, model: ReportModel): ReportSummary {
  return {
    report,
    regressions: model.changes
      .filter((c) => c.verdict === 'regression' && c.ratio !== null)
      .map((c) => ({
        scenario: c.scenario,
        platform: c.platform,
        hardware_profile: c.hardware_profile,
        metric: c.metric,
        change: c.ratio!.estimate - 1,
        ci_low: c.ratio!.ci_low - 1,
        ci_high: c.ratio!.ci_high - 1,
      })),
  }
}

function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value)
}
