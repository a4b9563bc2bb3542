import { describe, expect, it } from 'vitest'
import { storeUpload } from '#functions/api/store-upload.ts'
import { compactAll } from '#functions/compact/compact-all.ts'
import { ingestObject } from '#functions/ingest/ingest-object.ts'
import { readManifest } from '#functions/lake/symlink-manifest.ts'
import { rawItemsOf, tallyMapRun } from '#functions/reprocess/map-results.ts'
import { rederiveBatch } from '#functions/reprocess/rederive-batch.ts'
import { reportOfBatch, switchPartitions } from '#functions/reprocess/reprocess-lake.ts'
import {
  createMemoryLake,
  fixtureBytes,
  labLabels,
  lakeRunIds,
  variantOf,
} from '../helpers/memory-lake.ts'

type Lake = Awaited<ReturnType<typeof createMemoryLake>>

/**
 * What the Distributed Map does with `batches` (lists of keys as its ItemBatcher groups them):
 * each batch either runs through the batch handler's code or fails; the ResultWriter's files are
 * written as Step Functions writes them (Transformation NONE: Input and Output as JSON text).
 */
async function runMap(lake: Lake, batches: string[][], failing: Set<number>) {
  const succeeded: unknown[] = []
  const failed: unknown[] = []
  for (const [i, keys] of batches.entries()) {
    const Input = JSON.stringify({ Items: keys.map((key) => ({ key })) })
    if (failing.has(i)) {
      failed.push({ Status: 'FAILED', Input, Error: 'States.Timeout', Cause: 'Task timed out' })
      continue
    }
    const report = reportOfBatch(await rederiveBatch(rawItemsOf(keys), lake.deps))
    succeeded.push({ Status: 'SUCCEEDED', Input, Output: JSON.stringify(report) })
  }
  const files: Record<string, string> = {
    'reprocess/run/SUCCEEDED_0.json': JSON.stringify(succeeded),
    'reprocess/run/FAILED_0.json': JSON.stringify(failed),
  }
  const manifest = JSON.stringify({
    DestinationBucket: 'netlake-reports',
    MapRunArn: 'arn:aws:states:us-east-1:123456789012:mapRun:netlake/Reprocess:run',
    ResultFiles: {
      SUCCEEDED: [{ Key: 'reprocess/run/SUCCEEDED_0.json', Size: 1 }],
      FAILED: failed.length > 0 ? [{ Key: 'reprocess/run/FAILED_0.json', Size: 1 }] : [],
      PENDING: [],
    },
  })
  return tallyMapRun(manifest, async (key) => files[key])
}

describe('reprocess fan-out results (the AWS switch step)', () => {
  it('re-derives bytes held under two raw keys of one batch once, under the key their record names', async () => {
    // Prepare: the same bytes under an earlier and a later day's key, ingested under the later
    const lake = await createMemoryLake()
    const bytes = fixtureBytes('lab/os-s1/iperf3.json')
    const stored = await storeUpload(
      bytes,
      { labels: labLabels('os-s1'), tool: null, contentType: null },
      lake,
    )
    const earlier = stored.body.raw_key
    const object = (await lake.raw.getWithMetadata(earlier))!
    const later = earlier.replace('date=2026-11-26', 'date=2026-11-27')
    await lake.raw.put(later, object.bytes, { metadata: object.metadata })
    await ingestObject(later, lake)
    expect((await lake.catalog.getIngestRecord(stored.body.raw_sha256))?.raw_key).toBe(later)
    // Act: the Map's item batcher put both keys in one batch, the earlier first
    const batch = await rederiveBatch(rawItemsOf([earlier, later]), lake.deps)
    // Assess: the later key is re-derived, the earlier one is its duplicate
    expect(batch.items).toMatchObject([
      { key: earlier, ok: true, record: null, duplicateOf: later },
      { key: later, ok: true, record: { raw_key: later, outcome: 'ingested' } },
    ])
  })

  it('switches a compacted lake to the batches’ files: every run once, manifests on the new files', async () => {
    // Prepare: 10 uploads over two platforms, compacted, and every raw key listed as ListObjectsV2 would
    const lake = await createMemoryLake()
    const base = fixtureBytes('lab/baseline/iperf3.json')
    for (let n = 0; n < 10; n++) {
      const stored = await storeUpload(
        variantOf(base, n),
        { labels: labLabels(n % 2 ? 'os-s1' : 'baseline'), tool: null, contentType: null },
        lake,
      )
      await ingestObject(stored.body.raw_key, lake.deps)
    }
    await compactAll(lake)
    const before = await lakeRunIds(lake)
    const listed: string[] = []
    for await (const o of lake.raw.list('raw/date=')) listed.push(o.key)
    const batches = [listed.slice(0, 8), listed.slice(8)]

    // Act
    const tally = await runMap(lake, batches, new Set())
    const summary = await switchPartitions(
      { ...lake.deps, manifestBucket: 'netlake-curated' },
      tally,
    )

    // Assess
    expect(listed).toHaveLength(10) // the raw objects: their labels travel as object metadata
    expect(summary).toMatchObject({ objects: 10, ingested: 10, runs: 10, failed: [] })
    expect(await lakeRunIds(lake)).toEqual(before)
    for (const p of await lake.catalog.listPartitions('runs')) {
      for (const f of p.files) expect(f.key).toMatch(/\/batch-[0-9a-f]{32}\.parquet$/)
      const committed = (await lake.catalog.listPartitions('runs'))
        .filter((q) => q.date === p.date)
        .flatMap((q) => q.files.map((f) => f.key))
        .sort()
      expect(await readManifest(lake.curated, 'runs', p.date)).toEqual(committed)
    }
  })

  it('names the objects of a batch that failed after its retries and keeps their rows as they were', async () => {
    // Prepare: 6 single-file uploads (not compacted) and a Map Run whose second batch failed
    const lake = await createMemoryLake()
    const base = fixtureBytes('lab/baseline/iperf3.json')
    const keys: string[] = []
    for (let n = 0; n < 6; n++) {
      const stored = await storeUpload(
        variantOf(base, n),
        { labels: labLabels('baseline'), tool: null, contentType: null },
        lake,
      )
      await ingestObject(stored.body.raw_key, lake.deps)
      keys.push(stored.body.raw_key)
    }
    keys.sort()
    const before = await lakeRunIds(lake)

    // Act
    const tally = await runMap(lake, [keys.slice(0, 4), keys.slice(4)], new Set([1]))
    const summary = await switchPartitions(lake.deps, tally)

    // Assess
    expect(summary).toMatchObject({ objects: 6, ingested: 4, runs: 4 })
    expect(summary.failed).toEqual(
      keys.slice(4).map((key) => ({
        key,
        error: 'its batch failed: States.Timeout: Task timed out',
      })),
    )
    expect(await lakeRunIds(lake)).toEqual(before) // 4 from the new batch file, 2 from their old files
    const files = (await lake.catalog.listPartitions('runs')).flatMap((p) => p.files)
    expect(files.filter((f) => f.sources?.length === 4)).toHaveLength(1)
    expect(files.filter((f) => f.sources === undefined)).toHaveLength(2)
  })
})
