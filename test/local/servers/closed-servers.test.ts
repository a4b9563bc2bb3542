import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { createAwsClients, destroyAwsClients } from '#adapters/aws-clients.ts'
import type { AwsClients } from '#adapters/aws-clients.ts'
import { createS3ObjectStore } from '#adapters/s3-object-store.ts'
import { localCredentials } from '#local/servers/local-credentials.ts'
import { startLocalDynamo } from '#local/servers/local-dynamo.ts'
import type { LocalDynamo } from '#local/servers/local-dynamo.ts'
import { startLocalS3 } from '#local/servers/local-s3.ts'
import type { LocalS3 } from '#local/servers/local-s3.ts'

let dir: string
let s3: LocalS3
let dynamo: LocalDynamo
let good: AwsClients
let forged: AwsClients
const credentials = localCredentials()

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netlake-closed-'))
  await mkdir(join(dir, 's3'), { mode: 0o755 }) // a folder left world-readable by an older version
  s3 = await startLocalS3({ dataDir: join(dir, 's3'), buckets: ['b'], credentials })
  dynamo = await startLocalDynamo({ dataDir: join(dir, 'dynamo'), credentials })
  const endpoints = {
    region: 'us-east-1',
    s3Endpoint: s3.endpoint,
    dynamoDbEndpoint: dynamo.endpoint,
  }
  good = createAwsClients({ ...endpoints, credentials })
  // The right access key id with a wrong secret: what checking the key id alone would let in.
  forged = createAwsClients({
    ...endpoints,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: 'not-the-secret' },
  })
  await createS3ObjectStore(good.s3, 'b').put('raw/secret.json', '{"a":1}')
})

afterAll(async () => {
  if (good) destroyAwsClients(good)
  if (forged) destroyAwsClients(forged)
  await s3?.close()
  await dynamo?.close()
  await rm(dir, { recursive: true, force: true })
})

const DYNAMO_HEADERS = {
  'Content-Type': 'application/x-amz-json-1.0',
  'X-Amz-Target': 'DynamoDB_20120810.ListTables',
}

describe('embedded servers are closed to everything but the stack', () => {
  it('S3 refuses anonymous reads, writes and deletes, and a signature made with the wrong secret', async () => {
    // Act
    const list = await fetch(`${s3.endpoint}/b?list-type=2`)
    const get = await fetch(`${s3.endpoint}/b/raw/secret.json`)
    const put = await fetch(`${s3.endpoint}/b/raw/date=2026-11-26/${'a'.repeat(64)}.json`, {
      method: 'PUT',
      body: '{}',
    })
    const del = await fetch(`${s3.endpoint}/b/raw/secret.json`, { method: 'DELETE' })
    const forgedGet = await createS3ObjectStore(forged.s3, 'b')
      .get('raw/secret.json')
      .then(
        () => 'served',
        (error: Error) => error.message,
      )
    // Assess
    for (const response of [list, get, put, del]) {
      expect(response.status).toBe(403)
      expect(await response.text()).toContain('request is not signed')
    }
    expect(forgedGet).toMatch(/403/)
    const store = createS3ObjectStore(good.s3, 'b')
    expect(await store.head(`raw/date=2026-11-26/${'a'.repeat(64)}.json`)).toBeNull()
    expect(new TextDecoder().decode((await store.get('raw/secret.json')) as Uint8Array)).toBe(
      '{"a":1}',
    )
  })

  it('S3 serves no browser: a valid presigned URL fetched with an Origin gets 403 and no CORS header', async () => {
    // Prepare
    const url = await createS3ObjectStore(good.s3, 'b').presignGet('raw/secret.json', 60)
    // Act
    const fromPage = await fetch(url, { headers: { Origin: 'http://evil.example' } })
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'GET' },
    })
    const plain = await fetch(url)
    // Assess
    expect(fromPage.status).toBe(403)
    expect(fromPage.headers.get('access-control-allow-origin')).toBeNull()
    expect(preflight.status).toBe(403)
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    expect(plain.status).toBe(200)
    expect(await plain.text()).toBe('{"a":1}')
  })

  it('a presigned PUT accepts only the declared size, and its URL cannot be reused for another key', async () => {
    // Prepare
    const bytes = new TextEncoder().encode('hello')
    const sha = createHash('sha256').update(bytes).digest('hex')
    const store = createS3ObjectStore(good.s3, 'b')
    const url = await store.presignPut('raw/staging/x', 60, 'application/json', {
      sizeBytes: 5,
      sha256: sha,
    })
    const headers = {
      'Content-Type': 'application/json',
      'x-amz-checksum-sha256': Buffer.from(sha, 'hex').toString('base64'),
    }
    // Act
    const tooBig = await fetch(url, { method: 'PUT', headers, body: new Uint8Array(1024 * 1024) })
    const otherKey = await fetch(url.replace('/raw/staging/x', '/raw/staging/y'), {
      method: 'PUT',
      headers,
      body: bytes,
    })
    const exact = await fetch(url, { method: 'PUT', headers, body: bytes })
    // Assess
    expect(tooBig.status).toBe(403)
    expect(otherKey.status).toBe(403)
    expect(await store.head('raw/staging/y')).toBeNull()
    expect(exact.status).toBe(200)
    expect(new TextDecoder().decode((await store.get('raw/staging/x')) as Uint8Array)).toBe('hello')
  })

  it('DynamoDB refuses unsigned requests, the wrong secret and browsers, and serves the stack', async () => {
    // Act
    const anonymous = await fetch(dynamo.endpoint, {
      method: 'POST',
      headers: DYNAMO_HEADERS,
      body: '{}',
    })
    const preflight = await fetch(dynamo.endpoint, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' },
    })
    const forgedCall = await forged.dynamoRaw.send(new ListTablesCommand({})).then(
      () => 'served',
      (error: Error) => error.message,
    )
    const signed = await good.dynamoRaw.send(new ListTablesCommand({}))
    // Assess
    expect(anonymous.status).toBe(403)
    expect(await anonymous.text()).toContain('request is not signed')
    expect(preflight.status).toBe(403)
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    expect(forgedCall).toBe('request refused: signature does not match')
    expect(signed.TableNames).toEqual([])
  })

  it('keeps both data folders 0700, also one that existed with wider modes', async () => {
    // Assess
    expect((await stat(join(dir, 's3'))).mode & 0o777).toBe(0o700)
    expect((await stat(join(dir, 'dynamo'))).mode & 0o777).toBe(0o700)
  })
})
