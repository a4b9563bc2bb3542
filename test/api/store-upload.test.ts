import { describe, expect, it } from 'vitest'
import { storeUpload } from '#functions/api/store-upload.ts'
import { ingestObject } from '#functions/ingest/ingest-object.ts'
import { sha256Hex } from '#core/rows.ts'
import { sidecarKey } from '#core/object-keys.ts'
import { createMemoryApi } from '../helpers/memory-api.ts'
import { fixtureBytes, labLabels, variantOf } from '../helpers/memory-lake.ts'

const iperf = (n: number) => variantOf(fixtureBytes('lab/os-s1/iperf3.json'), n)

describe('storeUpload', () => {
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
