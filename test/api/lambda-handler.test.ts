import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createToken } from '#functions/api/tokens.ts'
import { ingestObject } from '#functions/ingest/ingest-object.ts'
import { createParquetWriter, readParquetRows } from '#adapters/parquet-writer.ts'
import { relabelObject } from '#functions/repair/repair-object.ts'
import { fixtureBytes, variantOf } from '../helpers/memory-lake.ts'
import { stubEnvs } from '../helpers/env.ts'
import { startTestLake } from '../helpers/local-servers.ts'
import type { TestLake } from '../helpers/local-servers.ts'

const event = (name: string, token: string, body?: Uint8Array) => {
  const text = readFileSync(new URL(`../fixtures/apigw/${name}`, import.meta.url), 'utf8').replace(
    'TOKEN',
    token,
  )
  const parsed = JSON.parse(text)
  if (body) parsed.body = Buffer.from(body).toString('base64')
  return parsed
}
const context = {
  awsRequestId: 'test',
  functionName: 'netlake-api',
  getRemainingTimeInMillis: () => 10_000,
}

describe('the API behind the Lambda adapter (API Gateway HTTP API v2 events) on s3rver + dynalite', () => {
  let lake: TestLake
  let handler: (
    event: unknown,
    context: unknown,
  ) => Promise<{ statusCode: number; body: string; headers: Record<string, string> }>
  let token: string

  beforeAll(async () => {
    lake = await startTestLake()
    stubEnvs(lake.env)
    vi.resetModules() // the handler reads its env once, when first loaded
    handler = (await import('#functions/api/handler.ts')).handler as never
    token = (await createToken(lake.catalog, { scopes: ['admin'], now: new Date() })).token
  })
  afterAll(async () => {
    vi.unstubAllEnvs()
    await lake?.close()
  })

  it('accepts a base64 raw upload, then lists the ingested run', async () => {
    // Prepare
    const bytes = new Uint8Array(
      readFileSync(new URL('../fixtures/lab/os-s1/iperf3.json', import.meta.url)),
    )
    // Act
    const upload = await handler(event('post-results-base64.json', token, bytes), context)
    const accepted = JSON.parse(upload.body)
    await ingestObject(accepted.raw_key, {
      raw: lake.stores.raw,
      curated: lake.stores.curated,
      catalog: lake.catalog,
      parquet: await createParquetWriter(),
      clock: { now: () => new Date('2026-11-26T09:00:00Z') },
    })
    const list = await handler(event('get-runs.json', token), context)
    // Assess
    expect(upload.statusCode).toBe(202)
    expect(accepted.run_ids).toHaveLength(1)
    expect(list.statusCode).toBe(200)
    const runs = JSON.parse(list.body).runs
    expect(runs.map((r: { run_id: string }) => r.run_id)).toEqual(accepted.run_ids)
    expect(runs[0].throughput_bps).toBe(
      JSON.parse(new TextDecoder().decode(bytes)).end.sum_received.bits_per_second,
    )
  })

  it('needs a token for every route, reads included (no loopback exception in AWS)', async () => {
    const noToken = event('get-runs.json', token)
    delete noToken.headers.authorization
    noToken.requestContext.http.sourceIp = '127.0.0.1'
    const response = await handler(noToken, context)
    expect(response.statusCode).toBe(401)
    expect(JSON.parse(response.body).error.code).toBe('unauthorized')
  })

  it('relabels through the repair function only, which also finishes a repair left pending', async () => {
    // Prepare: one ingested upload, and a PATCH event for it as API Gateway sends it
    const repair = (await import('#functions/repair/handler.ts')).handler as typeof handler
    const deps = {
      raw: lake.stores.raw,
      curated: lake.stores.curated,
      catalog: lake.catalog,
      parquet: await createParquetWriter(),
      readParquet: readParquetRows,
      clock: { now: () => new Date('2026-11-26T09:00:00Z') },
    }
    const bytes = variantOf(fixtureBytes('lab/os-s1/iperf3.json'), 7)
    const upload = await handler(event('post-results-base64.json', token, bytes), context)
    const { raw_key, raw_sha256, run_ids } = JSON.parse(upload.body)
    await ingestObject(raw_key, deps)
    const patch = (scenario: string) => {
      const e = event('get-runs.json', token)
      const path = `/v1/raw/${raw_sha256}/labels`
      Object.assign(e, { rawPath: path, rawQueryString: '', queryStringParameters: undefined })
      Object.assign(e.requestContext.http, { method: 'PATCH', path })
      e.headers['content-type'] = 'application/json'
      e.body = JSON.stringify({ set: { scenario }, unset: [] })
      return e
    }
    // Act: the API function refuses, the repair function relabels; then a relabel dies after its
    // label write and the schedule finishes it
    const fromApi = await handler(patch('os-s3'), context)
    const fromRepair = await repair(patch('os-s3'), context)
    const afterPatch = await lake.catalog.getRun(run_ids[0])
    const failing = new Proxy(lake.catalog, {
      get: (target, name, receiver) =>
        name === 'putRun'
          ? () => Promise.reject(new Error('cut off'))
          : Reflect.get(target, name, receiver),
    })
    const cut = await relabelObject(raw_sha256, { set: { scenario: 'os-s4' }, unset: [] }, null, {
      ...deps,
      catalog: failing,
    }).catch((error: Error) => error.message)
    const resumed = await repair(
      { source: 'netlake.scheduler', job: 'resume-repairs' } as never,
      context,
    )
    // Assess
    expect(fromApi.statusCode).toBe(501)
    expect(JSON.parse(fromApi.body).error.message).toContain('repair function')
    expect(fromRepair.statusCode, fromRepair.body).toBe(200)
    expect(JSON.parse(fromRepair.body)).toMatchObject({ labels_version: 2, run_ids })
    expect(afterPatch).toMatchObject({ scenario: 'os-s3' })
    expect(cut).toBe('cut off')
    expect(resumed).toEqual({ finished: 1 })
    expect(await lake.catalog.getRun(run_ids[0])).toMatchObject({ scenario: 'os-s4' })
  })
})
