/**
 * `npm run bench:cli`: the CLI as users start it (DESIGN.md §6): wall time of whole `netlake`
 * processes against `node -e 0` in the same run, interleaved rounds, medians.
 *   --help, --version ≤ 3×; normalize of one 100 KB file ≤ 5×; push of one file to a running
 *   local stack ≤ 6×; whole-process `normalize --out` over ≥ 40 MB ≥ 1.5× DuckDB native (whole
 *   process too). Also the pre-build path (tsx at run time) for reference.
 * Rewrites the `cli` section of bench/README.md. NETLAKE_BENCH_ROUNDS (default 15),
 * NETLAKE_BENCH_MB (default 40), NETLAKE_BENCH_BULK_ROUNDS (default 3). NETLAKE_BENCH_ONLY=bulk
 * runs only the bulk comparison and prints it (README untouched). Bulk processes also report
 * their CPU time (user + sys of every thread, read by a preload at exit), which other work on
 * a shared machine disturbs less than wall time.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os, { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { startLocalStack } from '#local/stack.ts'
import { buildCorpus } from './lib/corpus.ts'
import { machineNote } from './lib/machine.ts'
import { median, replaceSection, table } from './lib/stats.ts'

const root = new URL('../', import.meta.url).pathname
const rounds = Number(process.env.NETLAKE_BENCH_ROUNDS ?? 15)
const bulkOnly = process.env.NETLAKE_BENCH_ONLY === 'bulk'
const bulkRounds = Number(process.env.NETLAKE_BENCH_BULK_ROUNDS ?? 3)
const corpusMb = Number(process.env.NETLAKE_BENCH_MB ?? 40)
const scratch = mkdtempSync(join(tmpdir(), 'netlake-bench-cli-'))
const BIN = join(root, 'bin/netlake.js')
const FILE = join(root, 'test/fixtures/real/iperf3-tcp-p4-t60-b200M.json')
const loadBefore = os
  .loadavg()
  .map((x) => x.toFixed(1))
  .join(' ')

execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { stdio: 'inherit' })

/**
 * Wall time of one process in ms; throws when it fails. Asynchronous: the local stack that `push`
 * talks to runs in this process and must keep serving while the child runs.
 */
function timed(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return timedCpu(args, env).then((t) => t.ms)
}

/** Writes the process's CPU time (all threads, ms) to fd 3 when it exits: `node --import` it. */
const CPU_PRELOAD = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => { const u = process.cpuUsage(); try { writeSync(3, String((u.user + u.system) / 1000)) } catch {} })",
)}`

/** Wall time and CPU time (user + sys, every thread) of one process in ms. */
function timedCpu(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  withCpu = false,
): Promise<{ ms: number; cpuMs: number }> {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint()
    const child = spawn(process.execPath, withCpu ? ['--import', CPU_PRELOAD, ...args] : args, {
      cwd: root,
      env,
      stdio: ['ignore', 'ignore', 'pipe', withCpu ? 'pipe' : 'ignore'],
    })
    let stderr = ''
    let cpu = ''
    child.stderr?.on('data', (c) => (stderr += c))
    child.stdio[3]?.on('data', (c) => (cpu += c))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t) / 1e6
      if (code === 0) resolve({ ms, cpuMs: withCpu ? Number(cpu) : Number.NaN })
      else reject(new Error(`node ${args.join(' ').slice(0, 200)} exited ${code}: ${stderr}`))
    })
  })
}

const times = bulkOnly ? new Map<string, number[]>() : await startupRounds()

async function startupRounds(): Promise<Map<string, number[]>> {
  // A local stack for push (its own data dir, found by the CLI as users' commands find theirs).
  const dataDir = join(scratch, 'stack')
  const stack = await startLocalStack({ dataDir, port: 0, sampleData: false, log: () => undefined })
  const template = JSON.parse(readFileSync(FILE, 'utf8'))
  let pushCount = 0
  const pushEnv = {
    ...process.env,
    NETLAKE_API: '',
    NETLAKE_TOKEN: '',
    NETLAKE_DATA_DIR: dataDir,
    NETLAKE_SPOOL: join(scratch, 'spool'),
  }
  function pushOne(): Promise<number> {
    const doc = structuredClone(template)
    doc.start.cookie = `bench-cli-${pushCount++}`
    const file = join(scratch, `push-${pushCount}.json`)
    writeFileSync(file, JSON.stringify(doc))
    return timed(
      [BIN, 'push', file, '--label', 'platform=baremetal', '--label', 'scenario=baseline'],
      pushEnv,
    )
  }

  const contenders: Array<{ name: string; run: () => Promise<number> }> = [
    { name: 'node -e 0', run: () => timed(['-e', '0']) },
    { name: 'netlake --help', run: () => timed([BIN, '--help']) },
    { name: 'netlake --version', run: () => timed([BIN, '--version']) },
    { name: 'netlake normalize (one 103 KB file)', run: () => timed([BIN, 'normalize', FILE]) },
    { name: 'netlake push (one 103 KB file, local stack)', run: pushOne },
    {
      name: 'netlake --help via tsx (before the build)',
      run: () => timed([BIN, '--help'], { ...process.env, NETLAKE_FROM_SOURCE: '1' }),
    },
  ]
  const times = new Map(contenders.map((c) => [c.name, [] as number[]]))
  for (const c of contenders) await c.run() // warm the page cache once
  for (let r = 0; r < rounds; r++)
    for (const c of contenders) times.get(c.name)!.push(await c.run())
  await stack.close()
  return times
}

// Whole-process bulk normalize vs DuckDB native, same corpus, interleaved.
const corpus = buildCorpus(root, join(scratch, 'corpus'), corpusMb * 1e6)
// Inside the repository, so its imports resolve from node_modules (bench/.scratch is git-ignored).
const peerBundle = join(root, 'bench/.scratch/cli-peer-duckdb.mjs')
await build({
  entryPoints: [join(root, 'bench/cli-peer-duckdb.ts')],
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: peerBundle,
  logLevel: 'error',
})
// Interleaved rounds; every process gets a fresh output folder. `--workers 2` (two worker threads)
// is a reference for what threads bring (the default is one thread on 2 cores).
const bulkContenders: Array<{ name: string; args: (out: string) => string[] }> = [
  { name: 'netlake', args: (out) => [BIN, 'normalize', '--out', out, ...corpus.files] },
  {
    name: 'netlake --workers 2',
    args: (out) => [BIN, 'normalize', '--workers', '2', '--out', out, ...corpus.files],
  },
  { name: 'DuckDB', args: (out) => [peerBundle, corpus.dir, out] },
]
const bulk = new Map(
  bulkContenders.map((c) => [c.name, [] as Array<{ ms: number; cpuMs: number }>]),
)
for (let r = 0; r < bulkRounds; r++) {
  for (const [k, c] of bulkContenders.entries()) {
    const out = join(scratch, `out-${r}-${k}`)
    mkdirSync(out, { recursive: true })
    bulk.get(c.name)!.push(await timedCpu(c.args(out), process.env, true))
    rmSync(out, { recursive: true, force: true })
  }
}
rmSync(scratch, { recursive: true, force: true })

const bare = median(times.get('node -e 0') ?? [Number.NaN])
const targets: Record<string, number> = {
  'netlake --help': 3,
  'netlake --version': 3,
  'netlake normalize (one 103 KB file)': 5,
  'netlake push (one 103 KB file, local stack)': 6,
}
const rows = [...times.keys()].map((name) => {
  const m = median(times.get(name)!)
  const goal = targets[name]
  const ratio = m / bare
  return [
    name,
    m.toFixed(0),
    `${ratio.toFixed(2)}×`,
    goal ? `≤ ${goal}×` : name === 'node -e 0' ? '-' : '(reference)',
    goal ? (ratio <= goal ? 'met' : 'MISSED') : '-',
  ]
})
const best = (name: string) => Math.min(...bulk.get(name)!.map((t) => t.ms))
const bestCpu = (name: string) => Math.min(...bulk.get(name)!.map((t) => t.cpuMs))
const bestDuck = best('DuckDB')
const describe = (name: string) =>
  `${name}: ${bulk
    .get(name)!
    .map((t) => `${t.ms.toFixed(0)} ms (CPU ${t.cpuMs.toFixed(0)} ms)`)
    .join(', ')}`
for (const name of ['netlake', 'netlake --workers 2']) {
  const ratio = bestDuck / best(name)
  rows.push([
    `${name === 'netlake' ? 'netlake normalize --out' : 'netlake normalize --workers 2 --out'}, ${corpus.files.length} files, ${(corpus.bytes / 1e6).toFixed(1)} MB (best of ${bulkRounds})`,
    best(name).toFixed(0),
    `${ratio.toFixed(2)}× DuckDB's speed (DuckDB ${bestDuck.toFixed(0)} ms); CPU ${bestCpu(name).toFixed(0)} ms vs DuckDB's ${bestCpu('DuckDB').toFixed(0)} ms (${(bestCpu('DuckDB') / bestCpu(name)).toFixed(2)}×)`,
    name === 'netlake' ? '≥ 1.5×' : '(reference)',
    name === 'netlake' ? (ratio >= 1.5 ? 'met' : 'MISSED') : '-',
  ])
}
const loadAfter = os
  .loadavg()
  .map((x) => x.toFixed(1))
  .join(' ')
const body = `Measured ${new Date().toISOString().slice(0, 16)}Z by \`${bulkOnly ? 'NETLAKE_BENCH_ONLY=bulk ' : ''}npm run bench:cli\`.

- ${machineNote()}; load average before ${loadBefore}, after ${loadAfter} (shared machine: ratios are same-run, absolute ms are noisy)
- ${rounds} interleaved rounds of each process, medians; wall time of the whole process (spawn to exit), dist/ built first; \`push\` sends a distinct document each time to a local stack running in the bench process, found through its data dir
- bulk: whole processes on the same corpus (copies of test/fixtures real + lab iperf3 documents incl. the 60 s × 4-stream run): \`netlake normalize --out DIR FILES...\` vs \`@duckdb/node-api\` \`read_json\` with an explicit schema + two \`COPY … (FORMAT parquet)\` (bench/lib/peer-duckdb.ts bundled, so neither compiles TypeScript); netlake's default here: ${os.availableParallelism() > 2 ? `${os.availableParallelism()} worker threads` : 'one thread'}; rounds (wall, CPU = user + sys of all threads): ${bulkContenders.map((c) => describe(c.name)).join('; ')}

${table(['process', 'ms (median)', 'vs node -e 0', 'goal', 'verdict'], rows)}`
console.log(body)
const readme = join(root, 'bench/README.md')
if (!bulkOnly)
  writeFileSync(
    readme,
    replaceSection(readFileSync(readme, 'utf8'), 'cli', `## CLI start-up\n\n${body}`),
  )
