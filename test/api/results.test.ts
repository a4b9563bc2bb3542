import { describe, expect, it } from 'vitest'
import { ingestObject } from '#functions/ingest/ingest-object.ts'
import { runIdFor, sha256Hex } from '#core/rows.ts'
import { sidecarKey } from '#core/object-keys.ts'
import { sidecarFromMetadata, sidecarMetadata } from '#core/sidecar-metadata.ts'
import { createMemoryApi } from '../helpers/memory-api.ts'
import { fixtureBytes, labLabels } from '../helpers/memory-lake.ts'

const iperf = () => new TextDecoder().decode(fixtureBytes('lab/os-s1/iperf3.json'))

describe('POST /v1/results', () => {
  it('stores an envelope verbatim and answers 202 with content-derived run ids, 202 again before ingest, then 200 duplicate once the runs exist', async () => {
    // Prepare
    const api = await createMemoryApi()
    const raw = iperf()
    const body = JSON.stringify({ labels: labLabels('os-s1'), raw })
    const post = () =>
      api.app.request('/v1/results', {
        method: 'POST',
        body,
        headers: { ...api.auth('collector'), 'Content-Type': 'application/json' },
      })
    // Act
    const first = await post()
    const second = await post()
    await ingestObject(
      `raw/date=2026-11-26/${sha256Hex(new TextEncoder().encode(raw))}.json`,
      api.lake.deps,
    )
    const third = await post()
    // Assess
    const sha = sha256Hex(new TextEncoder().encode(raw))
    expect(first.status).toBe(202)
    const accepted = await first.json()
    expect(accepted).toEqual({
      raw_key: `raw/date=2026-11-26/${sha}.json`,
      raw_sha256: sha,
      run_ids: [runIdFor(sha, 0)],
      duplicate: false,
    })
    expect(new TextDecoder().decode((await api.lake.raw.get(accepted.raw_key)) as Uint8Array)).toBe(
      raw,
    )
    expect(second.status).toBe(202)
    expect(await second.json()).toEqual(accepted)
    expect(third.status).toBe(200)
    expect(await third.json()).toEqual({ ...accepted, duplicate: true })
    const keys: string[] = []
    for await (const o of api.lake.raw.list('raw/')) keys.push(o.key)
    expect(keys).toEqual([accepted.raw_key]) // the bytes once, their labels in its metadata
    const stored = await api.lake.raw.getWithMetadata(accepted.raw_key)
    expect(sidecarFromMetadata(stored?.metadata ?? {})).toMatchObject({
      labels: labLabels('os-s1'),
      raw_sha256: sha,
      size_bytes: new TextEncoder().encode(raw).byteLength,
    })
  })

  it('keeps labels too large for S3 metadata in a sidecar object beside the bytes, and ingest reads them', async () => {
    // Prepare: 40 software labels of 60 characters each, ~3 KB of labels
    const api = await createMemoryApi()
    const raw = iperf()
    const software = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`pkg${i}`, `${i}`.padStart(60, 'v')]),
    )
    const labels = { ...labLabels('os-s1'), software }
    // Act
    const response = await api.app.request('/v1/results', {
      method: 'POST',
      body: JSON.stringify({ labels, raw }),
      headers: { ...api.auth('collector'), 'Content-Type': 'application/json' },
    })
    const accepted = await response.json()
    const result = await ingestObject(accepted.raw_key, api.lake.deps)
    // Assess
    expect(response.status).toBe(202)
    expect(sidecarMetadata({ labels })).toBeNull()
    const keys: string[] = []
    for await (const o of api.lake.raw.list('raw/')) keys.push(o.key)
    expect(keys).toEqual([accepted.raw_key, sidecarKey(accepted.raw_key)])
    expect((await api.lake.raw.getWithMetadata(accepted.raw_key))?.metadata).toEqual({})
    expect(result.outcome).toBe('ingested')
    const run = await api.lake.catalog.getRun(accepted.run_ids[0])
    expect(JSON.parse(run?.software as string)).toEqual(software)
  })

  it('takes a raw iperf3 body with labels as query parameters and qperf text with X-Netlake headers', async () => {
    const api = await createMemoryApi()
    const iperfResponse = await api.app.request(
      '/v1/results?platform=openstack&scenario=os-s1&mtu=1450&source_host=vm1&software.kernel=6.1',
      {
        method: 'POST',
        body: iperf(),
        headers: { ...api.auth('collector'), 'Content-Type': 'application/json' },
      },
    )
    const qperfResponse = await api.app.request('/v1/results', {
      method: 'POST',
      body: fixtureBytes('lab/os-s1/qperf.txt'),
      headers: {
        ...api.auth('collector'),
        'Content-Type': 'text/plain',
        'X-Netlake-Platform': 'openstack',
        'X-Netlake-Scenario': 'os-s1',
      },
    })
    expect(iperfResponse.status).toBe(202)
    expect(qperfResponse.status).toBe(202)
    const qperf = await qperfResponse.json()
    expect(qperf.raw_key).toMatch(/\.txt$/)
    expect(qperf.run_ids).toHaveLength(2)
    // the labels reach the run through ingest
    const { raw_key } = await iperfResponse.json()
    await ingestObject(raw_key, api.lake.deps)
    const runs = await api.lake.catalog.listRuns({ scenario: 'os-s1' }, 10)
    expect(runs.items[0]).toMatchObject({
      platform: 'openstack',
      mtu: 1450,
      source_host: 'vm1',
      software: '{"kernel":"6.1"}',
    })
  })

  it.each([
    ['no token', {}, 401, 'unauthorized'],
    ['a malformed header', { Authorization: 'Basic abc' }, 401, 'unauthorized'],
    [
      'a wrong token',
      { Authorization: 'Bearer nlk_000000000000_wrongwrongwrongwrongwrongwrong' },
      401,
      'unauthorized',
    ],
  ])('refuses an upload with %s', async (_name, headers, status, code) => {
    const api = await createMemoryApi()
    const response = await api.app.request('/v1/results?platform=openstack&scenario=os-s1', {
      method: 'POST',
      body: iperf(),
      headers: { ...headers, 'Content-Type': 'application/json' },
    })
    expect(response.status).toBe(status)
    expect((await response.json()).error.code).toBe(code)
  })

  it('refuses a reader token (403) and an expired token (401), and uploads from loopback without a token', async () => {
    const api = await createMemoryApi({ anonymousLoopbackReads: true })
    api.setPeer('127.0.0.1')
    const headers = { 'Content-Type': 'application/json' }
    const anonymous = await api.app.request('/v1/results?platform=openstack&scenario=os-s1', {
      method: 'POST',
      body: iperf(),
      headers,
    })
    const reader = await api.app.request('/v1/results?platform=openstack&scenario=os-s1', {
      method: 'POST',
      body: iperf(),
      headers: { ...headers, ...api.auth('reader') },
    })
    expect(anonymous.status).toBe(401)
    expect(reader.status).toBe(403)
    expect((await reader.json()).error.message).toContain("'collector'")
    const { createToken } = await import('#functions/api/tokens.ts')
    const { token } = await createToken(api.lake.catalog, {
      scopes: ['collector'],
      now: new Date('2026-11-01T00:00:00Z'),
      ttlDays: 1,
    })
    const expired = await api.app.request('/v1/results?platform=openstack&scenario=os-s1', {
      method: 'POST',
      body: iperf(),
      headers: { ...headers, Authorization: `Bearer ${token}` },
    })
    expect(expired.status).toBe(401)
    expect((await expired.json()).error.message).toContain('expired')
  })

  it.each([
    ['missing platform', '?scenario=os-s1', 422, 'labels.platform'],
    ['an unknown label', '?platform=openstack&scenario=os-s1&colour=red', 422, 'colour'],
    ['a non-numeric MTU', '?platform=openstack&scenario=os-s1&mtu=big', 422, 'labels.mtu'],
    ['a path-traversal scenario', '?platform=openstack&scenario=../../etc', 422, 'labels.scenario'],
    [
      'an SQL-looking platform',
      "?platform=x';DROP TABLE runs;--&scenario=os-s1",
      422,
      'labels.platform',
    ],
  ])('answers 422 naming the field for %s', async (_name, query, status, field) => {
    const api = await createMemoryApi()
    const response = await api.app.request(`/v1/results${query}`, {
      method: 'POST',
      body: iperf(),
      headers: { ...api.auth('collector'), 'Content-Type': 'application/json' },
    })
    expect(response.status).toBe(status)
    expect((await response.json()).error.field).toBe(field)
  })

  it('answers 422 naming the problem for truncated JSON, an iperf3 error output is accepted as an error run', async () => {
    const api = await createMemoryApi()
    const headers = { ...api.auth('collector'), 'Content-Type': 'application/json' }
    const truncated = await api.app.request('/v1/results?platform=openstack&scenario=os-s1', {
      method: 'POST',
      body: iperf().slice(0, 900),
      headers,
    })
    expect(truncated.status).toBe(422)
    const error = (await truncated.json()).error
    expect(error.code).toBe('invalid-result.truncated-json')
    expect(error.message).toMatch(/900|end/)
    const failed = await api.app.request('/v1/results?platform=openstack&scenario=os-s1', {
      method: 'POST',
      body: fixtureBytes('real/iperf3-error-connection-refused.json'),
      headers,
    })
    expect(failed.status).toBe(202)
  })

  it('answers 415 for other content types, 413 above the limit, 422 for an empty body or a bad envelope', async () => {
    const api = await createMemoryApi({ directUploadLimitBytes: 4096 })
    const headers = api.auth('collector')
    const xml = await api.app.request('/v1/results?platform=a&scenario=b', {
      method: 'POST',
      body: '<x/>',
      headers: { ...headers, 'Content-Type': 'application/xml' },
    })
    const big = await api.app.request('/v1/results?platform=a&scenario=b', {
      method: 'POST',
      body: iperf(),
      headers: { ...headers, 'Content-Type': 'application/json' },
    })
    const empty = await api.app.request('/v1/results?platform=a&scenario=b', {
      method: 'POST',
      body: '',
      headers: { ...headers, 'Content-Type': 'text/plain' },
    })
    const envelope = await api.app.request('/v1/results', {
      method: 'POST',
      body: JSON.stringify({ labels: { platform: 'openstack' }, raw: 'x' }),
      headers: { ...headers, 'Content-Type': 'application/json' },
    })
    expect([xml.status, big.status, empty.status, envelope.status]).toEqual([415, 413, 422, 422])
    expect((await big.json()).error.message).toContain('/v1/uploads')
    expect((await envelope.json()).error.field).toBe('labels.scenario')
  })

  it('tells a raw JSON upload without labels how to send them, instead of guessing', async () => {
    const api = await createMemoryApi()
    const response = await api.app.request('/v1/results', {
      method: 'POST',
      body: iperf(),
      headers: { ...api.auth('collector'), 'Content-Type': 'application/json' },
    })
    expect(response.status).toBe(422)
    const error = (await response.json()).error
    expect(error.field).toBe('labels')
    expect(error.message).toContain('query parameters')
  })

  it('stops reading a chunked body as soon as it passes the limit', async () => {
    const api = await createMemoryApi({ directUploadLimitBytes: 1024 })
    let pulled = 0
    const stream = new ReadableStream({
      pull(controller) {
        pulled++
        if (pulled > 1000) controller.close()
        else controller.enqueue(new Uint8Array(512))
      },
    })
    const response = await api.app.request('/v1/results?platform=a&scenario=b', {
      method: 'POST',
      body: stream,
      headers: { ...api.auth('collector'), 'Content-Type': 'application/json' },
      duplex: 'half',
    } as RequestInit)
    expect(response.status).toBe(413)
    expect(pulled).toBeLessThan(10)
  })

  it('rate-limits a token with 429 and Retry-After', async () => {
    const api = await createMemoryApi({ rateLimitPerMinute: 60, rateLimitBurst: 2 })
    const send = () => api.app.request('/v1/runs', { headers: api.auth('reader') })
    expect((await send()).status).toBe(200)
    expect((await send()).status).toBe(200)
    const limited = await send()
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('1')
  })
})

describe('POST /v1/uploads', () => {
  it('returns a presigned PUT to a staging key bound to size and sha256, with the claim beside it and the raw key untouched', async () => {
    // Prepare
    const api = await createMemoryApi()
    const sha = 'c'.repeat(64)
    // Act
    const response = await api.app.request('/v1/uploads', {
      method: 'POST',
      body: JSON.stringify({ labels: labLabels('os-s1'), sha256: sha, size_bytes: 30_000_000 }),
      headers: { ...api.auth('collector'), 'Content-Type': 'application/json' },
    })
    // Assess
    expect(response.status).toBe(200)
    const body = await response.json()
    expect(body).toMatchObject({
      method: 'PUT',
      raw_key: `raw/date=2026-11-26/${sha}.json`,
      headers: {
        'Content-Type': 'application/json',
        'x-amz-checksum-sha256': Buffer.from(sha, 'hex').toString('base64'),
      },
    })
    expect(body.upload_id).toMatch(/^[0-9a-f]{32}$/)
    const url = new URL(body.url)
    expect(url.pathname).toBe(`/raw/staging/${body.upload_id}`)
    expect(url.searchParams.get('size')).toBe('30000000')
    expect(url.searchParams.get('sha256')).toBe(sha)
    expect(
      JSON.parse(
        new TextDecoder().decode(
          (await api.lake.raw.get(`raw/staging/${body.upload_id}.claim.json`)) as Uint8Array,
        ),
      ),
    ).toMatchObject({ raw_sha256: sha, size_bytes: 30_000_000, raw_key: body.raw_key })
    expect(await api.lake.raw.head(`raw/date=2026-11-26/${sha}.labels.json`)).toBeNull()
  })

  it('refuses files above the core limit with 413 and a bad sha with 422', async () => {
    const api = await createMemoryApi()
    const post = (body: object) =>
      api.app.request('/v1/uploads', {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { ...api.auth('collector'), 'Content-Type': 'application/json' },
      })
    expect(
      (await post({ labels: labLabels('os-s1'), sha256: 'c'.repeat(64), size_bytes: 1e9 })).status,
    ).toBe(413)
    const bad = await post({ labels: labLabels('os-s1'), sha256: 'xyz', size_bytes: 10 })
    expect(bad.status).toBe(422)
    expect((await bad.json()).error.field).toBe('sha256')
  })
})
