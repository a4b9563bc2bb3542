import { describe, expect, it } from 'vitest'
import { storeUpload } from '#functions/api/store-upload.ts'
import { ingestObject } from '#functions/ingest/ingest-object.ts'
import { compactAll } from '#functions/compact/compact-all.ts'
import { reprocessLake } from '#functions/reprocess/reprocess-lake.ts'
import {
  deleteObject,
  relabelObject,
  resumePendingRepairs,
} from '#functions/repair/repair-object.ts'
import type { RepairDeps } from '#functions/repair/repair-object.ts'
import { listAudit, purgeExpiredTombstones } from '#functions/repair/audit-log.ts'
import { labelVersionPrefix, pendingKey, tombstoneKeys } from '#core/repair-keys.ts'
import { sidecarKey, shaOfCuratedKey } from '#core/object-keys.ts'
import {
  createMemoryLake,
  fixtureBytes,
  gate,
  labLabels,
  lakeRows,
  variantOf,
} from '../helpers/memory-lake.ts'

type Lake = Awaited<ReturnType<typeof createMemoryLake>>

/** Three os-s1 repetitions, ingested and compacted into one file per table. */
async function threeRuns(lake: Lake) {
  const source = fixtureBytes('lab/os-s1/iperf3.json')
  const shas: string[] = []
  for (let n = 0; n < 3; n++) {
    const stored = await storeUpload(
      variantOf(source, n),
      { labels: labLabels('os-s1', { campaign: 'c1' }), tool: null, contentType: null },
      lake,
    )
    await ingestObject(stored.body.raw_key, lake)
    shas.push(stored.body.raw_sha256)
  }
  await compactAll(lake)
  return shas
}

const repairDeps = (lake: Lake): RepairDeps => ({ ...lake.deps, readParquet: lake.readParquet })

class InjectedCrash extends Error {}

/** The same deps, but the `n`-th write (put, delete, catalog write) throws before it happens. */
function crashAt(lake: Lake, n: number): RepairDeps {
  let writes = 0
  const wrap = <T extends object>(target: T, names: string[]): T =>
    new Proxy(target, {
      get(object, name, receiver) {
        const value = Reflect.get(object, name, receiver)
        if (typeof value !== 'function' || !names.includes(String(name))) return value
        return async (...args: unknown[]) => {
          if (++writes === n) throw new InjectedCrash(`crash before write ${n} (${String(name)})`)
          return value.apply(object, args)
        }
      },
    })
  const stores = ['put', 'delete']
  const catalog = [
    'putRun',
    'deleteRun',
    'putPartition',
    'replaceIngestRecord',
    'deleteIngestRecord',
    'putIngestRecord',
  ]
  return {
    ...repairDeps(lake),
    raw: wrap(lake.raw, stores),
    curated: wrap(lake.curated, stores),
    catalog: wrap(lake.catalog, catalog),
  }
}

describe('relabelObject', () => {
  it('moves one run to its new scenario and platform in the catalog and the Parquet, once', async () => {
    // Prepare: three compacted runs on openstack
    const lake = await createMemoryLake()
    const shas = await threeRuns(lake)
    const record = await lake.catalog.getIngestRecord(shas[1])
    const runId = record!.run_ids[0]
    // Act: the middle run was really kv-s2 on kubevirt
    const result = await relabelObject(
      shas[1],
      { set: { scenario: 'kv-s2', platform: 'kubevirt' }, unset: ['campaign'] },
      'token:t1',
      repairDeps(lake),
    )
    // Assess
    expect(result).toMatchObject({ ok: true, labels_version: 2, run_ids: [runId] })
    const runs = await lakeRows(lake, 'runs')
    expect(runs.map((r) => r.run_id).sort()).toEqual([...new Set(runs.map((r) => r.run_id))].sort())
    expect(runs.length).toBe(3)
    const moved = runs.find((r) => r.run_id === runId)!
    expect(moved).toMatchObject({ scenario: 'kv-s2', _platform: 'kubevirt', campaign: null })
    expect(runs.filter((r) => r.scenario === 'os-s1').length).toBe(2)
    expect(await lake.catalog.getRun(runId)).toMatchObject({ scenario: 'kv-s2' })
    const catalogued = await lake.catalog.listRuns({ scenario: 'os-s1' }, 10)
    expect(catalogued.items.map((r) => r.run_id)).not.toContain(runId)
    const intervals = await lakeRows(lake, 'intervals')
    const movedIntervals = intervals.filter((r) => r.run_id === runId)
    expect(movedIntervals.length).toBeGreaterThan(1)
    expect(movedIntervals.every((r) => r._platform === 'kubevirt')).toBe(true)
    expect(intervals.length).toBe(3 * movedIntervals.length)
    const versions: string[] = []
    for await (const o of lake.raw.list(labelVersionPrefix(shas[1]))) versions.push(o.key)
    expect(versions.length).toBe(2) // the upload's labels are kept beside the new ones
    const audit = await listAudit(lake.raw, { limit: 10 })
    expect(audit.items).toMatchObject([
      { action: 'relabel', raw_sha256: shas[1], by: 'token:t1', labels_version: 2 },
    ])
    expect(audit.items[0].previous_labels).toMatchObject({ scenario: 'os-s1', campaign: 'c1' })
  })

  it('reads labels as ingest does: a corrupt labels sidecar is refused, not replaced by the labels first stored', async () => {
    // Prepare: the object's metadata still holds its upload labels; the sidecar is broken
    const lake = await createMemoryLake()
    const [sha] = await threeRuns(lake)
    const record = (await lake.catalog.getIngestRecord(sha))!
    await lake.raw.put(sidecarKey(record.raw_key), '{"labels": ')
    // Act
    const result = await relabelObject(
      sha,
      { set: { campaign: 'c2' }, unset: [] },
      null,
      repairDeps(lake),
    )
    // Assess
    expect(result).toMatchObject({
      ok: false,
      status: 404,
      message: `the labels of ${record.raw_key} are missing or unreadable`,
    })
    const versions: string[] = []
    for await (const object of lake.raw.list(labelVersionPrefix(sha))) versions.push(object.key)
    expect(versions).toEqual([]) // no new labels version was written
  })

  it('refuses a label that does not exist or an unset of scenario, naming the field', async () => {
    // Prepare
    const lake = await createMemoryLake()
    const [sha] = await threeRuns(lake)
    // Act
    const unknown = await relabelObject(
      sha,
      { set: { scenaro: 'x' }, unset: [] },
      null,
      repairDeps(lake),
    )
    const required = await relabelObject(
      sha,
      { set: {}, unset: ['scenario'] },
      null,
      repairDeps(lake),
    )
    const range = await relabelObject(
      sha,
      { set: { link_mtu: 9 }, unset: [] },
      null,
      repairDeps(lake),
    )
    // Assess
    expect(unknown).toMatchObject({ ok: false, status: 422, field: 'labels.scenaro' })
    expect(required).toMatchObject({ ok: false, status: 422, field: 'unset.scenario' })
    expect(range).toMatchObject({ ok: false, status: 422, field: 'labels.link_mtu' })
  })

  it('ends with no loss and no double whichever write a crash hits, after a resume or a reprocess', async () => {
    let crashes = 0
    for (let n = 1; n < 60; n++) {
      // Prepare
      const lake = await createMemoryLake()
      const shas = await threeRuns(lake)
      const runId = (await lake.catalog.getIngestRecord(shas[0]))!.run_ids[0]
      // Act: the relabel dies at write n; the next start (odd n) or a reprocess (even n) follows
      let crashed = false
      try {
        await relabelObject(
          shas[0],
          { set: { scenario: 'os-s3' }, unset: [] },
          null,
          crashAt(lake, n),
        )
      } catch (error) {
        if (!(error instanceof InjectedCrash)) throw error
        crashed = true
        crashes++
      }
      if (n % 2 === 1) await resumePendingRepairs(repairDeps(lake))
      else await reprocessLake(lake.deps)
      // Assess: every run once, the relabelled one with the new scenario (or, had the crash come
      // before the new label version was written, the old one) in the catalog and the Parquet alike
      const runs = await lakeRows(lake, 'runs')
      expect(runs.length, `crash at write ${n}`).toBe(3)
      expect(new Set(runs.map((r) => r.run_id)).size).toBe(3)
      const row = runs.find((r) => r.run_id === runId)!
      const catalogued = await lake.catalog.getRun(runId)
      expect(catalogued?.scenario, `crash at write ${n}`).toBe(row.scenario)
      expect(['os-s1', 'os-s3']).toContain(row.scenario)
      if (!crashed) expect(row.scenario).toBe('os-s3')
      expect(await lake.raw.get(pendingKey(shas[0]))).toBeNull()
      const intervals = await lakeRows(lake, 'intervals')
      const per = intervals.filter((r) => r.run_id === runId).length
      expect(intervals.length, `crash at write ${n}`).toBe(3 * per)
      if (!crashed) break
    }
    expect(crashes).toBeGreaterThan(5) // the loop really crashed at many different writes
  })

  it('keeps the new labels when a compaction read the old file just before the relabel', async () => {
    // Prepare: two runs not compacted yet; a compaction pauses right after reading the second's file
    const lake = await createMemoryLake()
    const source = fixtureBytes('lab/os-s1/iperf3.json')
    const shas: string[] = []
    for (let n = 0; n < 2; n++) {
      const stored = await storeUpload(
        variantOf(source, n),
        { labels: labLabels('os-s1'), tool: null, contentType: null },
        lake,
      )
      await ingestObject(stored.body.raw_key, lake)
      shas.push(stored.body.raw_sha256)
    }
    const runId = (await lake.catalog.getIngestRecord(shas[1]))!.run_ids[0]
    const read = gate()
    const release = gate()
    const curated = new Proxy(lake.curated, {
      get(store, name, receiver) {
        const value = Reflect.get(store, name, receiver)
        if (typeof value !== 'function') return value
        if (name !== 'get') return value.bind(store)
        return async (key: string) => {
          const bytes = await store.get(key)
          if (shaOfCuratedKey(key) === shas[1]) {
            read.open()
            await release.opened
          }
          return bytes
        }
      },
    })
    const compaction = compactAll({ ...lake, curated })
    await read.opened
    // Act: the relabel runs to its end while the compaction holds the old rows, then it goes on
    const relabel = await relabelObject(
      shas[1],
      { set: { scenario: 'os-s3' }, unset: [] },
      null,
      repairDeps(lake),
    )
    release.open()
    const first = await compaction
    const second = await compactAll(lake)
    // Assess: the paused compaction lost its switch; the new labels stay, once, before and after
    // the next compaction merges the files
    expect(relabel).toMatchObject({ ok: true, labels_version: 2 })
    const runs = await lakeRows(lake, 'runs')
    expect(runs.length).toBe(2)
    expect(runs.find((r) => r.run_id === runId)).toMatchObject({ scenario: 'os-s3' })
    expect(runs.filter((r) => r.scenario === 'os-s1').map((r) => r.run_id)).not.toContain(runId)
    const intervals = await lakeRows(lake, 'intervals')
    expect(intervals.filter((r) => r.run_id === runId)).toHaveLength(8) // the os-s1 fixture's rows
    expect(intervals).toHaveLength(2 * 8)
    // the next compaction merges both partitions that hold the two objects' files
    expect(second.map((r) => [r.outcome, r.partition]).sort()).toEqual([
      ['compacted', 'intervals/platform=openstack/date=2026-11-26'],
      ['compacted', 'runs/platform=openstack/date=2026-11-26'],
    ])
    expect(first.some((r) => r.outcome === 'skipped' && /changed|vanished/.test(r.reason))).toBe(
      true,
    )
  })
})

describe('deleteObject', () => {
  it('removes the runs everywhere, keeps the bytes in a tombstone until retention, and lets the bytes be pushed again', async () => {
    // Prepare
    const lake = await createMemoryLake()
    const shas = await threeRuns(lake)
    const record = (await lake.catalog.getIngestRecord(shas[2]))!
    // Act
    const deleted = await deleteObject(
      shas[2],
      { purge: false, retentionDays: 7 },
      'token:a',
      repairDeps(lake),
    )
    // Assess
    expect(deleted).toMatchObject({ ok: true, retain_until: '2026-12-03T10:00:00.000Z' })
    const runs = await lakeRows(lake, 'runs')
    expect(runs.map((r) => r.run_id)).not.toContain(record.run_ids[0])
    expect(runs.length).toBe(2)
    expect(await lake.catalog.getRun(record.run_ids[0])).toBeNull()
    expect(await lake.raw.get(record.raw_key)).toBeNull()
    const kept = tombstoneKeys(shas[2], 'json')
    expect(await lake.raw.get(kept.bytes)).not.toBeNull()
    expect(await purgeExpiredTombstones(lake.raw, new Date('2026-12-03T09:59:59Z'))).toEqual([])
    expect(await purgeExpiredTombstones(lake.raw, new Date('2026-12-03T10:00:01Z'))).toEqual([
      shas[2],
    ])
    expect(await lake.raw.get(kept.bytes)).toBeNull()
    const audit = await listAudit(lake.raw, { limit: 10 })
    expect(audit.items.map((a) => a.action)).toEqual(['delete'])
    // the same bytes again are a new upload, ingested again
    const again = await storeUpload(
      variantOf(fixtureBytes('lab/os-s1/iperf3.json'), 2),
      { labels: labLabels('os-s1'), tool: null, contentType: null },
      lake,
    )
    expect(again.body.raw_sha256).toBe(shas[2])
    expect(again.status).toBe(202)
    expect((await ingestObject(again.body.raw_key, lake)).outcome).toBe('ingested')
    expect((await lakeRows(lake, 'runs')).length).toBe(3)
  })

  it('finishes a delete a crash interrupted: no run or row left, the bytes kept', async () => {
    for (const n of [1, 3, 5, 7, 9]) {
      // Prepare
      const lake = await createMemoryLake()
      const shas = await threeRuns(lake)
      const record = (await lake.catalog.getIngestRecord(shas[0]))!
      // Act
      await expect(
        deleteObject(shas[0], { purge: false }, null, crashAt(lake, n)),
      ).rejects.toBeInstanceOf(InjectedCrash)
      await resumePendingRepairs(repairDeps(lake))
      // Assess: either nothing started (marker write crashed) or the delete is complete
      const runs = await lakeRows(lake, 'runs')
      const gone = !runs.some((r) => r.run_id === record.run_ids[0])
      expect(runs.length, `crash at write ${n}`).toBe(gone ? 2 : 3)
      expect((await lake.catalog.getRun(record.run_ids[0])) === null).toBe(gone)
      const bytes =
        (await lake.raw.get(record.raw_key)) ??
        (await lake.raw.get(tombstoneKeys(shas[0], 'json').bytes))
      expect(bytes, `crash at write ${n}`).not.toBeNull()
      if (n > 1) expect(gone).toBe(true)
    }
  })
})
