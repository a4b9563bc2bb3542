import { describe, expect, it } from 'vitest'
import { storeUpload } from '#functions/api/store-upload.ts'
import { ingestBatch } from '#functions/ingest/ingest-batch.ts'
import type { IngestDeps } from '#functions/ingest/ingest-object.ts'
import type { ObjectStore } from '#functions/ports.ts'
import { createMemoryLake, fixtureBytes, labLabels, variantOf } from '../helpers/memory-lake.ts'

/** `n` distinct os-s1 documents stored through the upload path; their raw keys. */
async function upload(lake: Awaited<ReturnType<typeof createMemoryLake>>, n: number) {
  const source = fixtureBytes('lab/os-s1/iperf3.json')
  const keys: string[] = []
  for (let i = 0; i < n; i++) {
    const stored = await storeUpload(
      variantOf(source, i),
      { labels: labLabels('os-s1'), tool: null, contentType: null },
      lake,
    )
    keys.push(stored.body.raw_key)
  }
  return keys
}

/** Counts the Parquet files a store is asked to write. */
function countingParquet(store: ObjectStore, count: { files: number }): ObjectStore {
  return {
    ...store,
    put: (key, body, options) => {
      if (key.endsWith('.parquet')) count.files++
      return store.put(key, body, options)
    },
  }
}

async function lakeRows(lake: Awaited<ReturnType<typeof createMemoryLake>>) {
  const runIds: unknown[] = []
  let intervals = 0
  for (const partition of await lake.catalog.listPartitions())
    for (const file of partition.files) {
      const rows = await lake.readParquet((await lake.curated.get(file.key)) as Uint8Array)
      if (partition.table === 'runs') runIds.push(...rows.map((r) => r.run_id))
      if (partition.table === 'intervals') intervals += rows.length
    }
  return { runIds, intervals }
}

describe('ingestBatch', () => {
  it('writes one Parquet file per partition for a burst, not one per object', async () => {
    // Prepare
    const lake = await createMemoryLake()
    const keys = await upload(lake, 40)
    const count = { files: 0 }
    // Act
    const items = await ingestBatch(keys, {
      ...lake.deps,
      curated: countingParquet(lake.curated, count),
    })
    // Assess
    expect(items.map((i) => i.ok && i.result.outcome)).toEqual(keys.map(() => 'ingested'))
    const partitions = await lake.catalog.listPartitions()
    expect(count.files).toBe(partitions.length) // one file per partition touched
    expect(count.files).toBeLessThanOrEqual(keys.length / 5)
    expect(partitions.every((p) => p.files.length === 1 && p.files[0].sources?.length === 40)).toBe(
      true,
    )
    const { runIds } = await lakeRows(lake)
    expect(runIds).toHaveLength(40)
    expect(new Set(runIds).size).toBe(40)
  })

  it('does not double rows when a batch crashed before its commits and is redelivered regrouped', async () => {
    // Prepare: the first delivery writes and registers its batch files, then every commit fails
    const lake = await createMemoryLake()
    const keys = await upload(lake, 12)
    const crashing: IngestDeps = {
      ...lake.deps,
      catalog: {
        ...lake.catalog,
        putIngestRecord: async () => {
          throw new Error('crash before the commit')
        },
      },
    }
    const first = await ingestBatch(keys.slice(0, 8), crashing)
    expect(first.every((i) => !i.ok)).toBe(true)
    const once = await lakeRows(lake)
    expect(once.runIds).toHaveLength(8) // the uncommitted batch file is listed
    // Act: redelivered in other groupings, overlapping the crashed batch and new keys
    const second = [
      ...(await ingestBatch([keys[1], keys[3], keys[8], keys[9]], lake.deps)),
      ...(await ingestBatch([...keys.slice(0, 8).reverse(), ...keys.slice(8)], lake.deps)),
    ]
    // Assess
    expect(second.every((i) => i.ok)).toBe(true)
    const after = await lakeRows(lake)
    expect(after.runIds).toHaveLength(12)
    expect(new Set(after.runIds).size).toBe(12)
    const perDocument = once.intervals / 8
    expect(after.intervals).toBe(perDocument * 12)
    const runs = await lake.catalog.listRuns({}, 100)
    expect(runs.items).toHaveLength(12)
  })
})
