/**
 * The servers `bench/api.bench.ts` loads, all on 127.0.0.1 with a free port: the minimal durable
 * endpoint (the peer: Hono + JSON.parse + sha256 + one PutObject to the stack's own s3rver), the
 * API over memory adapters (the API's own cost), and the real local stack (s3rver + dynalite +
 * ingest worker + API).
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { serve } from '@hono/node-server'
import type { ServerType } from '@hono/node-server'
import { Hono } from 'hono'
import { createAwsClients, destroyAwsClients } from '#adapters/aws-clients.ts'
import { createS3ObjectStore } from '#adapters/s3-object-store.ts'
import { createApi } from '#functions/api/app.ts'
import { createToken } from '#functions/api/tokens.ts'
import { startLocalStack } from '#local/stack.ts'
import type { LocalStack } from '#local/stack.ts'
import { stackFilePath } from '#local/stack-file.ts'
import type { StackFile } from '#local/stack-file.ts'
import type { ObjectStore } from '#functions/ports.ts'
import { loadScenarioCatalog } from '#schemas/scenarios.ts'
import builtInScenarios from '#schemas/scenario-catalog.json' with { type: 'json' }
import { createMemoryLake } from '../../test/helpers/memory-lake.ts'

/** A server under load. */
export interface BenchServer {
  name: string
  url: string
  /** Collector tokens (one per connection, see `collectorTokens`). */
  tokens: string[]
  close(): Promise<void>
}

function listen(
  fetch: (request: Request, env: unknown) => Response | Promise<Response>,
): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(server))
    server.once('error', reject)
  })
}

const urlOf = (server: ServerType) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`
const closeOf = (server: ServerType) => () =>
  new Promise<void>((resolve) => server.close(() => resolve()))

/**
 * The peer (issue 18): the least a durable upload endpoint must do. Hono reads the body,
 * `JSON.parse`s it, hashes it with sha256 and PUTs it once to the SAME embedded S3 server the
 * local stack under test uses (its endpoint and per-start keys from `<data dir>/stack.json`),
 * into the reports bucket so no ingest runs, then answers 202 with the key. Returns the keys it
 * stored, for the persistence check.
 */
export async function startDurablePeer(
  stackDataDir: string,
): Promise<BenchServer & { stored: () => Promise<string[]> }> {
  const info = JSON.parse(readFileSync(stackFilePath(stackDataDir), 'utf8')) as StackFile
  const clients = createAwsClients({
    region: 'us-east-1',
    s3Endpoint: info.s3_endpoint,
    dynamoDbEndpoint: info.dynamodb_endpoint,
    credentials: {
      accessKeyId: info.credentials.access_key_id,
      secretAccessKey: info.credentials.secret_access_key,
    },
  })
  const store = createS3ObjectStore(clients.s3, info.buckets.reports)
  const app = new Hono()
  app.post('/v1/results', async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    try {
      JSON.parse(new TextDecoder().decode(bytes))
    } catch {
      return c.json({ error: 'body is not JSON' }, 400)
    }
    const sha = createHash('sha256').update(bytes).digest('hex')
    const key = `bench-peer/${sha}.json`
    await store.put(key, bytes, { contentType: 'application/json' })
    return c.json({ raw_key: key, run_ids: [] }, 202)
  })
  const server = await listen(app.fetch)
  return {
    name: 'peer',
    url: urlOf(server),
    tokens: [],
    stored: async () => {
      const keys: string[] = []
      for await (const object of store.list('bench-peer/')) keys.push(object.key)
      return keys
    },
    close: async () => {
      await closeOf(server)()
      destroyAwsClients(clients)
    },
  }
}

/**
 * `createApi` over memory adapters with a real clock (the test helper's clock is frozen, which
 * would never refill the rate limiter). The raw store keeps keys but drops the 100 KB bodies, so a
 * long run stays small in memory; everything else (auth, sha256, normalize, catalog) is the same.
 */
export async function startMemoryApi(connections: number): Promise<BenchServer> {
  const { app, tokens } = await memoryApi(connections)
  const server = await listen(app.fetch)
  return { name: 'memory', url: urlOf(server), tokens, close: closeOf(server) }
}

/** The API over memory adapters (see `startMemoryApi`), not listening: call `app.fetch`. */
export async function memoryApi(connections: number) {
  const lake = await createMemoryLake()
  const clock = { now: () => new Date() }
  const raw: ObjectStore = {
    ...lake.raw,
    put: (key, body, options) => lake.raw.put(key, typeof body === 'string' ? body : '', options),
  }
  const app = createApi({
    ...lake.deps,
    raw,
    clock,
    reports: lake.reports,
    scenarios: loadScenarioCatalog(builtInScenarios),
    readParquet: lake.readParquet,
    fileUrl: async (bucket, key) => `/v1/files/${bucket}/${key}`,
    remoteAddress: () => '127.0.0.1',
  })
  const tokens: string[] = []
  for (let i = 0; i < connections; i++)
    tokens.push(
      (
        await createToken(lake.catalog, {
          scopes: ['collector'],
          label: `bench ${i}`,
          now: clock.now(),
        })
      ).token,
    )
  return { app, tokens }
}

/** The local stack in a temp dir, with `connections` collector tokens made through the API. */
export async function startStack(
  connections: number,
): Promise<
  BenchServer & { stack: LocalStack; dataDir: string; admin: string; ingestErrors: () => number }
> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'netlake-api-bench-'))
  let errors = 0
  const stack = await startLocalStack({
    dataDir,
    port: 0,
    sampleData: false,
    log: (entry) =>
      void (
        (entry.level === 'error' || (entry.msg === 'ingest' && entry.outcome !== 'ingested')) &&
        errors++
      ),
  })
  const admin = readFileSync(stack.tokenFile, 'utf8').trim()
  const tokens: string[] = []
  for (let i = 0; i < connections; i++) {
    const response = await fetch(`${stack.url}/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ scopes: ['collector'], label: `bench ${i}` }),
    })
    if (response.status !== 201)
      throw new Error(`POST /v1/tokens: ${response.status} ${await response.text()}`)
    tokens.push(((await response.json()) as { token: string }).token)
  }
  return {
    name: 'netlake',
    url: stack.url,
    tokens,
    stack,
    dataDir,
    admin,
    ingestErrors: () => errors,
    close: async () => {
      await stack.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
