import { describe, expect, it } from 'vitest'
import { storeUpload } from '#functions/api/store-upload.ts'
import { ingestObject } from '#functions/ingest/ingest-object.ts'
import { compactAll } from '#functions/compact/compact-all.ts'
import { curatedKey, quarantineKey, rawKey, sidecarKey } from '#core/object-keys.ts'
import { sha256Hex } from '#core/rows.ts'
import { createMemoryLake, fixtureBytes, labLabels } from '../helpers/memory-lake.ts'

const DATE = '2026-11-26'

describe('ingestObject', () => {
  it('turns an uploaded iperf3 document into one catalogued run and Parquet in its partition', async () => {
    // Prepare
    const lake = await createMemoryLake()
    const bytes = fixtureBytes('lab/kv-s2/iperf3.json')
    const upload = await storeUpload(
      bytes,
      { labels: labLabels('kv-s2'), tool: null, contentType: 'application/json' },
      lake,
    )
    // Act
    const result = await ingestObject(upload.body.raw_key, lake)
    // Assess
    expect(result).toMatchObject({ outcome: 'ingested', run_ids: upload.body.run_ids })
    const run = await lake.catalog.getRun(upload.body.run_ids[0])
    const source = JSON.parse(new TextDecoder().decode(bytes))
    expect(run).toMatchObject({
      platform: 'kubevirt',
      scenario: 'kv-s2',
      throughput_bps: source.end.sum_received.bits_per_second,
    })
    const partition = await lake.catalog.getPartition('intervals', 'kubevirt', run?.date as string)
    expect(partition?.files.map((f) => f.key)).toEqual([
      curatedKey('intervals', 'kubevirt', run?.date as string, sha256Hex(bytes)),
    ])
    const rows = await lake.readParquet(
      (await lake.curated.get(partition?.files[0].key as string)) as Uint8Array,
    )
    expect(rows).toHaveLength(source.intervals.length * 2)
    expect(rows.filter((r) => r.stream === -1).map((r) => r.bytes)).toEqual(
      source.intervals.map((i: { sum: { bytes: number } }) => i.sum.bytes),
    )
  })

  it('is a no-op for a replayed event and for the same bytes uploaded again', async () => {
    const lake = await createMemoryLake()
    const bytes = fixtureBytes('lab/os-s3/qperf.txt')
    const first = await storeUpload(
      bytes,
      { labels: labLabels('os-s3'), tool: null, contentType: 'text/plain' },
      lake,
    )
    await ingestObject(first.body.raw_key, lake)
    // Act
    const replay = await ingestObject(first.body.raw_key, lake)
    const puts: string[] = []
    const raw = {
      ...lake.raw,
      put: (...args: Parameters<typeof lake.raw.put>) => (
        puts.push(args[0]),
        lake.raw.put(...args)
      ),
    }
    const second = await storeUpload(
      bytes,
      { labels: labLabels('os-s3'), tool: null, contentType: 'text/plain' },
      { ...lake, raw },
    )
    // Assess
    expect(replay.outcome).toBe('skipped')
    expect(second).toEqual({ status: 200, body: { ...first.body, duplicate: true } })
    expect(puts).toEqual([]) // answered from the ledger: the bytes are not sent again
    const runs = await lake.catalog.listRuns({}, 100)
    expect(runs.items).toHaveLength(2)
  })

  it('answers the same bytes on a later day from their record (200 duplicate, nothing stored) and refuses other labels with 409', async () => {
    // Prepare: uploaded and ingested on 2026-11-26
    const lake = await createMemoryLake()
    const bytes = fixtureBytes('lab/os-s3/iperf3.json')
    const upload = { labels: labLabels('os-s3'), tool: null, contentType: null }
    const first = await storeUpload(bytes, upload, lake)
    await ingestObject(first.body.raw_key, lake)
    const nextDay = { ...lake, clock: { now: () => new Date('2026-11-27T08:00:00Z') } }
    // Act
    const again = await storeUpload(bytes, upload, nextDay)
    const relabelled = storeUpload(bytes, { ...upload, labels: labLabels('os-s4') }, nextDay)
    // Assess
    expect(again).toEqual({ status: 200, body: { ...first.body, duplicate: true } })
    await expect(relabelled).rejects.toMatchObject({ status: 409, code: 'labels-differ' })
    expect(await lake.raw.head(rawKey('2026-11-27', sha256Hex(bytes), 'json'))).toBeNull()
    const runs = await lake.catalog.listRuns({}, 100)
    expect(runs.items.map((r) => r.run_id)).toEqual(first.body.run_ids)
  })

  it('converges after a crash between the Parquet write and the catalog write', async () => {
    // Prepare: the first putRun dies, as if the function were killed there
    const lake = await createMemoryLake()
    const bytes = fixtureBytes('lab/os-s4/iperf3.json')
    const upload = await storeUpload(
      bytes,
      { labels: labLabels('os-s4'), tool: null, contentType: 'application/json' },
      lake,
    )
    const putRun = lake.catalog.putRun.bind(lake.catalog)
    let crashes = 1
    lake.catalog.putRun = async (run, options) => {
      if (crashes-- > 0) throw new Error('killed')
      return putRun(run, options)
    }
    // Act
    await expect(ingestObject(upload.body.raw_key, lake)).rejects.toThrow('killed')
    const retry = await ingestObject(upload.body.raw_key, lake)
    // Assess
    expect(retry.outcome).toBe('ingested')
    expect((await lake.catalog.listRuns({}, 100)).items).toHaveLength(1)
    const partitions = await lake.catalog.listPartitions('runs')
    expect(partitions.flatMap((p) => p.files)).toHaveLength(1)
  })

  it('quarantines input that is not a result, with its reason, and keeps the raw bytes', async () => {
    // Prepare: bytes that reached raw/ without the API's check (e.g. a presigned PUT)
    const lake = await createMemoryLake()
    const bytes = new TextEncoder().encode('{"hello": "world"}')
    const sha = sha256Hex(bytes)
    const key = rawKey(DATE, sha, 'json')
    await lake.raw.put(
      sidecarKey(key),
      JSON.stringify({
        labels: labLabels('os-s1'),
        tool: null,
        raw_sha256: sha,
        content_type: null,
        received_at: `${DATE}T10:00:00.000Z`,
        size_bytes: bytes.length,
      }),
    )
    await lake.raw.put(key, bytes)
    // Act
    const result = await ingestObject(key, lake)
    // Assess
    expect(result.outcome).toBe('quarantined')
    expect(result.reason).toMatch(/^not-iperf3: .*"start"/)
    const note = JSON.parse(
      new TextDecoder().decode((await lake.raw.get(quarantineKey(sha))) as Uint8Array),
    )
    expect(note).toMatchObject({ raw_key: key, reason: result.reason })
    expect(await lake.raw.get(key)).toEqual(bytes)
    expect(await lake.catalog.getIngestRecord(sha)).toMatchObject({
      outcome: 'quarantined',
      reason: result.reason,
    })
  })

  it('quarantines raw bytes whose labels sidecar is missing, and bytes that do not match their key', async () => {
    const lake = await createMemoryLake()
    const bytes = fixtureBytes('real/iperf3-tcp-p1-t5.json')
    const keyWithoutLabels = rawKey(DATE, sha256Hex(bytes), 'json')
    await lake.raw.put(keyWithoutLabels, bytes)
    const wrongSha = 'a'.repeat(64)
    const mismatched = rawKey(DATE, wrongSha, 'json')
    await lake.raw.put(mismatched, bytes)
    // Act
    const missing = await ingestObject(keyWithoutLabels, lake)
    const mismatch = await ingestObject(mismatched, lake)
    // Assess
    expect(missing).toMatchObject({
      outcome: 'quarantined',
      reason: expect.stringContaining('labels sidecar'),
    })
    expect(mismatch).toMatchObject({
      outcome: 'quarantined',
      reason: expect.stringContaining('does not match'),
    })
  })

  it('ignores keys that are not raw objects (sidecars, quarantine notes)', async () => {
    const lake = await createMemoryLake()
    expect(
      (await ingestObject(`raw/date=${DATE}/${'b'.repeat(64)}.labels.json`, lake)).outcome,
    ).toBe('skipped')
    expect((await ingestObject('quarantine/x.json', lake)).outcome).toBe('skipped')
  })
})

describe('compaction', () => {
  it('merges a partition into one file, keeps every row once, and is safe to run twice', async () => {
    // Prepare: five distinct runs in one partition
    const lake = await createMemoryLake()
    const scenarios = ['baseline', 'os-s1', 'os-s2a', 'os-s3', 'os-s4']
    for (const scenario of scenarios) {
      const upload = await storeUpload(
        fixtureBytes(`lab/${scenario}/iperf3.json`),
        { labels: labLabels(scenario, { platform: 'openstack' }), tool: null, contentType: null },
        lake,
      )
      await ingestObject(upload.body.raw_key, lake)
    }
    const before = await lake.catalog.listPartitions('intervals')
    expect(before).toHaveLength(1)
    expect(before[0].files).toHaveLength(5)
    const rowsBefore = before[0].files.reduce((n, f) => n + f.rows, 0)
    // Act
    const first = await compactAll(lake)
    const second = await compactAll(lake)
    // Assess
    // runs and intervals; iperf3 client documents have no metrics rows
    expect(
      first
        .filter((r) => r.outcome === 'compacted')
        .map((r) => r.partition.split('/')[0])
        .sort(),
    ).toEqual(['intervals', 'runs'])
    expect(second.filter((r) => r.outcome === 'compacted')).toHaveLength(0)
    const after = await lake.catalog.getPartition('intervals', 'openstack', before[0].date)
    expect(after?.files).toHaveLength(1)
    const rows = await lake.readParquet(
      (await lake.curated.get(after?.files[0].key as string)) as Uint8Array,
    )
    expect(rows).toHaveLength(rowsBefore)
    for (const file of before[0].files) expect(await lake.curated.get(file.key)).toBeNull()
  })
})

describe('compaction triggered by ingest', () => {
  it('keeps a busy partition short: the ingest that crowds it compacts it', async () => {
    // Prepare
    const lake = await createMemoryLake()
    const deps = { ...lake.deps, compactAt: { files: 3, readParquet: lake.readParquet } }
    const scenarios = ['baseline', 'os-s1', 'os-s2a', 'os-s2b', 'os-s3', 'os-s4', 'kv-s1']
    // Act
    for (const scenario of scenarios) {
      const stored = await storeUpload(
        fixtureBytes(`lab/${scenario}/iperf3.json`),
        { labels: labLabels(scenario, { platform: 'openstack' }), tool: null, contentType: null },
        lake,
      )
      await ingestObject(stored.body.raw_key, deps)
    }
    // Assess
    const partition = (await lake.catalog.listPartitions('runs'))[0]
    expect(partition.files.length).toBeLessThan(3)
    const rows = []
    for (const file of partition.files)
      rows.push(...(await lake.readParquet((await lake.curated.get(file.key)) as Uint8Array)))
    expect(rows.map((r) => r.scenario).sort()).toEqual([...scenarios].sort())
  })
})
