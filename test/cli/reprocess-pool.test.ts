import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createParquetWriter, readParquetRows } from '#adapters/parquet-writer.ts'
import { storeUpload } from '#functions/api/store-upload.ts'
import { compactAll } from '#functions/compact/compact-all.ts'
import { ingestObject, type IngestDeps } from '#functions/ingest/ingest-object.ts'
import { reprocessLake } from '#functions/reprocess/reprocess-lake.ts'
import { IN_FLIGHT_PER_WORKER, startReprocessPool } from '../../cli/reprocess-pool.ts'
import { startTestLake, type TestLake } from '../helpers/local-servers.ts'
import { fixtureBytes, labLabels, variantOf } from '../helpers/memory-lake.ts'

let lake: TestLake
let deps: IngestDeps & { readParquet: typeof readParquetRows }
beforeAll(async () => {
  lake = await startTestLake()
  deps = {
    raw: lake.stores.raw,
    curated: lake.stores.curated,
    catalog: lake.catalog,
    parquet: await createParquetWriter(),
    clock: { now: () => new Date('2026-11-26T10:00:00Z') },
    readParquet: readParquetRows,
  }
  // 12 uploads over three scenarios, compacted, then 3 more not yet compacted
  const base = fixtureBytes('lab/baseline/iperf3.json')
  const scenarios = ['baseline', 'os-s1', 'kv-s1']
  const upload = async (n: number) => {
    const stored = await storeUpload(
      variantOf(base, n),
      { labels: labLabels(scenarios[n % 3]!), tool: null, contentType: null },
      deps,
    )
    await ingestObject(stored.body.raw_key, deps)
  }
  for (let n = 0; n < 12; n++) await upload(n)
  await compactAll(deps)
  for (let n = 12; n < 15; n++) await upload(n)
})
afterAll(() => lake?.close())

/** Each partition's committed files and the runs table's run ids, read through the catalog. */
async function snapshot() {
  const partitions = (await deps.catalog.listPartitions())
    .map((p) => `${p.table}/${p.platform}/${p.date}: ${p.files.map((f) => f.key).sort()}`)
    .sort()
  const runIds: string[] = []
  let intervals = 0
  for (const p of await deps.catalog.listPartitions())
    for (const f of p.files) {
      const rows = await readParquetRows((await deps.curated.get(f.key)) as Uint8Array)
      if (p.table === 'runs') runIds.push(...rows.map((r) => r.run_id as string))
      if (p.table === 'intervals') intervals += rows.length
    }
  const stored: string[] = []
  for await (const o of deps.curated.list('curated/')) stored.push(o.key)
  const listed = (await deps.catalog.listPartitions()).flatMap((p) => p.files.map((f) => f.key))
  return {
    partitions,
    runIds: runIds.sort(),
    intervals,
    stored: stored.sort(),
    listed: listed.sort(),
  }
}

describe('reprocess in worker threads', () => {
  it('rebuilds a compacted lake with two workers: every run once, nothing orphaned, same as one thread', async () => {
    // Prepare
    const before = await snapshot()
    const pool = await startReprocessPool(
      { config: lake.config, credentials: lake.config.credentials, where: 'test lake' },
      2,
    )

    // Act
    let threaded
    try {
      threaded = await reprocessLake(deps, undefined, {
        rederive: pool.rederive,
        concurrency: pool.size * IN_FLIGHT_PER_WORKER,
      })
    } finally {
      await pool.close()
    }
    const afterThreads = await snapshot()
    const inline = await reprocessLake(deps)
    const afterInline = await snapshot()

    // Assess
    expect(pool.size).toBe(2)
    expect(threaded).toMatchObject({ objects: 15, ingested: 15, quarantined: 0, failed: [] })
    expect(threaded.runs).toBe(before.runIds.length)
    expect(before.runIds).toHaveLength(15)
    expect(afterThreads.runIds).toEqual(before.runIds)
    expect(afterThreads.intervals).toBe(before.intervals)
    expect(afterThreads.listed.some((k) => k.includes('compacted-'))).toBe(false)
    expect(afterThreads.stored).toEqual(afterThreads.listed)
    expect(inline).toEqual(threaded)
    expect(afterInline).toEqual(afterThreads)
  }, 120_000)

  it('names every object as failed when the workers are gone and keeps their files, so a rerun retries them', async () => {
    // Prepare
    const pool = await startReprocessPool(
      { config: lake.config, credentials: lake.config.credentials, where: 'test lake' },
      1,
    )
    // Files holding rows of many objects (the reprocess above wrote one batch file per partition,
    // compaction may merge more): the case that could lose some
    await compactAll(deps)
    const before = await snapshot()
    await pool.close()

    // Act: every worker has exited before the first object is sent
    const summary = await reprocessLake(deps, undefined, {
      rederive: pool.rederive,
      concurrency: 4,
    })
    const after = await snapshot()
    const rerun = await reprocessLake(deps)

    // Assess
    expect(before.listed.length).toBe(before.partitions.length)
    for (const key of before.listed)
      expect(key).toMatch(/\/(batch|compacted)-[0-9a-f]{32}\.parquet$/)
    expect(summary.objects).toBe(15)
    expect(summary.partitions).toBe(0)
    expect(summary.failed).toHaveLength(15)
    for (const f of summary.failed) expect(f.error).toMatch(/every reprocess worker has exited/)
    expect(after.runIds).toEqual(before.runIds)
    expect(after.listed).toEqual(before.listed)
    expect(rerun).toMatchObject({ objects: 15, ingested: 15, failed: [] })
  }, 120_000)
})
