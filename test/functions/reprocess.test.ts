import { describe, expect, it } from 'vitest'
import { storeUpload } from '#functions/api/store-upload.ts'
import { ingestObject } from '#functions/ingest/ingest-object.ts'
import { compactAll } from '#functions/compact/compact-all.ts'
import { reprocessLake } from '#functions/reprocess/reprocess-lake.ts'
import { readManifest } from '#functions/lake/symlink-manifest.ts'
import { rawKey, sidecarKey } from '#core/object-keys.ts'
import { sha256Hex } from '#core/rows.ts'
import { createMemoryLake, fixtureBytes, labLabels, lakeRows } from '../helpers/memory-lake.ts'

describe('reprocessLake', () => {
  it('rebuilds compacted and uncompacted partitions from raw/ with the same rows, once each', async () => {
    // Prepare: six uploads (labels in object metadata), compacted, then two more not yet
    // compacted, stored as before labels went into metadata: bytes plus a sidecar object
    const lake = await createMemoryLake()
    const scenarios = ['baseline', 'os-s1', 'os-s2a', 'os-s2b', 'kv-s1', 'kv-s2']
    for (const [i, scenario] of scenarios.entries()) {
      const file = i % 2 === 0 ? 'iperf3.json' : 'qperf.txt'
      const stored = await storeUpload(
        fixtureBytes(`lab/${scenario}/${file}`),
        { labels: labLabels(scenario), tool: null, contentType: null },
        lake,
      )
      await ingestObject(stored.body.raw_key, lake)
    }
    await compactAll(lake)
    for (const scenario of ['os-s3', 'os-s4']) {
      const bytes = fixtureBytes(`lab/${scenario}/iperf3.json`)
      const key = rawKey('2026-11-26', sha256Hex(bytes), 'json')
      const sidecar = {
        labels: labLabels(scenario),
        tool: null,
        raw_sha256: sha256Hex(bytes),
        content_type: null,
        received_at: '2026-11-26T10:00:00.000Z',
        size_bytes: bytes.byteLength,
      }
      await lake.raw.put(sidecarKey(key), JSON.stringify(sidecar))
      await lake.raw.put(key, bytes)
      await ingestObject(key, lake)
    }
    const runsBefore = (await lakeRows(lake, 'runs')).map((r) => r.run_id).sort()
    const intervalsBefore = (await lakeRows(lake, 'intervals')).length
    // Act
    const summary = await reprocessLake(lake)
    // Assess
    expect(summary).toMatchObject({ objects: 8, ingested: 8, quarantined: 0 })
    const runsAfter = await lakeRows(lake, 'runs')
    expect(runsAfter.map((r) => r.run_id).sort()).toEqual(runsBefore)
    expect(new Set(runsAfter.map((r) => r.scenario))).toEqual(
      new Set([...scenarios, 'os-s3', 'os-s4']),
    )
    expect((await lakeRows(lake, 'intervals')).length).toBe(intervalsBefore)
    for (const partition of await lake.catalog.listPartitions()) {
      for (const file of partition.files) expect(file.key).not.toContain('compacted-')
    }
    const keys: string[] = []
    for await (const o of lake.curated.list('curated/')) keys.push(o.key)
    const listed = (await lake.catalog.listPartitions()).flatMap((p) => p.files.map((f) => f.key))
    expect(keys.sort()).toEqual(listed.sort()) // old compacted files deleted, nothing orphaned
  })

  it('rescues an object that was quarantined, once what it lacked is there', async () => {
    // Prepare: raw bytes whose labels sidecar arrived late (as with an interrupted presigned upload)
    const lake = await createMemoryLake()
    const bytes = fixtureBytes('lab/kv-s2/iperf3.json')
    const sha = sha256Hex(bytes)
    const key = rawKey('2026-11-26', sha, 'json')
    await lake.raw.put(key, bytes)
    expect((await ingestObject(key, lake)).outcome).toBe('quarantined')
    await lake.raw.put(
      sidecarKey(key),
      JSON.stringify({
        labels: labLabels('kv-s2'),
        tool: 'iperf3',
        raw_sha256: sha,
        content_type: null,
        received_at: '2026-11-26T10:00:00.000Z',
        size_bytes: bytes.length,
      }),
    )
    // Act
    const summary = await reprocessLake(lake)
    // Assess
    expect(summary).toMatchObject({ ingested: 1, quarantined: 0, runs: 1 })
    expect(await lake.catalog.getIngestRecord(sha)).toMatchObject({
      outcome: 'ingested',
      reason: null,
    })
    expect(
      (await lake.catalog.listRuns({ platform: 'kubevirt', scenario: 'kv-s2' }, 10)).items,
    ).toHaveLength(1)
  })

  it('with manifests on, publishes the manifest of each day to the new files and leaves the replaced ones to the sweeper', async () => {
    // Prepare: four uploads, compacted (one compacted file per partition)
    const lake = await createMemoryLake()
    for (const scenario of ['baseline', 'os-s1', 'kv-s1', 'os-s2a']) {
      const stored = await storeUpload(
        fixtureBytes(`lab/${scenario}/iperf3.json`),
        { labels: labLabels(scenario), tool: null, contentType: null },
        lake,
      )
      await ingestObject(stored.body.raw_key, lake)
    }
    // Compaction merges every partition holding more than one file (openstack's two uploads)
    const several = (await lake.catalog.listPartitions()).filter((p) => p.files.length > 1).length
    await compactAll(lake)
    const compacted = (await lake.catalog.listPartitions())
      .flatMap((p) => p.files.map((f) => f.key))
      .filter((k) => k.includes('compacted-'))

    // Act
    const summary = await reprocessLake({ ...lake, manifestBucket: 'netlake-curated' })

    // Assess
    expect(summary).toMatchObject({ objects: 4, ingested: 4, failed: [] })
    expect(several).toBe(2) // runs and intervals of openstack's day (iperf3 writes no metrics rows)
    expect(compacted).toHaveLength(several)
    const partitions = await lake.catalog.listPartitions()
    for (const table of ['runs', 'intervals'] as const)
      for (const date of new Set(partitions.filter((p) => p.table === table).map((p) => p.date))) {
        const committed = partitions
          .filter((p) => p.table === table && p.date === date)
          .flatMap((p) => p.files.map((f) => f.key))
          .sort()
        expect(await readManifest(lake.curated, table, date)).toEqual(committed)
        expect(committed.some((k) => k.includes('compacted-'))).toBe(false)
      }
    for (const key of compacted) expect(await lake.curated.get(key)).not.toBeNull()
  })
})
