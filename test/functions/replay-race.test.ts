import { describe, expect, it } from 'vitest'
import { parseRawKey } from '#core/object-keys.ts'
import { storeUpload } from '#functions/api/store-upload.ts'
import { compactAll } from '#functions/compact/compact-all.ts'
import { ingestObject, type IngestDeps } from '#functions/ingest/ingest-object.ts'
import {
  createMemoryLake,
  fixtureBytes,
  gate,
  labLabels,
  lakeRunIds,
  variantOf,
} from '../helpers/memory-lake.ts'

type Lake = Awaited<ReturnType<typeof createMemoryLake>>

describe('a replayed ingest racing a compaction', () => {
  it('does not add rows a compacted file already holds (the ledger says the object is committed)', async () => {
    // Prepare: two objects; delivery B of X is held after its "not ingested yet" check, just
    // before it registers its file
    const lake = await createMemoryLake()
    const store = async (n: number) =>
      (
        await storeUpload(
          variantOf(fixtureBytes('lab/os-s1/iperf3.json'), n),
          { labels: labLabels('os-s1'), tool: null, contentType: null },
          lake,
        )
      ).body.raw_key
    const [x, y] = [await store(1), await store(2)]
    const reached = gate()
    const release = gate()
    let held = false
    const heldDeps: IngestDeps = {
      ...lake.deps,
      catalog: {
        ...lake.catalog,
        getPartition: async (...args) => {
          if (!held) {
            held = true
            reached.open()
            await release.opened
          }
          return lake.catalog.getPartition(...args)
        },
      },
    }

    // Act: B checks and derives, then waits; A ingests X, Y is ingested, compaction merges both
    // (the compacted file lists no sources); then B goes on
    const b = ingestObject(x, heldDeps)
    await reached.opened
    const a = await ingestObject(x, lake.deps)
    await ingestObject(y, lake.deps)
    const compacted = await compactAll(lake)
    release.open()
    const replay = await b

    // Assess: the partition lists only the compacted file, which holds X's run and Y's once each
    expect(a.outcome).toBe('ingested')
    expect(compacted.filter((r) => r.outcome === 'compacted')).toHaveLength(2) // runs, intervals
    expect(replay.outcome).toBe('ingested') // B committed nothing new: its record write was a no-op
    const files = (await lake.catalog.listPartitions('runs')).flatMap((p) => p.files)
    expect(files).toHaveLength(1)
    expect(files[0].key).toMatch(/\/compacted-[0-9a-f]{32}\.parquet$/)
    const yRecord = await lake.catalog.getIngestRecord(parseRawKey(y)!.sha256)
    expect(await lakeRunIds(lake)).toEqual([...a.run_ids, ...yRecord!.run_ids].sort())
  })
})
