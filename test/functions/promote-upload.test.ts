import { describe, expect, it } from 'vitest'
import { ingestObject } from '#functions/ingest/ingest-object.ts'
import { storeUpload } from '#functions/api/store-upload.ts'
import { sha256Hex } from '#core/rows.ts'
import { createMemoryApi } from '../helpers/memory-api.ts'
import { fixtureBytes, labLabels } from '../helpers/memory-lake.ts'

type Api = Awaited<ReturnType<typeof createMemoryApi>>

/** POST /v1/uploads, then the PUT a client would send: the bytes land on the URL's key. */
async function presignedPut(
  api: Api,
  claim: { sha256: string; size_bytes: number; scenario: string },
  bytes: Uint8Array,
) {
  const response = await api.app.request('/v1/uploads', {
    method: 'POST',
    body: JSON.stringify({
      labels: labLabels(claim.scenario),
      sha256: claim.sha256,
      size_bytes: claim.size_bytes,
    }),
    headers: { ...api.auth('collector'), 'Content-Type': 'application/json' },
  })
  expect(response.status).toBe(200)
  const body = (await response.json()) as { url: string; raw_key: string; upload_id: string }
  const key = decodeURI(new URL(body.url).pathname.slice(1))
  await api.lake.raw.put(key, bytes)
  return { ...body, key }
}

const text = (bytes: Uint8Array | null) => (bytes === null ? null : new TextDecoder().decode(bytes))

async function keysUnder(api: Api, prefix: string): Promise<string[]> {
  const keys: string[] = []
  for await (const object of api.lake.raw.list(prefix)) keys.push(object.key)
  return keys
}

describe('presigned uploads', () => {
  it('quarantines junk under the upload id, leaving the claimed hash free for the real file (H2)', async () => {
    // Prepare
    const api = await createMemoryApi()
    const real = fixtureBytes('lab/os-s1/iperf3.json')
    const sha = sha256Hex(real)
    const junk = await presignedPut(
      api,
      { sha256: sha, size_bytes: 7, scenario: 'os-s1' },
      new TextEncoder().encode('garbage'),
    )

    // Act
    const poisoned = await ingestObject(junk.key, api.lake.deps)
    const later = await storeUpload(
      real,
      { labels: labLabels('os-s1'), tool: null, contentType: null },
      api.lake,
    )
    const ingested = await ingestObject(later.body.raw_key, api.lake.deps)

    // Assess
    expect(poisoned.outcome).toBe('quarantined')
    expect(poisoned.reason).toContain(`does not match the claimed ${sha}`)
    const note = JSON.parse(
      text(await api.lake.raw.get(`quarantine/uploads/${junk.upload_id}.json`)) as string,
    )
    expect(note).toMatchObject({
      upload_id: junk.upload_id,
      content_sha256: sha256Hex(new TextEncoder().encode('garbage')),
      size_bytes: 7,
    })
    expect(text(await api.lake.raw.get(`quarantine/uploads/${junk.upload_id}.bin`))).toBe('garbage')
    expect(await api.lake.raw.head(`quarantine/${sha}.json`)).toBeNull()
    expect(await keysUnder(api, 'raw/staging/')).toEqual([])
    expect(later.status).toBe(202)
    expect(later.body.duplicate).toBe(false)
    expect(ingested.outcome).toBe('ingested')
    for (const id of ingested.run_ids) expect(await api.lake.catalog.getRun(id)).not.toBeNull()
    const again = await storeUpload(
      real,
      { labels: labLabels('os-s1'), tool: null, contentType: null },
      api.lake,
    )
    expect(again).toMatchObject({
      status: 200,
      body: { duplicate: true, run_ids: ingested.run_ids },
    })
  })

  it('moves matching bytes into raw/ with the claimed labels and ingests them', async () => {
    // Prepare
    const api = await createMemoryApi()
    const real = fixtureBytes('lab/os-s2a/iperf3.json')
    const upload = await presignedPut(
      api,
      { sha256: sha256Hex(real), size_bytes: real.byteLength, scenario: 'os-s2a' },
      real,
    )

    // Act
    const result = await ingestObject(upload.key, api.lake.deps)

    // Assess
    expect(result.outcome).toBe('ingested')
    expect(result.key).toBe(upload.raw_key)
    expect(await api.lake.raw.get(upload.raw_key)).toEqual(real)
    const run = await api.lake.catalog.getRun(result.run_ids[0])
    expect(run?.scenario).toBe('os-s2a')
    expect(await keysUnder(api, 'raw/staging/')).toEqual([])
    // A replayed event for the staged key finds nothing to do.
    expect((await ingestObject(upload.key, api.lake.deps)).outcome).toBe('skipped')
  })

  it('never overwrites stored raw bytes or their labels, whatever is PUT for the same hash (H3)', async () => {
    // Prepare: one object stored and ingested with scenario os-s1
    const api = await createMemoryApi()
    const real = fixtureBytes('lab/os-s1/iperf3.json')
    const sha = sha256Hex(real)
    const first = await storeUpload(
      real,
      { labels: labLabels('os-s1'), tool: null, contentType: null },
      api.lake,
    )
    const firstIngest = await ingestObject(first.body.raw_key, api.lake.deps)
    const sidecarBefore = text(
      await api.lake.raw.get(first.body.raw_key.replace(/\.json$/, '.labels.json')),
    )

    // Act: a same-day presigned upload claiming that hash with other labels, once with junk, once with the real bytes
    const junk = await presignedPut(
      api,
      { sha256: sha, size_bytes: 5, scenario: 'os-s4' },
      new TextEncoder().encode('junk!'),
    )
    const relabel = await presignedPut(
      api,
      { sha256: sha, size_bytes: real.byteLength, scenario: 'os-s4' },
      real,
    )
    const junkResult = await ingestObject(junk.key, api.lake.deps)
    const relabelResult = await ingestObject(relabel.key, api.lake.deps)

    // Assess
    expect(relabel.raw_key).toBe(first.body.raw_key)
    expect(junkResult.outcome).toBe('quarantined')
    expect(relabelResult.outcome).toBe('skipped')
    expect(await api.lake.raw.get(first.body.raw_key)).toEqual(real)
    expect(
      text(await api.lake.raw.get(first.body.raw_key.replace(/\.json$/, '.labels.json'))),
    ).toBe(sidecarBefore)
    expect((await api.lake.catalog.getRun(firstIngest.run_ids[0]))?.scenario).toBe('os-s1')
  })

  it('quarantines a staged object nobody claimed, and one whose size differs from the claim', async () => {
    // Prepare
    const api = await createMemoryApi()
    const real = fixtureBytes('lab/os-s3/iperf3.json')
    const unclaimed = `raw/staging/${'a'.repeat(32)}`
    await api.lake.raw.put(unclaimed, real)
    const short = await presignedPut(
      api,
      { sha256: sha256Hex(real), size_bytes: real.byteLength + 1, scenario: 'os-s3' },
      real,
    )

    // Act
    const a = await ingestObject(unclaimed, api.lake.deps)
    const b = await ingestObject(short.key, api.lake.deps)

    // Assess
    expect(a).toMatchObject({ outcome: 'quarantined' })
    expect(a.reason).toContain('has no claim')
    expect(b.outcome).toBe('quarantined')
    expect(b.reason).toBe(
      `upload is ${real.byteLength} bytes; the upload claimed ${real.byteLength + 1}`,
    )
    expect(await api.lake.catalog.getIngestRecord(sha256Hex(real))).toBeNull()
    expect(await keysUnder(api, 'raw/date=')).toEqual([])
  })

  it('moves aside bytes found under a raw key they do not hash to, so the real file is stored and ingested', async () => {
    // Prepare: what an anonymous PUT to the raw key could leave before the servers were closed
    const api = await createMemoryApi()
    const real = fixtureBytes('lab/kv-s1/iperf3.json')
    const sha = sha256Hex(real)
    const key = `raw/date=2026-11-26/${sha}.json`
    await api.lake.raw.put(
      key.replace(/\.json$/, '.labels.json'),
      JSON.stringify({
        labels: labLabels('os-s4'),
        tool: null,
        raw_sha256: sha,
        content_type: null,
        received_at: '2026-11-26T09:00:00.000Z',
        size_bytes: 4,
      }),
    )
    await api.lake.raw.put(key, 'junk')

    // Act
    const evicted = await ingestObject(key, api.lake.deps)
    const stored = await storeUpload(
      real,
      { labels: labLabels('kv-s1'), tool: null, contentType: null },
      api.lake,
    )
    const ingested = await ingestObject(stored.body.raw_key, api.lake.deps)

    // Assess
    expect(evicted.outcome).toBe('quarantined')
    expect(await api.lake.catalog.getIngestRecord(sha)).toMatchObject({ outcome: 'ingested' })
    expect(
      text(
        await api.lake.raw.get(
          `quarantine/mismatch/${sha}-${sha256Hex(new TextEncoder().encode('junk'))}.bin`,
        ),
      ),
    ).toBe('junk')
    expect(stored).toMatchObject({ status: 202, body: { duplicate: false } })
    expect(ingested.outcome).toBe('ingested')
    expect((await api.lake.catalog.getRun(ingested.run_ids[0]))?.scenario).toBe('kv-s1')
  })

  it('a direct upload over bytes left at its raw key but never ingested moves them aside instead of calling itself a duplicate', async () => {
    // Prepare
    const api = await createMemoryApi()
    const real = fixtureBytes('lab/kv-s2/iperf3.json')
    const key = `raw/date=2026-11-26/${sha256Hex(real)}.json`
    await api.lake.raw.put(key, 'junk bytes')

    // Act
    const stored = await storeUpload(
      real,
      { labels: labLabels('kv-s2'), tool: null, contentType: null },
      api.lake,
    )
    const ingested = await ingestObject(key, api.lake.deps)

    // Assess
    expect(stored).toMatchObject({ status: 202, body: { duplicate: false, raw_key: key } })
    expect(await api.lake.raw.get(key)).toEqual(real)
    expect(ingested.outcome).toBe('ingested')
  })
})
