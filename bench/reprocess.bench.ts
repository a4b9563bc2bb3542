/**
 * Local reprocess benchmark (issue 17): `netlake reprocess` over ≥ 5,000 raw objects with one
 * worker thread vs one per core, on the same lake (embedded S3 and DynamoDB servers, as the local
 * stack runs them). Target: N workers ≥ 1.6× the single-worker rate on 2 cores.
 *   npm run bench:reprocess                         (5,000 objects, 3 rounds of each)
 *   NETLAKE_BENCH_OBJECTS=200 NETLAKE_BENCH_ROUNDS=1 npm run bench:reprocess   (a quick check)
 * Rounds alternate (1, N, N, 1, …); reprocess is idempotent, so every round re-derives the same lake.
 */
import os from 'node:os'
import { createParquetWriter } from '#adapters/parquet-writer.ts'
import { storeUpload } from '#functions/api/store-upload.ts'
import type { IngestDeps } from '#functions/ingest/ingest-object.ts'
import { reprocessLake, type ReprocessSummary } from '#functions/reprocess/reprocess-lake.ts'
import { IN_FLIGHT_PER_WORKER, startReprocessPool } from '../cli/reprocess-pool.ts'
import { startTestLake } from '../test/helpers/local-servers.ts'
import { fixtureBytes, labLabels, variantOf } from '../test/helpers/memory-lake.ts'
import { coresBusySince, machineNote } from './lib/machine.ts'
import { median, table } from './lib/stats.ts'

// The lockfile's AWS SDK runs on Node 20; its notice about 2027 releases is noise (workers copy env).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
const OBJECTS = Number(process.env.NETLAKE_BENCH_OBJECTS ?? 5_000)
const ROUNDS = Number(process.env.NETLAKE_BENCH_ROUNDS ?? 3)
const WORKERS = Number(process.env.NETLAKE_BENCH_WORKERS ?? os.availableParallelism())
const TARGET = 1.6

const log = (message: string) => process.stderr.write(`${message}\n`)
const lake = await startTestLake()
try {
  const deps: IngestDeps = {
    raw: lake.stores.raw,
    curated: lake.stores.curated,
    catalog: lake.catalog,
    parquet: await createParquetWriter(),
    clock: { now: () => new Date() },
  }
  log(`storing ${OBJECTS} raw objects in ${lake.dataDir} ...`)
  const base = fixtureBytes('lab/baseline/iperf3.json')
  const scenarios = ['baseline', 'os-s1', 'kv-s1', 'os-s2a', 'kv-s2']
  for (let start = 0; start < OBJECTS; start += 32)
    await Promise.all(
      Array.from({ length: Math.min(32, OBJECTS - start) }, (_, i) =>
        storeUpload(
          variantOf(base, start + i),
          {
            labels: labLabels(scenarios[(start + i) % scenarios.length]!),
            tool: null,
            contentType: null,
          },
          deps,
        ),
      ),
    )

  const spec = { config: lake.config, credentials: lake.config.credentials, where: 'bench lake' }
  const timings: Record<number, number[]> = { 1: [], [WORKERS]: [] }
  const busy: Record<number, number[]> = { 1: [], [WORKERS]: [] }
  let last: ReprocessSummary | undefined
  const order = Array.from({ length: ROUNDS }, (_, r) =>
    r % 2 === 0 ? [1, WORKERS] : [WORKERS, 1],
  ).flat()
  for (const workers of order) {
    const pool = await startReprocessPool(spec, workers)
    const started = performance.now()
    const cores = coresBusySince()
    try {
      last = await reprocessLake(deps, undefined, {
        rederive: pool.rederive,
        concurrency: pool.size * IN_FLIGHT_PER_WORKER,
      })
    } finally {
      await pool.close()
    }
    const ms = performance.now() - started
    busy[workers]!.push(cores())
    if (last.failed.length > 0 || last.ingested !== OBJECTS)
      throw new Error(`reprocess with ${workers} workers: ${JSON.stringify(last).slice(0, 400)}`)
    timings[workers]!.push(ms)
    log(
      `${workers} worker(s): ${OBJECTS} objects in ${ms.toFixed(0)} ms, ${busy[workers]!.at(-1)!.toFixed(2)} cores busy`,
    )
  }
  const rate = (w: number) => OBJECTS / (median(timings[w]!) / 1000)
  const ratio = rate(WORKERS) / rate(1)
  console.log(
    table(
      ['workers', 'median ms', 'objects/s', 'cores busy (machine)', 'rounds (ms)'],
      [1, WORKERS].map((w) => [
        w,
        median(timings[w]!).toFixed(0),
        rate(w).toFixed(1),
        `${median(busy[w]!).toFixed(2)} of ${os.cpus().length}`,
        timings[w]!.map((t) => t.toFixed(0)).join(', '),
      ]),
    ),
  )
  console.log(
    `\n${WORKERS} workers / 1 worker: ${ratio.toFixed(2)}× (target ≥ ${TARGET}× on 2 cores; ${OBJECTS} objects, ${last?.runs} runs, ${last?.partitions} partitions; ${machineNote()}; load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
  )
  // With the embedded servers on the same cores, one worker may already keep them busy: the ceiling
  const ceiling = os.cpus().length / median(busy[1]!)
  console.log(
    `one worker kept ${median(busy[1]!).toFixed(2)} of ${os.cpus().length} cores busy (worker, s3rver, dynalite): more workers can gain at most ${ceiling.toFixed(2)}×`,
  )
  if (OBJECTS >= 5_000 && ratio < TARGET) process.exitCode = 1
} finally {
  await lake.close()
}
