import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { UsageError, intFlag, parseFlags, withUsage } from './args.ts'
import { DEFAULT_TOLERANCE } from '#core/report/regression-rule.ts'
import { lastDays, windowDays } from '#core/report/report-window.ts'
import type { ReportWindowOptions } from '#functions/report/produce-report.ts'
import type { SkippedFileNote } from '#core/report/report-model.ts'

const USAGE = `usage: netlake report [--lake DIR | --data-dir DIR] [--out DIR] [--since YYYY-MM-DD]
                      [--until YYYY-MM-DD] [--previous N] [--tolerance 0.05] [--json]

Writes report.html, report.md and report.json for a date window. Without --lake it reports on the
running local stack's lake (or AWS when NETLAKE_* variables are set), stores the report there and
indexes it (GET /v1/reports), like the scheduled job. With --lake it works offline on curated
\`runs\` Parquet files under DIR: a lake's curated/runs/... tree or the output folders of
'netlake normalize --out' (runs.parquet). The window is compared with the same number of days
right before it; a regression is flagged only when the whole 95% CI of the change lies beyond the
tolerance in the bad direction. A Parquet file that cannot be read is left out: the report names
it and so does the summary on stderr.

  --lake DIR         offline: where to look for runs Parquet files (searched recursively)
  --data-dir DIR     the local stack's data folder (default ./.netlake or $NETLAKE_DATA_DIR)
  --out DIR          where to write the three files (default: the current directory)
  --since DATE       first day of the window, UTC (default: 7 days before --until)
  --until DATE       last day of the window, UTC (default: yesterday)
  --previous N       previous windows pooled as the reference (default 1)
  --tolerance X      relative change the CI must exceed (default ${DEFAULT_TOLERANCE})
  --json             print the report record as JSON on stdout

exit codes: 0 no regression (files left out included), 1 a regression was flagged, 2 usage error,
  3 the report could not be made (no lake, unreadable input): never mistaken for a regression`

const OPTIONS = {
  lake: { type: 'string' },
  'data-dir': { type: 'string' },
  out: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  previous: { type: 'string' },
  tolerance: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

/** Exit code of a report that could not be made, distinct from 1 (a regression was flagged). */
export const REPORT_FAILED = 3

/** `netlake report`: an offline comparison report over local Parquet files. */
export async function run(argv: string[], now: Date = new Date()): Promise<number> {
  try {
    return await makeReport(argv, now)
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    const message = e?.code === 'ENOENT' && e.path ? `no such file: ${e.path}` : e?.message
    console.error(`netlake report: ${message ?? String(error)}`)
    return REPORT_FAILED
  }
}

async function makeReport(argv: string[], now: Date): Promise<number> {
  return withUsage(USAGE, async () => {
    const { values } = parseFlags(argv, OPTIONS)
    if (values.help) {
      console.log(USAGE)
      return 0
    }
    const until = values.until ?? lastDays(now, 1).to
    const since =
      values.since ?? lastDays(new Date(Date.parse(`${until}T00:00:00Z`) + 86_400_000), 7).from
    try {
      windowDays({ from: since, to: until })
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
    const tolerance = values.tolerance === undefined ? DEFAULT_TOLERANCE : Number(values.tolerance)
    if (!(tolerance >= 0 && tolerance < 1))
      throw new UsageError(`--tolerance must be a number in [0, 1), got '${values.tolerance}'`)
    const previousWindows = intFlag(values.previous, 'previous', 1, 1)
    if (!values.lake)
      return reportOnLake(
        values['data-dir'],
        { from: since, to: until, previousWindows, tolerance },
        values.out,
        values.json,
      )
    const files = await findRunsParquet(values.lake)
    const { produceReport } = await import('#functions/report/produce-report.ts')
    const { parquetProblem } = await import('#functions/lake/parquet-problem.ts')
    const bytes: Uint8Array[] = []
    const keys: string[] = []
    const skipped: Array<{ key: string; reason: string }> = []
    for (const f of files) {
      const b = new Uint8Array(await readFile(f))
      const problem = parquetProblem(b)
      if (problem === null) {
        bytes.push(b)
        keys.push(relative(values.lake, f))
      } else skipped.push({ key: relative(values.lake, f), reason: problem })
    }
    const report = await produceReport(
      bytes,
      { from: since, to: until, previousWindows, tolerance },
      now,
      { skipped, keys },
    )
    const leftOut = report.model.skipped_files
    const out = values.out ?? '.'
    await mkdir(out, { recursive: true })
    await writeFile(join(out, 'report.html'), report.html)
    await writeFile(join(out, 'report.md'), report.md)
    await writeFile(join(out, 'report.json'), report.json)
    const { totals } = report.model
    if (values.json)
      console.log(
        JSON.stringify({
          report_id: report.model.report_id,
          files: files.length,
          out,
          ...totals,
          skipped: leftOut,
        }),
      )
    else {
      console.error(
        `netlake report ${since} to ${until}: ${files.length} runs file(s), ${totals.runs} runs (${totals.failed} failed)`,
      )
      console.error(
        `${totals.regressions} regression(s), ${totals.improvements} improvement(s); wrote ${join(out, 'report.{html,md,json}')}`,
      )
    }
    printSkipped(leftOut)
    return totals.regressions > 0 ? 1 : 0
  })
}

/** The stack's (or AWS's) own lake: the scheduled job's code path, then the files copied to --out. */
async function reportOnLake(
  dataDir: string | undefined,
  window: ReportWindowOptions,
  out: string | undefined,
  json: boolean | undefined,
): Promise<number> {
  const { openLake } = await import('./lake.ts') // the adapters load only now
  const { runReport } = await import('#functions/report/run-report.ts')
  const lake = await openLake(dataDir)
  if (typeof lake === 'string') {
    console.error(`netlake report: ${lake}`)
    return REPORT_FAILED
  }
  try {
    const record = await runReport(
      { curated: lake.curated, reports: lake.reports, catalog: lake.catalog, clock: lake.clock },
      window,
    )
    if (out) {
      await mkdir(out, { recursive: true })
      for (const [name, key] of Object.entries(record.keys)) {
        const bytes = await lake.reports.get(key)
        if (bytes) await writeFile(join(out, `report.${name}`), bytes)
      }
    }
    const stored = await lake.reports.get(record.keys.json)
    const skipped: SkippedFileNote[] = stored
      ? (JSON.parse(new TextDecoder().decode(stored)).skipped_files ?? [])
      : []
    if (json) console.log(JSON.stringify({ ...record, skipped }))
    else
      console.error(
        `netlake report ${record.window_from} to ${record.window_to} in ${lake.where}: ${record.regressions} regression(s), ${record.improvements} improvement(s); stored as ${record.keys.html}${out ? `, copied to ${join(out, 'report.{html,md,json}')}` : ''}`,
      )
    printSkipped(skipped)
    return record.regressions > 0 ? 1 : 0
  } finally {
    lake.close()
  }
}

/** The files the report left out, on stderr (they do not change the exit code). */
function printSkipped(skipped: readonly SkippedFileNote[]): void {
  if (skipped.length === 0) return
  console.error(
    `${skipped.length} file(s) could not be read and were left out of the report (see 'netlake doctor'):`,
  )
  for (const f of skipped) console.error(`  ${f.key}: ${f.reason}`)
}

/** Runs Parquet files under `dir`: `runs*.parquet`, or any `.parquet` inside a `runs/` folder. */
export async function findRunsParquet(dir: string): Promise<string[]> {
  let entries
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true })
  } catch (error) {
    throw new UsageError(
      `--lake ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    )
  }
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.parquet'))
    .map((e) => join(e.parentPath, e.name))
    .filter((p) => /(^|[\\/])runs[^\\/]*\.parquet$/.test(p) || /(^|[\\/])runs[\\/]/.test(p))
    .sort()
}
