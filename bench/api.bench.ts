/**
 * Upload API benchmark (DESIGN.md §6): distinct ~100 KB iperf3 uploads to `POST /v1/results` on
 * loopback, 32 connections, autocannon in its own process.
 *   npm run bench:api     (NETLAKE_BENCH_API_S=10 s per phase, NETLAKE_BENCH_API_ROUNDS=3)
 * Contenders, same load, same run, interleaved per round: the minimal durable endpoint (the peer:
 * Hono + JSON.parse + sha256 + one PutObject to the local stack's own s3rver), the API over memory adapters (the API's own cost),
 * and the real local stack (API + ingest worker over s3rver + dynalite). Afterwards every accepted
 * upload is checked: its raw object on s3rver's disk and, once ingest is idle, its runs in
 * `GET /v1/runs`. Prints a table and rewrites the api section of bench/RESULTS-api-query.md.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { machineNote } from './lib/machine.ts'
import { median, replaceSection, table } from './lib/stats.ts'
import type { LoadResult } from './api/load.ts'
import { runLoad } from './api/run-load.ts'
import { profileWhile } from './api/profile.ts'
import { timeUploadStages } from './api/stages.ts'
import { cpuPerUpload } from './api/cpu-per-upload.ts'
import type { CpuPerUpload } from './api/cpu-per-upload.ts'
import { ingestBurst } from './api/ingest-burst.ts'
import type { BurstResult } from './api/ingest-burst.ts'
import type { StageTimes } from './api/stages.ts'
import type { ProfileSummary } from './api/profile.ts'
import { startDurablePeer, startMemoryApi, startStack } from './api/servers.ts'
import type { BenchServer } from './api/servers.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const FIXTURE = path.join(ROOT, 'test/fixtures/real/iperf3-tcp-p4-t60-b200M.json')
const RESULTS = path.join(ROOT, 'bench/RESULTS-api-query.md')
const CONNECTIONS = 32
const DURATION_S = Number(process.env.NETLAKE_BENCH_API_S ?? 10)
const ROUNDS = Number(process.env.NETLAKE_BENCH_API_ROUNDS ?? 3)
const WARMUP_S = 3
/** Per phase, whatever the duration: bounds the stack's disk use (100 KB each) and the run time. */
const MAX_REQUESTS = { peer: 20_000, memory: 100_000, netlake: 20_000 }
const STAGE_UPLOADS = Number(process.env.NETLAKE_BENCH_API_STAGES ?? 200)
const CPU_UPLOADS = Number(process.env.NETLAKE_BENCH_API_CPU ?? 500)
const BURST = Number(process.env.NETLAKE_BENCH_API_BURST ?? 1000)
const LABELS = '?platform=openstack&scenario=os-s1'

const log = (message: string) => process.stderr.write(`${message}\n`)
const loadBefore = os.loadavg()

let salt = 1
type Name = 'peer' | 'memory' | 'netlake'
const results: Record<Name, LoadResult[]> = { peer: [], memory: [], netlake: [] }
const drainMs: number[] = []
const compactMs: number[] = []
/** CPU seconds per second of load, per process, per phase. */
const cpu: Record<Name, Array<{ server: number; children: number; load: number }>> = {
  peer: [],
  memory: [],
  netlake: [],
}
const profiles: Partial<Record<Name, ProfileSummary>> = {}
const accepted: LoadResult['accepted'] = []
const peerAccepted: string[] = []

const memory = await startMemoryApi(CONNECTIONS)
const netlake = await startStack(CONNECTIONS)
const peer = await startDurablePeer(netlake.dataDir)
const servers: Record<Name, BenchServer> = { peer, memory, netlake }

/** CPU ms used so far by this process's children (the s3rver child; tsx's idle esbuild service). */
function childrenCpuMs(): number {
  let ticks = 0
  for (const task of readdirSync(`/proc/${process.pid}/task`)) {
    const children = readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
    for (const pid of children) {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
        ticks += Number(fields[11]) + Number(fields[12])
      } catch {
        // exited meanwhile
      }
    }
  }
  return ticks * 10
}

async function phase(
  name: Name,
  durationS: number,
  keep: boolean,
  profile = false,
): Promise<LoadResult> {
  const server = servers[name]
  const cpuStart = process.cpuUsage()
  const childrenStart = childrenCpuMs()
  let result!: LoadResult
  const load = async () =>
    void (result = await runLoad({
      url: server.url,
      path: `/v1/results${LABELS}`,
      fixture: FIXTURE,
      salt: salt++,
      connections: CONNECTIONS,
      durationS,
      maxRequests: MAX_REQUESTS[name],
      tokens: server.tokens,
      collect: name !== 'memory',
    }))
  if (profile) profiles[name] = await profileWhile(load)
  else await load()
  const used = process.cpuUsage(cpuStart)
  if (keep)
    cpu[name].push({
      server: (used.user + used.system) / 1000 / 1000 / result.durationS,
      children: (childrenCpuMs() - childrenStart) / 1000 / result.durationS,
      load: result.cpuMs / 1000 / result.durationS,
    })
  if (name === 'peer') peerAccepted.push(...result.accepted.map((a) => a.raw_key))
  if (name === 'netlake') {
    accepted.push(...result.accepted)
    const started = performance.now()
    await netlake.stack.idle() // the ingest backlog drains before the next phase loads the CPU
    drainMs.push(performance.now() - started)
    // What the stack's 5-minute timer does: without it every ingest rewrites an ever longer
    // partition file list (read + conditional put of one catalog item per table), see the report.
    const compactStarted = performance.now()
    await netlake.stack.compactNow()
    compactMs.push(performance.now() - compactStarted)
  }
  const { accepted: _, ...summary } = result
  log(
    `${name.padEnd(7)} ${keep ? '' : '(warm-up) '}${result.rps.toFixed(0)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, status ${JSON.stringify(summary.status)}, errors ${result.errors}, timeouts ${result.timeouts}${name === 'netlake' ? `, then ingest drain ${(drainMs.at(-1)! / 1000).toFixed(1)} s, compaction ${(compactMs.at(-1)! / 1000).toFixed(1)} s` : ''}`,
  )
  if (keep) results[name].push(result)
  return result
}

try {
  log(`machine: ${machineNote()}; load ${loadBefore.map((l) => l.toFixed(1)).join(' ')}`)
  for (const name of ['peer', 'memory', 'netlake'] as const) await phase(name, WARMUP_S, false)
  for (let round = 0; round < ROUNDS; round++) {
    log(`round ${round + 1}/${ROUNDS}`)
    for (const name of ['peer', 'memory', 'netlake'] as const) await phase(name, DURATION_S, true)
  }
  // One more phase each for the API under the CPU profiler (not in the figures above).
  for (const name of ['memory', 'netlake'] as const) await phase(name, DURATION_S, false, true)
  await netlake.stack.idle()
  log('timing the upload stages serially ...')
  const stages = await timeUploadStages(netlake.dataDir, variant, STAGE_UPLOADS)
  log(`CPU per upload, API on memory adapters vs sha256 + JSON.parse (${CPU_UPLOADS} uploads) ...`)
  const cpuUpload = await cpuPerUpload(variant, CPU_UPLOADS, `/v1/results${LABELS}`)
  log(
    `  API ${(cpuUpload.apiUs / 1000).toFixed(2)} ms, sha256 + JSON.parse ${(cpuUpload.baselineUs / 1000).toFixed(2)} ms: ${cpuUpload.ratio.toFixed(2)}×; bare Hono read + parse + hash ${(cpuUpload.floorUs / 1000).toFixed(2)} ms (${(cpuUpload.floorUs / cpuUpload.baselineUs).toFixed(2)}×)`,
  )
  log(`ingest burst of ${BURST} uploads ...`)
  const burst = await ingestBurst(variant, BURST)
  log(
    `  ${burst.parquetFiles} Parquet files in ${burst.batches} batches, ${burst.distinctRuns}/${burst.runs} runs`,
  )
  // The peer's 2xx each PUT one object: all must be in s3rver (distinct bodies, distinct keys).
  const peerStored = new Set(await peer.stored())
  const peerMissing = peerAccepted.filter((key) => !peerStored.has(key)).length
  log(
    `peer persistence: ${peerAccepted.length - peerMissing}/${peerAccepted.length} accepted objects in s3rver`,
  )

  // Persistence: every 2xx has its raw object (s3rver's files) and its runs.
  const rawDir = path.join(netlake.dataDir, 's3', 'netlake-raw')
  const bodyBytes = results.netlake[0]?.bodyBytes ?? 0
  const missingRaw = accepted.filter((a) => {
    const file = path.join(rawDir, `${a.raw_key}._S3rver_object`)
    return !existsSync(file) || statSync(file).size !== bodyBytes
  })
  const runIds = await listRunIds(netlake.url, netlake.admin)
  const expectedRuns = accepted.flatMap((a) => a.run_ids)
  const missingRuns = expectedRuns.filter((id) => !runIds.has(id))
  const duplicates = accepted.filter((a) => a.status !== 202).length
  const check = `${accepted.length} accepted uploads (${duplicates} answered as duplicates): ${accepted.length - missingRaw.length} raw objects present with the posted size, ${expectedRuns.length - missingRuns.length}/${expectedRuns.length} runs listed by GET /v1/runs (${runIds.size} runs in the catalog: the other ${runIds.size - expectedRuns.length} are requests still in flight when a phase's time ran out, stored by the server after autocannon stopped listening, at most ${CONNECTIONS} per phase), ingest errors or non-ingested outcomes logged: ${netlake.ingestErrors()}`
  const persisted = missingRaw.length === 0 && missingRuns.length === 0 && duplicates === 0
  log(`persistence: ${persisted ? 'OK' : 'FAILED'}: ${check}`)

  const report = render(persisted, check, stages, cpuUpload, burst, {
    accepted: peerAccepted.length,
    missing: peerMissing,
  })
  process.stdout.write(`${report}\n`)
  const doc = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# API and query benchmarks\n'
  writeFileSync(RESULTS, replaceSection(doc, 'api', report))
  log(`wrote ${path.relative(ROOT, RESULTS)}`)
} finally {
  for (const server of [peer, memory, netlake]) await server.close()
}

/** Every run id the API lists, all pages. */
async function listRunIds(url: string, token: string): Promise<Set<string>> {
  const ids = new Set<string>()
  let cursor: string | null = null
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
    const response = await fetch(`${url}/v1/runs?limit=1000${query}`, {
      headers: { authorization: `Bearer ${token}` },
    })
    if (!response.ok) throw new Error(`GET /v1/runs: ${response.status} ${await response.text()}`)
    const page = (await response.json()) as {
      runs: Array<{ run_id: string }>
      cursor: string | null
    }
    for (const run of page.runs) ids.add(run.run_id)
    cursor = page.cursor
  } while (cursor)
  return ids
}

/** A distinct document for the stage timing (salt 9999, never used by a load phase). */
function variant(i: number): Uint8Array {
  const text = readFileSync(FIXTURE, 'utf8')
  return new TextEncoder().encode(
    text.replace(
      /"cookie":\s*"([a-z0-9]{20})[a-z0-9]+"/,
      (_m, c: string) => `"cookie":\t"${c}9999${String(i).padStart(12, '0')}"`,
    ),
  )
}

function render(
  persisted: boolean,
  check: string,
  stages: StageTimes,
  cpuUpload: CpuPerUpload,
  burst: BurstResult,
  peerCheck: { accepted: number; missing: number },
): string {
  const fmt = (values: number[], digits = 0) =>
    `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`
  const stat = (name: Name, pick: (r: LoadResult) => number, digits = 0) =>
    fmt(results[name].map(pick), digits)
  const rows = (['peer', 'memory', 'netlake'] as const).map((name) => {
    const rs = results[name]
    const total = rs.reduce((s, r) => s + r.requests, 0)
    const ok = rs.reduce(
      (s, r) =>
        s +
        Object.entries(r.status)
          .filter(([code]) => code.startsWith('2'))
          .reduce((t, [, n]) => t + n, 0),
      0,
    )
    return [
      {
        peer: 'peer: Hono + JSON.parse + sha256 + one PutObject to the same s3rver',
        memory: 'netlake API, memory adapters',
        netlake: 'netlake local stack (s3rver + dynalite + ingest)',
      }[name],
      stat(name, (r) => r.rps),
      stat(name, (r) => r.p50Ms),
      stat(name, (r) => r.p99Ms),
      `${ok}/${total}`,
    ]
  })
  // Ratios per round (same round, back to back), then the median and range over rounds.
  const ratio = (a: Name, b: Name, pick: (r: LoadResult) => number) =>
    results[a].map((r, i) => pick(r) / pick(results[b][i]))
  const rpsRatio = ratio('netlake', 'peer', (r) => r.rps)
  const p99Ratio = ratio('netlake', 'peer', (r) => r.p99Ms)
  const memRps = ratio('memory', 'peer', (r) => r.rps)
  const memP99 = ratio('memory', 'peer', (r) => r.p99Ms)
  const pct = (values: number[]) =>
    `${(median(values) * 100).toFixed(0)}% (${(Math.min(...values) * 100).toFixed(0)}–${(Math.max(...values) * 100).toFixed(0)}%)`
  const times = (values: number[]) =>
    `${median(values).toFixed(2)}× (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}×)`
  const loadAfter = os.loadavg()
  return [
    `Measured ${new Date().toISOString().slice(0, 16)}Z by \`npm run bench:api\`.`,
    '',
    `- ${machineNote()}`,
    `- load average before ${loadBefore.map((l) => l.toFixed(1)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(1)).join(' ')}: the 2 cores were shared with other engineers' work, so absolute figures are noisy; ratios compare phases run back to back in the same round`,
    `- load: autocannon 9 in a separate process, ${CONNECTIONS} connections, ${DURATION_S} s per phase (≤ ${MAX_REQUESTS.netlake} requests for netlake), ${ROUNDS} rounds interleaved peer → memory → netlake after a ${WARMUP_S} s warm-up of each; every request a distinct ${(results.netlake[0]?.bodyBytes / 1000).toFixed(0)} KB iperf3 document (the 60 s × 4-stream fixture with a rewritten cookie), raw body with labels as query parameters`,
    `- one collector token per connection: the API limits each token to 100 req/s sustained (6000/min, burst 600), so one token would measure the limiter`,
    `- the local stack's ingest worker runs in the API's process and starts on each upload's S3 event, as in \`npm start\`; its backlog is drained between phases (${drainMs.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s after each netlake phase, warm-up and profiled phase included) and the lake compacted (\`compactNow()\`, ${compactMs.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s) so every phase starts from short partition file lists`,
    `- figures: median over rounds (min–max)`,
    '',
    table(['contender', 'req/s', 'p50 ms', 'p99 ms', '2xx/requests'], rows),
    '',
    table(
      ['target', 'figure', 'goal', 'verdict'],
      [
        [
          'netlake req/s ÷ peer req/s',
          pct(rpsRatio),
          '≥ 50%',
          median(rpsRatio) >= 0.5 ? 'met' : 'MISSED',
        ],
        [
          'netlake p99 ÷ peer p99',
          times(p99Ratio),
          '≤ 2×',
          median(p99Ratio) <= 2 ? 'met' : 'MISSED',
        ],
        [
          'every accepted upload persisted',
          persisted ? 'yes' : 'NO',
          'all',
          persisted ? 'met' : 'MISSED',
        ],
        [
          'API CPU per upload ÷ (sha256 + JSON.parse), memory adapters',
          `${cpuUpload.ratio.toFixed(2)}× (${(cpuUpload.apiUs / 1000).toFixed(2)} ÷ ${(cpuUpload.baselineUs / 1000).toFixed(2)} ms, ${cpuUpload.uploads} serial uploads; a bare Hono read + parse + hash handler on the same path: ${(cpuUpload.floorUs / cpuUpload.baselineUs).toFixed(2)}×)`,
          '≤ 2.5×',
          cpuUpload.ratio <= 2.5 ? 'met' : 'MISSED',
        ],
        [
          `Parquet files ÷ uploads, burst of ${burst.uploads}`,
          `${(burst.parquetFiles / burst.uploads).toFixed(3)} (${burst.parquetFiles} files, ${burst.batches} batches, ${burst.distinctRuns}/${burst.runs} distinct runs, ${burst.errors} errors)`,
          '≤ 0.2, none lost or doubled',
          burst.parquetFiles <= burst.uploads / 5 &&
          burst.runs === burst.uploads &&
          burst.distinctRuns === burst.uploads &&
          burst.errors === 0
            ? 'met'
            : 'MISSED',
        ],
        [
          'peer: accepted objects in s3rver',
          `${peerCheck.accepted - peerCheck.missing}/${peerCheck.accepted}`,
          'all',
          peerCheck.missing === 0 ? 'met' : 'MISSED',
        ],
        ['(memory adapters) req/s ÷ peer', pct(memRps), '(API own cost)', '-'],
        ['(memory adapters) p99 ÷ peer p99', times(memP99), '(API own cost)', '-'],
      ],
    ),
    '',
    `Persistence check: ${check}.`,
    '',
    'CPU per second of load (cores busy; median over rounds): the API process (API + ingest worker + dynalite for netlake), its child processes (s3rver) and the load generator.',
    '',
    table(
      ['contender', 'API process', 'children (s3rver)', 'load generator'],
      (['peer', 'memory', 'netlake'] as const).map((name) => [
        name,
        median(cpu[name].map((c) => c.server)).toFixed(2),
        median(cpu[name].map((c) => c.children)).toFixed(2),
        median(cpu[name].map((c) => c.load)).toFixed(2),
      ]),
    ),
    '',
    ...(['memory', 'netlake'] as const).flatMap((name) => {
      const p = profiles[name]
      if (!p) return []
      const show = (entries: Array<[string, number]>) =>
        entries
          .filter(([, v]) => v >= 0.01)
          .map(([k, v]) => `${k} ${(v * 100).toFixed(0)}%`)
          .join(', ')
      return [
        `CPU profile of the API process during the load of one extra ${name} phase (${p.samples} busy samples at 0.5 ms; not in the figures above): self time by component: ${show(p.components)}; inclusive (synchronous) time of stages: ${show(p.stages)}; top functions by self time: ${show(p.functions)}.`,
        '',
      ]
    }),
    `Upload stages timed one at a time against the same s3rver + dynalite with the stack idle (${STAGE_UPLOADS} distinct documents after a warm-up; PUTs to the reports bucket so no ingest runs), ms:`,
    '',
    table(
      ['stage', 'p50 ms', 'p99 ms'],
      [
        ...stages.map((s) => [s.stage, s.p50.toFixed(2), s.p99.toFixed(2)]),
        ['total', stages.reduce((t, s) => t + s.p50, 0).toFixed(2), ''],
      ],
    ),
  ].join('\n')
}
