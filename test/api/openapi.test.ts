import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { storeUpload } from '#functions/api/store-upload.ts'
import { ingestObject } from '#functions/ingest/ingest-object.ts'
import { createMemoryApi } from '../helpers/memory-api.ts'
import { fixtureBytes, labLabels, variantOf } from '../helpers/memory-lake.ts'

type MemoryApi = Awaited<ReturnType<typeof createMemoryApi>>
type Schema = Record<string, unknown>
interface Parameter {
  name: string
  in: 'query' | 'path' | 'header'
  required?: boolean
  schema: Schema
}
interface Operation {
  operationId?: string
  summary?: string
  tags?: string[]
  security?: Array<Record<string, string[]>>
  parameters?: Parameter[]
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> }
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>
}
interface Document {
  openapi: string
  info: { license?: { name: string } }
  servers?: Array<{ url: string }>
  tags?: Array<{ name: string }>
  paths: Record<string, Record<string, Operation>>
  components: { securitySchemes: Record<string, unknown> }
}

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete']
const documentOf = async (api: MemoryApi, origin = 'http://localhost') =>
  (await (await api.app.request(`${origin}/openapi.json`)).json()) as Document
const operationsOf = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ path, method, op })),
  )
const isErrorSchema = (schema: Schema | undefined) => {
  const error = (schema?.properties as Record<string, Schema> | undefined)?.error
  return (
    !!error &&
    ['code', 'message'].every((name) => (error.required as string[] | undefined)?.includes(name))
  )
}

describe('the OpenAPI document', () => {
  it('names every operation once and documents every status it can return with the error schema', async () => {
    // Prepare
    const api = await createMemoryApi()
    // Act
    const doc = await documentOf(api)
    const operations = operationsOf(doc)
    // Assess
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.info.license?.name).toBe('Apache-2.0')
    expect(operations.length).toBeGreaterThanOrEqual(15)
    const ids = operations.map(({ op }) => op.operationId)
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
    const tags = new Set((doc.tags ?? []).map((t) => t.name))
    for (const { path, method, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`
      const codes = Object.keys(op.responses)
      expect(op.summary, where).toBeTruthy()
      expect(op.tags?.length && op.tags.every((t) => tags.has(t)), where).toBe(true)
      expect(
        codes.some((code) => code.startsWith('2')),
        where,
      ).toBe(true)
      expect(codes, where).toEqual(expect.arrayContaining(['431', '500']))
      const token = op.security?.some((requirement) => 'bearer' in requirement)
      if (token) expect(codes, where).toEqual(expect.arrayContaining(['401', '403', '429']))
      if (op.requestBody)
        expect(codes, where).toEqual(expect.arrayContaining(['400', '413', '415', '422']))
      if (
        op.parameters?.some((p) => p.in === 'query') &&
        path !== '/v1/results' &&
        !path.startsWith('/v1/files')
      )
        expect(codes, where).toContain('422')
      // 416 has no body; the health check's 503 is its own document
      for (const code of codes.filter(
        (c) => Number(c) >= 400 && c !== '416' && !(path === '/healthz' && c === '503'),
      )) {
        expect(
          isErrorSchema(op.responses[code].content?.['application/json']?.schema),
          `${where} ${code}`,
        ).toBe(true)
      }
      for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
        expect(
          op.parameters?.find((p) => p.name === name && p.in === 'path')?.required,
          `${where} {${name}}`,
        ).toBe(true)
      }
      for (const requirement of op.security ?? [])
        for (const scheme of Object.keys(requirement))
          expect(doc.components.securitySchemes, where).toHaveProperty(scheme)
    }
    expect(doc.paths['/v1/compare'].get.responses).toHaveProperty('409')
  })

  it('marks required fields required and optional ones not', async () => {
    // Prepare
    const api = await createMemoryApi()
    // Act
    const doc = await documentOf(api)
    const body = (path: string) =>
      doc.paths[path].post.requestBody?.content['application/json'].schema as Schema
    const param = (path: string, name: string) =>
      doc.paths[path].get.parameters?.find((p) => p.name === name)
    // Assess
    expect(doc.paths['/v1/uploads'].post.requestBody?.required).toBe(true)
    expect(body('/v1/uploads').required).toEqual(
      expect.arrayContaining(['labels', 'sha256', 'size_bytes']),
    )
    expect(body('/v1/uploads').required).not.toContain('tool')
    expect((body('/v1/uploads').properties as Record<string, Schema>).labels.required).toEqual(
      expect.arrayContaining(['platform', 'scenario']),
    )
    expect(body('/v1/results').required).toEqual(expect.arrayContaining(['labels', 'raw']))
    expect(body('/v1/tokens').required).toEqual(['scopes'])
    expect(param('/v1/compare', 'candidate')?.required).toBe(true)
    expect(param('/v1/compare', 'baseline')?.required).toBe(false)
    expect(param('/v1/runs', 'limit')?.schema).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 1000,
    })
    // no request field or parameter takes null (the generator adds it to coerced numbers)
    expect(param('/v1/compare', 'seed')?.schema.type).toBe('integer')
  })

  it('states anonymous reads in the security of read operations when they are on, and only then', async () => {
    // Prepare
    const open = await createMemoryApi({ anonymousLoopbackReads: true })
    const closed = await createMemoryApi({ anonymousLoopbackReads: false })
    // Act
    const [openDoc, closedDoc] = await Promise.all([documentOf(open), documentOf(closed)])
    const anonymous = (doc: Document) =>
      operationsOf(doc)
        .filter(({ op }) =>
          op.security?.some((requirement) => Object.keys(requirement).length === 0),
        )
        .map(({ method, path }) => `${method} ${path}`)
        .sort()
    // Assess
    const reads = [
      'get /v1/changes',
      'get /v1/compare',
      'get /v1/datasets',
      'get /v1/files/{bucket}/{key}',
      'get /v1/reports',
      'get /v1/reports/{id}',
      'get /v1/runs',
      'get /v1/runs/{id}',
      'get /v1/scenarios',
      'head /v1/files/{bucket}/{key}',
    ]
    expect(anonymous(openDoc)).toEqual(reads)
    expect(anonymous(closedDoc)).toEqual([])
    expect(openDoc.paths['/v1/runs'].get.security).toEqual([{ bearer: [] }, {}])
    expect(closedDoc.paths['/v1/runs'].get.security).toEqual([{ bearer: [] }])
    expect(openDoc.paths['/v1/tokens'].post.security).toEqual([{ bearer: [] }])
    expect(openDoc.paths['/healthz'].get.security).toEqual([])
    expect(JSON.stringify(openDoc.paths['/v1/runs'].get)).toContain(
      'loopback address need no token',
    )
    expect(JSON.stringify(closedDoc.paths['/v1/runs'].get)).not.toContain('loopback')
  })

  it('names the server it came from and writes vendor keywords as x-…', async () => {
    // Prepare
    const api = await createMemoryApi()
    // Act
    const doc = await documentOf(api, 'http://127.0.0.1:8787')
    const text = JSON.stringify(doc)
    // Assess
    expect(doc.servers).toEqual([
      { url: 'http://127.0.0.1:8787', description: 'the server this document came from' },
    ])
    expect(text).not.toMatch(/"arrow":/)
    expect(text.match(/"x-arrow":/g)?.length).toBeGreaterThan(50)
    const run = doc.paths['/v1/runs'].get.responses['200'].content?.['application/json']
      .schema as Schema
    const columns = ((run.properties as Record<string, Schema>).runs.items as Schema)
      .properties as Record<string, Schema>
    expect(columns.throughput_bps['x-arrow']).toBeTruthy()
  })
})

/** Values for one JSON schema: mostly valid ones, some at and past the edges, some of the wrong type. */
function valueFor(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.constantFrom(null, true, '', '1e30', '-1', '0', 'NaN', [], {}),
  )
  const types = Array.isArray(schema.type) ? schema.type : [schema.type]
  let valid: fc.Arbitrary<unknown>
  if (Array.isArray(schema.enum)) valid = fc.constantFrom(...schema.enum)
  else if (types.includes('integer') || types.includes('number')) {
    const min =
      (schema.minimum as number | undefined) ??
      ((schema.exclusiveMinimum as number | undefined) ?? -1e6) + 1
    const max = (schema.maximum as number | undefined) ?? 1e9
    valid = fc.oneof(
      fc.integer({ min: Math.ceil(min), max: Math.min(Math.floor(max), 2 ** 31) }),
      fc.constantFrom(min - 1, max + 1),
    )
  } else if (types.includes('string')) {
    const maxLength = (schema.maxLength as number | undefined) ?? 64
    valid = schema.pattern
      ? fc
          .stringMatching(new RegExp(schema.pattern as string))
          .filter(
            (s) =>
              s.length <= maxLength && s.length >= ((schema.minLength as number | undefined) ?? 0),
          )
      : fc.string({ maxLength: Math.min(maxLength, 64) })
  } else if (types.includes('boolean')) valid = fc.boolean()
  else if (types.includes('array') && depth < 3)
    valid = fc.array(valueFor((schema.items as Schema) ?? {}, depth + 1), {
      minLength: (schema.minItems as number | undefined) ?? 0,
      maxLength: 3,
    })
  else if (types.includes('object') && depth < 3) valid = objectFor(schema, depth)
  else valid = fc.jsonValue({ maxDepth: 1 })
  return fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: wrong, weight: 1 })
}

/** An object for an object schema: required properties mostly present, optional ones sometimes, an unknown one rarely. */
function objectFor(schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties as Record<string, Schema> | undefined) ?? {}
  const required = new Set((schema.required as string[] | undefined) ?? [])
  const entries = Object.entries(properties).map(([name, property]) =>
    fc.tuple(
      fc.constant(name),
      fc.option(valueFor(property, depth + 1), {
        freq: required.has(name) ? 20 : 2,
        nil: undefined,
      }),
    ),
  )
  return fc
    .tuple(fc.tuple(...entries), rarely(fc.constant(['colour', 'red'] as const)))
    .map(([pairs, extra]) => {
      const out: Record<string, unknown> = {}
      for (const [name, value] of pairs) if (value !== undefined) out[name] = value
      if (extra) out[extra[0]] = extra[1]
      return out
    })
}

/** `arbitrary` one time in `n`, else null (fc.option's `freq` is the other way round). */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, n = 6) =>
  fc.oneof({ arbitrary: fc.constant(null), weight: n - 1 }, { arbitrary, weight: 1 })

const asParam = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value))

interface Known {
  id: string[]
  key: string[]
  signed: string[]
  candidate: string[]
  report: string[]
  sha: string[]
}

/** Requests for one documented operation, drawn from its parameters' and body's schemas. */
function requestsFor({ path, method, op }: ReturnType<typeof operationsOf>[number], known: Known) {
  const params = op.parameters ?? []
  const pathParams = fc.record(
    Object.fromEntries(
      params
        .filter((p) => p.in === 'path')
        .map((p) => {
          const pool =
            p.name === 'id'
              ? path.startsWith('/v1/reports')
                ? known.report
                : known.id
              : p.name === 'key'
                ? known.key
                : p.name === 'sha256'
                  ? known.sha
                  : []
          return [
            p.name,
            pool.length
              ? fc.oneof(fc.constantFrom(...pool), valueFor(p.schema).map(asParam))
              : valueFor(p.schema).map(asParam),
          ]
        }),
    ),
  )
  const query = fc.tuple(
    ...params
      .filter((p) => p.in === 'query')
      .map((p) => {
        const value =
          p.name === 'candidate' || p.name === 'baseline'
            ? fc.oneof(fc.constantFrom(...known.candidate, 'baseline'), valueFor(p.schema))
            : valueFor(p.schema)
        return fc.option(
          value.map((v) => [p.name, asParam(v)] as const),
          { freq: p.required ? 10 : 2, nil: null },
        )
      }),
    rarely(
      fc.constantFrom(
        ['colour', 'red'] as const,
        ['cursor', 'abc'] as const,
        ['limit', '-1'] as const,
        ['limit', '1e30'] as const,
      ),
    ),
  )
  const jsonSchema = op.requestBody?.content['application/json']?.schema
  // a well-formed body now and then, so each operation can succeed (generated raw text never parses as a result)
  const examples: Record<string, fc.Arbitrary<string>> = {
    '/v1/results': fc.integer({ min: 0, max: 50 }).map((n) =>
      JSON.stringify({
        labels: labLabels('os-s3'),
        raw: new TextDecoder().decode(variantOf(fixtureBytes('lab/os-s3/iperf3.json'), 100 + n)),
      }),
    ),
    '/v1/uploads': fc
      .tuple(fc.stringMatching(/^[0-9a-f]{64}$/), fc.integer({ min: 1, max: 1e8 }))
      .map(([sha256, size_bytes]) =>
        JSON.stringify({ labels: labLabels('os-s1'), sha256, size_bytes }),
      ),
    '/v1/tokens': fc
      .subarray(['reader', 'collector', 'admin'], { minLength: 1 })
      .map((scopes) => JSON.stringify({ scopes })),
  }
  const body = op.requestBody
    ? fc.oneof(
        {
          arbitrary: jsonSchema
            ? objectFor(jsonSchema, 0).map((o) => JSON.stringify(o))
            : fc.constant('{}'),
          weight: 4,
        },
        { arbitrary: examples[path] ?? fc.constant('{}'), weight: 4 },
        { arbitrary: fc.json({ maxDepth: 2 }), weight: 1 },
        { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
        { arbitrary: fc.constant(''), weight: 1 },
      )
    : fc.constant(undefined)
  const contentType = op.requestBody
    ? fc.oneof(
        { arbitrary: fc.constant('application/json'), weight: 4 },
        fc.constantFrom(
          ...Object.keys(op.requestBody.content),
          'application/json; charset=utf-8',
          'application/xml',
          undefined,
        ),
      )
    : fc.constant(undefined)
  return fc
    .record({
      path: pathParams.map((values) =>
        path.replace(/\{(\w+)\}/g, (_m, name: string) =>
          encodeURIComponent(String(values[name])).replaceAll('%2F', '/'),
        ),
      ),
      query: fc.oneof(fc.constant([] as Array<readonly [string, string] | null>), query),
      body,
      contentType,
      auth: fc.oneof(
        { arbitrary: fc.constant('admin' as const), weight: 4 },
        fc.constantFrom('none', 'reader', 'collector', 'garbage'),
      ),
      peer: fc.constantFrom('127.0.0.1', '192.0.2.10', undefined),
      padding: fc.constantFrom(0, 0, 0, 100, 9000),
      signed:
        path.startsWith('/v1/files') && known.signed.length
          ? fc.option(fc.constantFrom(...known.signed), { freq: 3, nil: null })
          : fc.constant(null),
    })
    .map((r) => ({ ...r, method, op }))
}

/**
 * Sends generated requests for every documented operation and asserts each answer's status is one
 * the document lists for that operation (never 500), with the error document on every error.
 * Returns the statuses seen per operationId.
 */
async function replay(
  api: MemoryApi,
  doc: Document,
  known: Known,
  numRuns: number,
  seed: number,
): Promise<Map<string, Set<number>>> {
  const seen = new Map<string, Set<number>>()
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(...operationsOf(doc).map((operation) => requestsFor(operation, known))),
      async (r) => {
        const search = new URLSearchParams()
        for (const pair of r.query) if (pair) search.append(pair[0], pair[1])
        const url = r.signed ?? `${r.path}${search.size ? `?${search}` : ''}`
        const headers: Record<string, string> = {}
        if (r.contentType) headers['Content-Type'] = r.contentType
        if (r.auth === 'garbage')
          headers.Authorization = 'Bearer nlk_000000000000_nonsensenonsensenonsense'
        else if (r.auth !== 'none') Object.assign(headers, api.auth(r.auth))
        if (r.padding) headers['X-Padding'] = 'p'.repeat(r.padding)
        api.setPeer(r.peer)
        const response = await api.app.request(url, {
          method: r.method.toUpperCase(),
          headers,
          body: r.body,
        })
        const where = `${r.method.toUpperCase()} ${url} (${r.auth}, ${r.contentType ?? 'no type'}) → ${response.status}`
        seen.set(
          r.op.operationId as string,
          (seen.get(r.op.operationId as string) ?? new Set()).add(response.status),
        )
        expect(response.status, where).not.toBe(500)
        expect(Object.keys(r.op.responses), where).toContain(String(response.status))
        if (response.status >= 400 && response.status !== 416 && r.method !== 'head') {
          const error = (await response.json()).error
          expect(typeof error.code === 'string' && typeof error.message === 'string', where).toBe(
            true,
          )
          if ('field' in error) expect(typeof error.field, where).toBe('string')
        }
      },
    ),
    { numRuns, seed, endOnFailure: true },
  )
  return seen
}

/** A memory API with runs of three scenarios, a report, and the ids and file keys a client would know. */
async function seededApi(options: Parameters<typeof createMemoryApi>[0] = {}) {
  const api = await createMemoryApi({
    anonymousLoopbackReads: true,
    rateLimitBurst: 1e9,
    maxHeaderBytes: 8192,
    maxJsonBodyBytes: 8192,
    directUploadLimitBytes: 256 * 1024,
    ...options,
  })
  const known: Known = {
    id: [],
    key: [],
    signed: [],
    candidate: ['os-s1', 'os-s3'],
    report: ['w-2026-11-26'],
    sha: [],
  }
  for (const scenario of ['baseline', 'os-s1', 'os-s3']) {
    for (let n = 0; n < 3; n++) {
      const stored = await storeUpload(
        variantOf(fixtureBytes(`lab/${scenario}/iperf3.json`), n),
        { labels: labLabels(scenario), tool: null, contentType: null },
        api.lake,
      )
      await ingestObject(stored.body.raw_key, api.lake.deps)
      known.id.push(...stored.body.run_ids)
      known.sha.push(stored.body.raw_sha256)
    }
  }
  await api.lake.catalog.putReport({
    report_id: 'w-2026-11-26',
    window_from: '2026-11-19T00:00:00.000Z',
    window_to: '2026-11-26T00:00:00.000Z',
    created_at: '2026-11-26T10:00:00.000Z',
    keys: {
      html: 'reports/2026-11-26/w-2026-11-26/report.html',
      md: 'reports/2026-11-26/w-2026-11-26/report.md',
      json: 'reports/2026-11-26/w-2026-11-26/report.json',
    },
    regressions: 0,
    improvements: 0,
  })
  const manifest = await (
    await api.app.request('/v1/datasets', { headers: api.auth('reader') })
  ).json()
  for (const file of Object.values(manifest.tables).flat() as Array<{ key: string; url: string }>) {
    known.key.push(file.key.replace(/^[^/]+\//, ''))
    known.signed.push(file.url)
  }
  return { api, known, doc: await documentOf(api) }
}

describe('replaying generated requests against the app', () => {
  it('answers every generated request with a status documented for its operation, never 500', async () => {
    // Prepare
    const { api, known, doc } = await seededApi()
    // Act + Assess (per request, inside replay)
    const seen = await replay(
      api,
      doc,
      known,
      Number(process.env.NETLAKE_FUZZ_RUNS ?? 600),
      Number(process.env.NETLAKE_FUZZ_SEED ?? 18),
    )
    // Assess: every operation was exercised, and nearly every one also succeeded (not only refusals)
    const operations = operationsOf(doc)
    expect([...seen.keys()].sort()).toEqual(operations.map(({ op }) => op.operationId).sort())
    const succeeded = [...seen.entries()].filter(([, statuses]) =>
      [...statuses].some((s) => s < 300),
    )
    expect(succeeded.length).toBeGreaterThanOrEqual(operations.length - 2)
  })

  it('notices a status the document does not list (the check can fail)', async () => {
    // Prepare: the same app, but its document forgets that listing runs can answer 400
    const { api, known, doc } = await seededApi()
    const forgetful = structuredClone(doc)
    delete forgetful.paths['/v1/runs'].get.responses['400']
    forgetful.paths = { '/v1/runs': forgetful.paths['/v1/runs'] }
    // Act
    const outcome = replay(api, forgetful, known, 300, 18)
    const failure = (await outcome.then(
      () => null,
      (error: unknown) => error,
    )) as (Error & { cause?: Error }) | null
    // Assess
    expect(failure).toBeInstanceOf(Error)
    expect(failure?.message).toMatch(/^Property failed after \d+ tests/)
    expect(`${failure?.message}\n${failure?.cause?.message ?? ''}`).toMatch(
      /GET \/v1\/runs\S* \(\w+, no type\) → 400/,
    )
  })
})
