import { describe, expect, it } from 'vitest'
import { storeUpload } from '#functions/api/store-upload.ts'
import { ingestObject } from '#functions/ingest/ingest-object.ts'
import { sha256Hex } from '#core/rows.ts'
import { sidecarKey } from '#core/object-keys.ts'
import { createMemoryApi } from '../helpers/memory-api.ts'
import { fixtureBytes, labLabels, variantOf } from '../helpers/memory-lake.ts'

const iperf = (n: number) => variantOf(fixtureBytes('lab/os-s1/iperf3.json'), n)

describe('storeUpload', () => {
  it('sends both duplicate checks before waiting on either (their round trips overlap)', async () => {
    // Prepare: the ledger read answers only once the HEAD has been sent; sequential checks never finish
    const api = await createMemoryApi()
    const lake = api.lake
    let headSent!: () => void
    const headSeen = new Promise<void>((resolve) => (headSent = resolve))
    const getIngestRecord = lake.catalog.getIngestRecord.bind(lake.catalog)
    const head = lake.raw.head.bind(lake.raw)
    const calls: string[] = []
    lake.catalog.getIngestRecord = async (sha) => {
      calls.push('ledger')
      await headSeen
      return getIngestRecord(sha)
    }
    lake.raw.head = async (key) => {
      calls.push(`head ${key}`)
      headSent()
      return head(key)
    }
    // Act
    const timeout = new Promise<'timed out'>((resolve) =>
      setTimeout(() => resolve('timed out'), 2000),
    )
    const outcome = await Promise.race([
      storeUpload(iperf(1), { labels: labLabels('os-s1'), tool: null, contentType: null }, lake),
      timeout,
    ])
    // Assess
    expect(outcome).not.toBe('timed out')
    const sha = sha256Hex(iperf(1))
    expect(outcome).toMatchObject({
      status: 202,
      body: { raw_key: `raw/date=2026-11-26/${sha}.json`, duplicate: false },
    })
    expect(calls).toEqual(['ledger', `head raw/date=2026-11-26/${sha}.json`])
  })

  it('keys qperf text, --json-stream and -J documents as the core reads them, declared or detected', async () => {
    // Prepare
    const api = await createMemoryApi()
    const stream = fixtureBytes('crafted/iperf3-crafted-json-stream-complete.json')
    // Act
    const qperf = await storeUpload(
      fixtureBytes('lab/os-s1/qperf.txt'),
      { labels: labLabels('os-s1'), tool: null, contentType: null },
      api.lake,
    )
    const declared = await storeUpload(
      fixtureBytes('lab/os-s3/qperf.txt'),
      { labels: labLabels('os-s3'), tool: 'qperf', contentType: 'text/plain' },
      api.lake,
    )
    const ndjson = await storeUpload(
      stream,
      { labels: labLabels('os-s1'), tool: null, contentType: null },
      api.lake,
    )
    const bom = await storeUpload(
      new Uint8Array([0xef, 0xbb, 0xbf, ...iperf(2)]),
      { labels: labLabels('os-s1'), tool: null, contentType: null },
      api.lake,
    )
    // Assess
    expect(qperf.body.raw_key).toMatch(/\.txt$/)
    expect(declared.body.raw_key).toMatch(/\.txt$/)
    expect(ndjson.body.raw_key).toMatch(/\.ndjson$/)
    expect(bom.body.raw_key).toMatch(/\.json$/)
    expect([qperf, declared, ndjson, bom].map((r) => r.status)).toEqual([202, 202, 202, 202])
  })

  it('answers a duplicate from the ledger on a later day and from the raw object on the same day, keeping the first labels', async () => {
    // Prepare
    const api = await createMemoryApi()
    const bytes = iperf(3)
    const first = await storeUpload(
      bytes,
      { labels: labLabels('os-s1', { campaign: 'first' }), tool: null, contentType: null },
      api.lake,
    )
    // Act: same day, not yet ingested; then ingested, and a day later
    const sameDay = await storeUpload(
      bytes,
      { labels: labLabels('os-s1', { campaign: 'second' }), tool: null, contentType: null },
      api.lake,
    )
    await ingestObject(first.body.raw_key, api.lake.deps)
    api.setNow(new Date('2026-11-27T10:00:00Z'))
    const nextDay = await storeUpload(
      bytes,
      { labels: labLabels('os-s1', { campaign: 'third' }), tool: null, contentType: null },
      api.lake,
    )
    // Assess
    expect(sameDay).toEqual({ status: 200, body: { ...first.body, duplicate: true } })
    expect(nextDay).toEqual({ status: 200, body: { ...first.body, duplicate: true } })
    const sidecar = JSON.parse(
      new TextDecoder().decode(
        (await api.lake.raw.get(sidecarKey(first.body.raw_key))) as Uint8Array,
      ),
    )
    expect(sidecar.labels.campaign).toBe('first')
    const keys: string[] = []
    for await (const o of api.lake.raw.list('raw/')) keys.push(o.key)
    expect(keys).toHaveLength(2)
  })

  it('refuses bytes that are not a result with 422 naming where, and stores nothing', async () => {
    // Prepare
    const api = await createMemoryApi()
    // Act
    const refused = await storeUpload(
      new TextEncoder().encode('{"start": {'),
      { labels: labLabels('os-s1'), tool: null, contentType: null },
      api.lake,
    ).catch((error: unknown) => error)
    const unknown = await storeUpload(
      new TextEncoder().encode('hello world'),
      { labels: labLabels('os-s1'), tool: null, contentType: null },
      api.lake,
    ).catch((error: unknown) => error)
    // Assess
    expect(refused).toMatchObject({
      name: 'ApiError',
      status: 422,
      code: 'invalid-result.truncated-json',
    })
    expect(unknown).toMatchObject({
      name: 'ApiError',
      status: 422,
      code: 'invalid-result.unrecognized',
    })
    const keys: string[] = []
    for await (const o of api.lake.raw.list('raw/')) keys.push(o.key)
    expect(keys).toEqual([])
  })
})
