/**
 * Report benchmark: the scheduled report (`produceReport`) on native DuckDB (`@duckdb/node-api`,
 * what Node now runs) against the old duckdb-wasm 1.28.0 path, over the runs of a synthetic lake
 * (the query benchmark's shape with a tenth of its repetitions, and one interval per run since
 * the report reads runs only).
 *   npx tsx bench/query-report.bench.ts   (NETLAKE_BENCH_REPORT_ROUNDS=3)
 * Also run at the end of `npm run bench:query`. Rewrites the report section of
 * bench/RESULTS-api-query.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { machineNote } from './lib/machine.ts'
import { median, replaceSection, table } from './lib/stats.ts'
import { timeReports } from './query/report-timing.ts'
import { DEFAULT_SHAPE, ensureLake } from './query/synthetic-lake.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const RESULTS = path.join(ROOT, 'bench/RESULTS-api-query.md')
const ROUNDS = Number(process.env.NETLAKE_BENCH_REPORT_ROUNDS ?? 3)
const LAKE_DIR = path.join(os.tmpdir(), 'netlake-report-bench-lake')
const SHAPE = { ...DEFAULT_SHAPE, repetitions: 36, intervals: 1, streams: 1 }
const log = (message: string) => process.stderr.write(`${message}\n`)

const loadBefore = os.loadavg()
const lake = await ensureLake(LAKE_DIR, SHAPE, log)
const files = lake.layouts.compacted.runs.files
// Dates are 2026-11-01..07: the last three days against the three before.
const window = { from: '2026-11-05', to: '2026-11-07', previousWindows: 1 }
const timing = await timeReports(files, window, ROUNDS, log)
if (!timing.sameReport) throw new Error('native and wasm wrote different reports')

const fmt = (v: number[]) =>
  `${median(v).toFixed(0)} (${Math.min(...v).toFixed(0)}–${Math.max(...v).toFixed(0)})`
const ratio = timing.ms.wasm.map((w, i) => w / timing.ms.native[i])
const body = [
  `Measured ${new Date().toISOString().slice(0, 16)}Z by \`npx tsx bench/query-report.bench.ts\`.`,
  '',
  `- ${machineNote()}`,
  `- load average before ${loadBefore.map((l) => l.toFixed(1)).join(' ')}, after ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} (2 shared cores)`,
  `- \`produceReport\` over ${files.length} compacted runs files (${lake.runs.toLocaleString('en')} runs, ${SHAPE.platforms.length} platforms × 7 dates), window ${window.from}..${window.to} against the 3 days before: ${timing.runs.toLocaleString('en')} runs in the window, ${timing.groups} groups; timed whole (engine open + register + both query files twice + model + renderings); ${ROUNDS} paired rounds after a warm-up, order alternating; both engines wrote byte-identical report.json`,
  '',
  table(
    ['engine', 'report ms, median (min–max)'],
    [
      ['native DuckDB (@duckdb/node-api 1.5)', fmt(timing.ms.native)],
      ['duckdb-wasm 1.28.0 (DuckDB 0.9.1), the old path', fmt(timing.ms.wasm)],
      [
        'wasm ÷ native, paired',
        `${median(ratio).toFixed(2)}× (${Math.min(...ratio).toFixed(2)}–${Math.max(...ratio).toFixed(2)}×)`,
      ],
    ],
  ),
].join('\n')
process.stdout.write(`${body}\n`)
const doc = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# API and query benchmarks\n'
writeFileSync(RESULTS, replaceSection(doc, 'report', body))
log(`wrote ${path.relative(ROOT, RESULTS)}`)
