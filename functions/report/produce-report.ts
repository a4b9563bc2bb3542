import { createSqlEngine, type EngineKind } from '#adapters/duckdb-engine.ts'
import { buildReport } from '#core/report/build-report.ts'
import type { PlatformPair } from '#core/report/build-report.ts'
import { renderReportHtml } from '#core/report/render-report-html.ts'
import { renderReportMarkdown } from '#core/report/render-report-md.ts'
import type { ReportModel, SkippedFileNote } from '#core/report/report-model.ts'
import {
  loadReportQueries,
  queryBaselineSamples,
  queryWindowRuns,
  registerRuns,
  scopeRuns,
} from './report-queries.ts'
import { previousRange, reportIdFor } from '#core/report/report-window.ts'

/** The window a report covers and its rule settings. */
export interface ReportWindowOptions {
  /** First day, YYYY-MM-DD (UTC, inclusive). */
  from: string
  /** Last day, YYYY-MM-DD (UTC, inclusive). */
  to: string
  /** Previous windows of the same length pooled as the reference (default 1). */
  previousWindows?: number
  /** Relative change the CI must exceed to count (default 0.05). */
  tolerance?: number
  /** Repetitions per side below which no change is judged (default 5). */
  minN?: number
  pairs?: PlatformPair[]
}

/** A rendered report: the model (report.json) and its two renderings. */
export interface RenderedReport {
  model: ReportModel
  html: string
  md: string
  json: string
}

/**
 * Runs the report's SQL files (the notebook's) over `runs` Parquet files, for the window and for
 * the previous window(s), then builds and renders the report. Native DuckDB by default;
 * `engine: 'wasm'` runs the notebook's duckdb-wasm 1.28.0 instead (tests and the benchmark compare
 * the two). No store access: `runReport` and the CLI hand in the bytes and write the result, and
 * `skipped` names the files they left out because they cannot be read (the report says so).
 */
export async function produceReport(
  runsParquet: readonly Uint8Array[],
  window: ReportWindowOptions,
  createdAt: Date,
  options: {
    queryDir?: string
    engine?: EngineKind
    skipped?: readonly SkippedFileNote[]
    /** The files' keys, in the order of `runsParquet`, to name one DuckDB cannot open. */
    keys?: readonly string[]
  } = {},
): Promise<RenderedReport> {
  const range = { from: window.from, to: window.to }
  const windows = window.previousWindows ?? 1
  const previous = previousRange(range, windows)
  const queries = await loadReportQueries(options.queryDir)
  const db = await createSqlEngine(options.engine)
  try {
    const unreadable = await registerRuns(db, runsParquet)
    const skipped = [
      ...(options.skipped ?? []),
      ...unreadable.map((i) => ({
        key: options.keys?.[i] ?? `runs file #${i + 1}`,
        reason: 'DuckDB cannot read its metadata',
      })),
    ]
    const current = await queryWindowRuns(db, queries, range)
    const previousRuns = await queryWindowRuns(db, queries, previous)
    if (runsParquet.length > 0) await scopeRuns(db, range)
    const baselineSamples = await queryBaselineSamples(db, queries, range)
    const model = buildReport({
      reportId: reportIdFor(range),
      createdAt: createdAt.toISOString(),
      window: range,
      previous: { ...previous, windows },
      current,
      previousRuns,
      baselineSamples,
      tolerance: window.tolerance,
      minN: window.minN,
      pairs: window.pairs,
      skippedFiles: skipped,
    })
    return {
      model,
      html: renderReportHtml(model),
      md: renderReportMarkdown(model),
      json: `${JSON.stringify(model, null, 2)}\n`,
    }
  } finally {
    await db.close()
  }
}
