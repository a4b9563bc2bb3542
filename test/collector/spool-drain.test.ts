import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { drainSpool } from '#collector/drain-spool.ts'
import { openSpool } from '#collector/spool.ts'
import type { RetryPolicy } from '#collector/retry-policy.ts'
import { startFakeUploadApi, type FakeUploadApi } from '../helpers/fake-upload-api.ts'

const FAST: RetryPolicy = { retries: 3, baseMs: 5, maxMs: 20, maxRetryAfterMs: 2_000 }
const envelope = (raw: string) => ({
  labels: { platform: 'baremetal', scenario: 'baseline' },
  tool: 'iperf3' as const,
  raw,
})

let dir: string
let api: FakeUploadApi

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nlk-spool-'))
  api = await startFakeUploadApi()
})
afterEach(async () => {
  await api.close()
  await rm(dir, { recursive: true, force: true })
})

const target = () => ({ api: api.url, token: api.token })

describe('spool', () => {
  it('keeps a result written before a crash and uploads it on the next drain', async () => {
    // Prepare: a collector spooled a result, then "crashed" (the spool object is dropped)
    await (await openSpool(dir)).put(envelope('{"start":{}}'))

    // Act: a new process opens the spool and drains it
    const results = await drainSpool(await openSpool(dir), { target: target(), policy: FAST })

    // Assess
    expect(results.map((r) => r.state)).toEqual(['uploaded'])
    expect(api.stored.size).toBe(1)
    expect((await readdir(dir)).filter((n) => n.endsWith('.json'))).toEqual([])
  })

  it('re-sends an entry uploaded just before a crash without making a duplicate', async () => {
    // Prepare: upload succeeded but the process died before deleting the spool file
    const spool = await openSpool(dir)
    const entry = await spool.put(envelope('{"start":{"a":1}}'))
    await drainSpool(spool, { target: target(), policy: FAST })
    await writeFile(entry.path, entry.body)

    // Act
    const results = await drainSpool(await openSpool(dir), { target: target(), policy: FAST })

    // Assess: the API saw the same bytes and answered 200 duplicate; one stored copy, spool empty
    expect(results).toMatchObject([
      { state: 'uploaded', status: 200, accepted: { duplicate: true } },
    ])
    expect(api.stored.size).toBe(1)
    expect(await spool.list()).toEqual([])
  })

  it('stores the same envelope once and leaves no temp files behind', async () => {
    // Prepare
    const spool = await openSpool(dir)

    // Act
    const a = await spool.put(envelope('x1'))
    const b = await spool.put(envelope('x1'))

    // Assess
    expect(a.id).toBe(b.id)
    expect((await readdir(dir)).sort()).toEqual([a.id, 'failed'].sort())
    expect(JSON.parse(await readFile(a.path, 'utf8'))).toEqual(envelope('x1'))
  })
})

describe('drain', () => {
  it('retries 503 and dropped connections with backoff, honouring Retry-After', async () => {
    // Prepare
    const spool = await openSpool(dir)
    await spool.put(envelope('{"start":{"flaky":1}}'))
    api.script.push(
      { status: 503, headers: { 'retry-after': '0' } },
      { drop: true },
      { status: 429, headers: { 'retry-after': '1' } },
    )
    const delays: number[] = []

    // Act
    const results = await drainSpool(spool, {
      target: target(),
      policy: FAST,
      random: () => 0.5,
      onEvent: (e) => e.event === 'upload-retry' && delays.push(e.delay_ms),
    })

    // Assess: third retry waited the server's 1 s; the fourth attempt stored it
    expect(results).toMatchObject([{ state: 'uploaded', status: 202 }])
    expect(delays).toEqual([2, 5, 1000])
    expect(api.requests.map((r) => r.status)).toEqual([503, 0, 429, 202])
    expect(api.requests[3].at - api.requests[2].at).toBeGreaterThanOrEqual(950)
  })

  it('leaves entries spooled when retries run out, and does not hammer a down API', async () => {
    // Prepare
    const spool = await openSpool(dir)
    await spool.put(envelope('r1'))
    await spool.put(envelope('r2'))
    for (let i = 0; i < 10; i++) api.script.push({ status: 502 })

    // Act
    const results = await drainSpool(spool, { target: target(), policy: FAST })

    // Assess: first entry tried 1 + 3 times, second not attempted; both still on disk
    expect(results.map((r) => r.state)).toEqual(['spooled', 'spooled'])
    expect(results[1]).toMatchObject({ reason: expect.stringContaining('not attempted') })
    expect(api.requests).toHaveLength(4)
    expect(await spool.list()).toHaveLength(2)
  })

  it('moves a permanently refused entry to failed/ with the reason and carries on', async () => {
    // Prepare: the first entry has an invalid label for the server, the second is fine
    const spool = await openSpool(dir)
    const bad = await spool.put({
      labels: { platform: 'baremetal', scenario: 'bad scenario' } as never,
      raw: 'r',
    })
    await spool.put(envelope('good'))

    // Act
    const results = await drainSpool(spool, { target: target(), policy: FAST })

    // Assess
    expect(results.find((r) => r.id === bad.id)).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('422'),
    })
    expect(results.filter((r) => r.state === 'uploaded')).toHaveLength(1)
    const failed = await spool.listFailed()
    expect(failed).toMatchObject([{ id: bad.id, reason: { status: 422, code: 'validation' } }])
    expect(await readFile(join(dir, 'failed', bad.id), 'utf8')).toBe(bad.body)
    expect(await spool.list()).toEqual([])
  })

  it('keeps entries spooled (not failed) when the token is refused', async () => {
    // Prepare
    const spool = await openSpool(dir)
    await spool.put(envelope('t1'))

    // Act
    const results = await drainSpool(spool, {
      target: { api: api.url, token: 'wrong' },
      policy: FAST,
    })

    // Assess
    expect(results).toMatchObject([
      { state: 'spooled', reason: expect.stringContaining('token refused') },
    ])
    expect(await spool.list()).toHaveLength(1)
    expect(await spool.listFailed()).toEqual([])
  })

  it('sends large envelopes, and any the API answers 413, through the presigned upload', async () => {
    // Prepare
    const spool = await openSpool(dir)
    const big = await spool.put(envelope(`{"start":{"pad":"${'x'.repeat(2000)}"}}`))
    const small = await spool.put(envelope('{"start":{"small":1}}'))
    api.script.push({
      status: 413,
      body: { error: { code: 'too-large', message: 'use POST /v1/uploads' } },
    })

    // Act: a 1 kB direct limit sends the big one presigned; the small one gets 413 first
    const results = await drainSpool(spool, {
      target: { ...target(), directLimitBytes: 1024 },
      policy: FAST,
    })

    // Assess
    expect(results.map((r) => r.state)).toEqual(['uploaded', 'uploaded'])
    expect([...api.presigned.values()].sort()).toEqual(
      [JSON.parse(big.body).raw, JSON.parse(small.body).raw].sort(),
    )
    expect(api.stored.size).toBe(0)
    expect(await spool.list()).toEqual([])
  })
})
