/**
 * Query benchmark (DESIGN.md §6): the notebook's scenario comparison over a synthetic lake of
 * ≥ 10 M interval rows, duckdb-wasm 1.28.0 (as the notebook and reports run it) against native
 * DuckDB on the same files in the same run, over the compacted layout and over many small files.
 *   npm run bench:query   (NETLAKE_BENCH_QUERY_ROUNDS=5; the lake is cached in the temp dir,
 *                          NETLAKE_BENCH_QUERY_FRESH=1 regenerates it)
 * Prints a table and rewrites the query section of bench/RESULTS-api-query.md.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseQueryFile } from '#sql/query-file.ts'
import { machineNote } from './lib/machine.ts'
import { median, replaceSection, table } from './lib/stats.ts'
import { openNative, openWasm } from './query/engines.ts'
import type { BenchEngine, LakeFiles } from './query/engines.ts'
import { DEFAULT_SHAPE, ensureLake } from './query/synthetic-lake.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const RESULTS = path.join(ROOT, 'bench/RESULTS-api-query.md')
const ROUNDS = Number(process.env.NETLAKE_BENCH_QUERY_ROUNDS ?? 5)
const LAKE_DIR = path.join(os.tmpdir(), 'netlake-query-bench-lake')
const log = (message: string) => process.stderr.write(`${message}\n`)
const loadBefore = os.loadavg()

const scenarioFile = parseQueryFile(
  'tcp-throughput-by-scenario',
  readFileSync(path.join(ROOT, 'sql/queries/tcp-throughput-by-scenario.sql'), 'utf8'),
)
const QUERIES = [
  {
    id: 'runs',
    label: '`sql/queries/tcp-throughput-by-scenario.sql` (runs, no filter)',
    sql: scenarioFile.sql,
    params: scenarioFile.params.map(() => null),
  },
  {
    id: 'intervals',
    label: '`bench/query/sum-throughput-by-scenario.sql` (intervals ⋈ runs)',
    sql: readFileSync(path.join(ROOT, 'bench/query/sum-throughput-by-scenario.sql'), 'utf8'),
    params: [],
  },
] as const
type QueryId = (typeof QUERIES)[number]['id']
type Layout = 'compacted' | 'small'
type EngineId = 'wasm' | 'native' | 'native1'
const NATIVE_THREADS = os.cpus().length

if (process.env.NETLAKE_BENCH_QUERY_FRESH) rmSync(LAKE_DIR, { recursive: true, force: true })
log(`lake in ${LAKE_DIR}`)
const lake = await ensureLake(LAKE_DIR, DEFAULT_SHAPE, log)
log(`${lake.runs} runs, ${lake.intervalRows} interval rows, ${lake.partitions} partitions`)

const times: Record<string, number[]> = {}
const openMs: Record<string, number> = {}
const versions: Record<string, string> = {}
const key = (layout: Layout, engine: EngineId, query: QueryId) => `${layout}/${engine}/${query}`

const ENGINES = ['wasm', 'native', 'native1'] as const
const LAYOUTS = ['compacted', 'small'] as const
const engines: Partial<Record<string, BenchEngine>> = {}
try {
  for (const layout of LAYOUTS) {
    const files: LakeFiles = {
      runs: lake.layouts[layout].runs.files,
      intervals: lake.layouts[layout].intervals.files,
    }
    for (const id of ENGINES) {
      const started = performance.now()
      const engine =
        id === 'wasm'
          ? await openWasm(files)
          : await openNative(files, id === 'native' ? NATIVE_THREADS : 1)
      engines[`${layout}/${id}`] = engine
      openMs[`${layout}/${id}`] = performance.now() - started
      versions[id] = engine.version
    }
    // Warm-up, and every engine must give the same answer.
    for (const query of QUERIES) {
      const answers: string[] = []
      for (const id of ENGINES)
        answers.push(summarize(await engines[`${layout}/${id}`]!.query(query.sql, query.params)))
      if (new Set(answers).size !== 1)
        throw new Error(`${layout} ${query.id}: engines disagree:\n${answers.join('\n')}`)
      log(`${layout} ${query.id}: ${answers[0].slice(0, 140)}`)
    }
  }
  // Each round runs every (query, engine) on both layouts back to back, so paired ratios share conditions.
  for (let round = 0; round < ROUNDS; round++) {
    const line: string[] = []
    for (const query of QUERIES) {
      for (const id of ENGINES) {
        for (const layout of LAYOUTS) {
          const started = performance.now()
          await engines[`${layout}/${id}`]!.query(query.sql, query.params)
          const ms = performance.now() - started
          ;(times[key(layout, id, query.id)] ??= []).push(ms)
          line.push(`${layout}/${id}/${query.id} ${ms.toFixed(0)}`)
        }
      }
    }
    log(`round ${round + 1}/${ROUNDS} (ms): ${line.join(', ')}`)
  }
} finally {
  for (const engine of Object.values(engines)) await engine?.close()
}

const report = render()
process.stdout.write(`${report}\n`)
const doc = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# API and query benchmarks\n'
writeFileSync(RESULTS, replaceSection(doc, 'query', report))
log(`wrote ${path.relative(ROOT, RESULTS)}`)

/** A stable text of a result (rounded), to compare engines. */
function summarize(rows: Record<string, unknown>[]): string {
  return JSON.stringify(
    rows.map((row) =>
      Object.values(row).map((v) =>
        typeof v === 'number'
          ? Number(v.toPrecision(6))
          : typeof v === 'string' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v)
            ? Number(Number(v).toPrecision(6))
            : v,
      ),
    ),
  )
}

function render(): string {
  const ms = (values: number[]) =>
    `${median(values).toFixed(0)} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`
  const ratios = (a: number[], b: number[]) => a.map((v, i) => v / b[i])
  const times3 = (values: number[]) =>
    `${median(values).toFixed(2)}× (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}×)`
  const engineName: Record<EngineId, string> = {
    wasm: 'duckdb-wasm 1.28.0',
    native: `native, ${NATIVE_THREADS} threads`,
    native1: 'native, 1 thread',
  }
  const timing = (['compacted', 'small'] as const).flatMap((layout) =>
    (['wasm', 'native', 'native1'] as const).map((id) => [
      layout === 'compacted'
        ? `compacted (${lake.layouts.compacted.intervals.files.length} + ${lake.layouts.compacted.runs.files.length} files)`
        : `small (${lake.layouts.small.intervals.files.length} + ${lake.layouts.small.runs.files.length} files)`,
      engineName[id],
      openMs[`${layout}/${id}`].toFixed(0),
      ms(times[key(layout, id, 'runs')]),
      ms(times[key(layout, id, 'intervals')]),
    ]),
  )
  const verdict = (value: number, ok: (v: number) => boolean) => (ok(value) ? 'met' : 'MISSED')
  const targets: string[][] = []
  for (const query of QUERIES) {
    const r = ratios(
      times[key('compacted', 'wasm', query.id)],
      times[key('compacted', 'native', query.id)],
    )
    targets.push([
      `wasm ÷ native (${NATIVE_THREADS} threads), compacted, ${query.id}`,
      times3(r),
      '≤ 2.5×',
      verdict(median(r), (v) => v <= 2.5),
    ])
  }
  for (const query of QUERIES) {
    const r = ratios(
      times[key('compacted', 'wasm', query.id)],
      times[key('compacted', 'native1', query.id)],
    )
    targets.push([`(wasm ÷ native 1 thread, compacted, ${query.id})`, times3(r), '-', '-'])
  }
  for (const id of ['wasm', 'native'] as const) {
    for (const query of QUERIES) {
      const r = ratios(times[key('small', id, query.id)], times[key('compacted', id, query.id)])
      targets.push([
        `small ÷ compacted, ${engineName[id]}, ${query.id}`,
        times3(r),
        '≥ 2.5×',
        verdict(median(r), (v) => v >= 2.5),
      ])
    }
  }
  const mb = (bytes: number) => (bytes / 1e6).toFixed(0)
  const loadAfter = os.loadavg()
  const s = lake.shape
  return [
    `Measured ${new Date().toISOString().slice(0, 16)}Z by \`npm run bench:query\`.`,
    '',
    `- ${machineNote()}`,
    `- load average before ${loadBefore.map((l) => l.toFixed(1)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(1)).join(' ')}: the 2 cores were shared with other engineers' work, so absolute figures are noisy; ratios pair runs made back to back in the same round (each query on both layouts and all engines per round)`,
    `- engines: ${versions.wasm} via \`createDuckDb()\` (one thread, files registered from local disk with NODE_FS); ${versions.native}; views as the notebook makes them (\`read_parquet([...], union_by_name = true)\` per table, \`parquetViewSql\`); query times exclude opening (registering files + CREATE VIEW, the "open ms" column)`,
    `- lake (synthetic, seeded, written with \`createParquetWriter()\`, ZSTD): ${s.platforms.length} platforms × ${s.scenarios} scenarios × ${s.hardwareProfiles} hardware profiles × ${s.repetitions} repetitions = ${lake.runs} iperf3 TCP runs (2% failed, no intervals) over ${s.dates} dates, ${s.intervals} intervals × (${s.streams} streams + sum) = ${lake.intervalRows.toLocaleString('en')} interval rows; ${lake.partitions} partitions \`platform=<p>/date=<d>\``,
    `- compacted: one file per table and partition (${mb(lake.layouts.compacted.intervals.bytes)} MB intervals, ${mb(lake.layouts.compacted.runs.bytes)} MB runs); small: ${s.runsPerSmallFile} runs per file (${lake.layouts.small.intervals.files.length} + ${lake.layouts.small.runs.files.length} files, ${mb(lake.layouts.small.intervals.bytes)} MB + ${mb(lake.layouts.small.runs.bytes)} MB). Ingest writes one file per run before compaction, so a real uncompacted lake of this size would have ${s.runsPerSmallFile}× more files; the file count was capped to keep the run to minutes, which understates what compaction buys. At 10 runs per file (3,465 files per table) duckdb-wasm 1.28.0 could not even create the notebook's \`union_by_name\` view ("memory access out of bounds", probed separately; without \`union_by_name\` it opened and a \`count(*)\` over the runs files took 13 s), so 20 runs per file is the largest small-file layout it can run here`,
    `- queries: runs = ${QUERIES[0].label}; intervals = ${QUERIES[1].label}, the median per-second throughput per scenario; every engine returned the same rows; ${ROUNDS} rounds after one warm-up, median (min–max) ms`,
    '',
    table(['layout', 'engine', 'open ms', 'runs query ms', 'intervals query ms'], timing),
    '',
    table(['target', 'figure', 'goal', 'verdict'], targets),
  ].join('\n')
}

// The scheduled report on native DuckDB vs the old duckdb-wasm path (its own section).
await import('./query-report.bench.ts')
