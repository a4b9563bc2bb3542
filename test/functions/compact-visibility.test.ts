import { describe, expect, it } from 'vitest'
import { storeUpload } from '#functions/api/store-upload.ts'
import { ingestObject, type IngestDeps } from '#functions/ingest/ingest-object.ts'
import { compactAll } from '#functions/compact/compact-all.ts'
import { deriveObject } from '#functions/ingest/derive-object.ts'
import { curatedKey, parseRawKey } from '#core/object-keys.ts'
import { manifestKeys, SYMLINK_PREFIX } from '#functions/lake/symlink-manifest.ts'
import { sweepLake } from '#functions/lake/sweep-lake.ts'
import { createMemoryLake, fixtureBytes, labLabels, variantOf } from '../helpers/memory-lake.ts'

const BUCKET = 'netlake-curated'
const HOUR = 3_600_000
/** How many writes a slow reader's query spans between planning and reading its files. */
const LAG = 3

/** The files every day's runs manifest lists now (what Athena plans a query from). */
async function manifestListing(lake: Awaited<ReturnType<typeof createMemoryLake>>) {
  const keys: string[] = []
  for await (const object of lake.curated.list(`${SYMLINK_PREFIX}runs/`)) {
    keys.push(...manifestKeys(new TextDecoder().decode((await lake.curated.get(object.key))!)))
  }
  return keys
}

/** Rows of the listed files; a listed file that is gone is an error, as it is for a reader. */
async function countFiles(lake: Awaited<ReturnType<typeof createMemoryLake>>, keys: string[]) {
  let rows = 0
  for (const key of keys) {
    const bytes = await lake.curated.get(key)
    if (bytes === null) throw new Error(`a manifest listed ${key}, which is gone`)
    rows += (await lake.readParquet(bytes)).length
  }
  return rows
}

/** A reader that lists the data folders (what the manifests replace), for contrast. */
async function countByListing(lake: Awaited<ReturnType<typeof createMemoryLake>>) {
  let rows = 0
  for await (const object of lake.curated.list('curated/runs/')) {
    if (object.key.endsWith('.parquet'))
      rows += (await lake.readParquet((await lake.curated.get(object.key))!)).length
  }
  return rows
}

/** The truth: rows of the runs files the catalog lists (what netlake's own readers count). */
async function committedRows(lake: Awaited<ReturnType<typeof createMemoryLake>>) {
  const partitions = await lake.catalog.listPartitions('runs')
  return partitions.reduce((n, p) => n + p.files.reduce((m, f) => m + f.rows, 0), 0)
}

interface Observation {
  step: string
  /** A reader that read the manifests and their files between two writes. */
  manifest: number
  /** A slow reader: manifests read LAG writes ago, files read now (0 until it has a plan). */
  slow: number
  /** A reader that lists the data folders. */
  listing: number
  truth: number
}

/**
 * Wrap the lake so that the readers look after every write to the store or the catalog: the
 * finest interleaving a concurrent reader could see.
 */
function observeEveryWrite(lake: Awaited<ReturnType<typeof createMemoryLake>>, log: Observation[]) {
  // Plans of the last LAG looks: the slow reader reads files listed LAG writes ago.
  const plans: string[][] = []
  const look = async (step: string) => {
    const slow = await countFiles(lake, plans.length === LAG ? plans.shift()! : []).catch(
      (e: Error) => e.message,
    )
    const planned = await manifestListing(lake)
    plans.push(planned)
    const manifest = await countFiles(lake, planned)
    log.push({
      step,
      manifest,
      slow: slow as number,
      listing: await countByListing(lake),
      truth: await committedRows(lake),
    })
  }
  const put = lake.curated.put.bind(lake.curated)
  const del = lake.curated.delete.bind(lake.curated)
  const putPartition = lake.catalog.putPartition.bind(lake.catalog)
  lake.curated.put = async (key, body, options) => {
    const info = await put(key, body, options)
    await look(`put ${key}`)
    return info
  }
  lake.curated.delete = async (key) => {
    await del(key)
    await look(`delete ${key}`)
  }
  lake.catalog.putPartition = async (partition, expected) => {
    await putPartition(partition, expected)
    await look(
      `commit ${partition.table}/${partition.platform}/${partition.date} v${partition.version}`,
    )
  }
  /** The clock jumps past the grace period: every query planned before has finished. */
  const timePasses = () => void plans.splice(0)
  return { look, timePasses }
}

/** Fail the `n`-th call of `fn` matching `when` (once), as a killed function would. */
function crashOnce<T extends (...args: never[]) => Promise<unknown>>(
  fn: T,
  when: (...args: Parameters<T>) => boolean,
): T {
  let armed = true
  return (async (...args: Parameters<T>) => {
    if (armed && when(...args)) {
      armed = false
      throw new Error('killed')
    }
    return fn(...args)
  }) as T
}

describe('external readers through the symlink manifests', () => {
  it('never see a double or a gap through ingest, compaction, a crashed compaction, a crashed ingest and the sweep', async () => {
    // Prepare: one openstack day, uploads ingested one by one with manifests on
    const lake = await createMemoryLake()
    const deps: IngestDeps = { ...lake.deps, manifestBucket: BUCKET }
    const compactDeps = { ...lake, manifestBucket: BUCKET }
    const log: Observation[] = []
    const { look, timePasses } = observeEveryWrite(lake, log)
    const uploaded: string[] = []
    const upload = async (n: number) => {
      const bytes = variantOf(fixtureBytes('lab/os-s1/iperf3.json'), n)
      const key = (
        await storeUpload(
          bytes,
          { labels: labLabels('os-s1'), tool: null, contentType: 'application/json' },
          lake,
        )
      ).body.raw_key
      uploaded.push(key)
      return key
    }
    const mark = () => log.length

    // Act 1: ingest four objects, compact, ingest two more
    for (let n = 0; n < 4; n++) await ingestObject(await upload(n), deps)
    await compactAll(compactDeps, { maxRowsPerFile: 1_000_000, minFiles: 2 })
    for (let n = 4; n < 6; n++) await ingestObject(await upload(n), deps)
    const afterIngest = mark()
    await look('after ingest')

    // Act 2: a compaction killed after its merged file is written, before the catalog switch
    lake.catalog.putPartition = crashOnce(lake.catalog.putPartition, (p) => p.table === 'runs')
    await expect(
      compactAll(compactDeps, { maxRowsPerFile: 1_000_000, minFiles: 2 }),
    ).rejects.toThrow('killed')
    // Act 3: a compaction killed after the catalog switch, before the manifest PUT
    lake.curated.put = crashOnce(lake.curated.put, (key) => key.startsWith(SYMLINK_PREFIX))
    await expect(
      compactAll(compactDeps, { maxRowsPerFile: 1_000_000, minFiles: 2 }),
    ).rejects.toThrow('killed')
    await look('after two crashed compactions')
    // Act 4: a clean compaction of what is left, then an ingest that dies before any commit
    await compactAll(compactDeps, { maxRowsPerFile: 1_000_000, minFiles: 2 })
    const orphanKey = await upload(99)
    await deriveObject(
      orphanKey,
      parseRawKey(orphanKey)!.sha256,
      parseRawKey(orphanKey)!.date,
      lake,
    )
    await look('after an ingest that died before its commit')
    // Act 5: sweeps, first within the grace period, then past it
    const early = await sweepLake(
      { ...lake, curatedBucket: BUCKET },
      { now: new Date(), graceMs: HOUR },
    )
    timePasses()
    const late = await sweepLake(
      { ...lake, curatedBucket: BUCKET },
      { now: new Date(Date.now() + 2 * HOUR), graceMs: HOUR },
    )
    await look('after the sweeps')

    // Assess: the manifest reader never exceeds the committed truth and never drops below the
    // truth it had already shown; once each ingest's publish ran, it equals the truth
    const truth = log.at(-1)!.truth
    expect(truth).toBe(6)
    let shown = 0
    for (const o of log) {
      expect(o.manifest, o.step).toBeLessThanOrEqual(o.truth)
      expect(o.manifest, o.step).toBeGreaterThanOrEqual(shown)
      expect(
        typeof o.slow === 'number' ? o.slow : Number.NaN,
        `${o.step}: ${o.slow}`,
      ).toBeLessThanOrEqual(o.manifest)
      shown = o.manifest
    }
    // Two tables (runs, intervals), each compacted twice: after the first four uploads, then
    // (through the crashes) with the last two; the first merged files went with the sweep
    const compactedPuts = new Set(
      log.filter((o) => /^put .*\/compacted-/.test(o.step)).map((o) => o.step.slice(4)),
    )
    const finalFiles = (await lake.catalog.listPartitions()).flatMap((p) =>
      p.files.map((f) => f.key),
    )
    expect(compactedPuts.size).toBe(2 * 2)
    const firstCompacted = [...compactedPuts].filter((k) => !finalFiles.includes(k))
    expect(firstCompacted).toHaveLength(2)
    for (const o of log.slice(afterIngest))
      expect(o, o.step).toMatchObject({ manifest: truth, truth })
    // The listing reader over the same lake did double-count: what the manifests prevent
    expect(Math.max(...log.map((o) => o.listing))).toBeGreaterThan(truth)
    // A crashed compaction was repaired by the sweep; the replaced and orphaned files are gone,
    // and only after the grace period
    expect(early.deleted).toEqual([])
    // What waited out the grace period: per table, the one-object file of each of the 7 uploads
    // (6 ingested, 1 orphaned) and the first compacted file; the later sweep deleted exactly that
    const day = (await lake.catalog.listPartitions('runs'))[0].date
    const oneObjectFiles = (['runs', 'intervals'] as const).flatMap((table) =>
      uploaded.map((key) => curatedKey(table, 'openstack', day, parseRawKey(key)!.sha256)),
    )
    expect(uploaded).toHaveLength(7)
    expect([...early.waiting].sort()).toEqual([...oneObjectFiles, ...firstCompacted].sort())
    expect([...late.deleted].sort()).toEqual([...early.waiting].sort())
    expect(late.deleted.some((k) => k.includes(parseRawKey(orphanKey)!.sha256))).toBe(true)
    expect(log.at(-1)).toMatchObject({ manifest: truth, listing: truth, truth })
    const partition = (await lake.catalog.listPartitions('runs'))[0]
    expect(partition.files).toHaveLength(1)
  })
})
