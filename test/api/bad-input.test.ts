import { describe, expect, it } from 'vitest'
import { createMemoryApi } from '../helpers/memory-api.ts'
import { labLabels } from '../helpers/memory-lake.ts'

type MemoryApi = Awaited<ReturnType<typeof createMemoryApi>>
type Scope = 'reader' | 'collector' | 'admin'

/** Every route with the scope it needs and, for a POST, a body it accepts. */
const GET_ROUTES: Array<{ path: string; listing: boolean; limitMax?: number }> = [
  { path: '/v1/runs', listing: true, limitMax: 1000 },
  { path: '/v1/reports', listing: true, limitMax: 100 },
  { path: `/v1/runs/${'0'.repeat(32)}`, listing: false },
  { path: '/v1/reports/2026-11-26', listing: false },
  { path: '/v1/scenarios', listing: false },
  { path: '/v1/datasets', listing: false },
  { path: '/v1/compare?candidate=os-s1', listing: false },
]
const JSON_ROUTES: Array<{ path: string; scope: Scope; body: () => Record<string, unknown> }> = [
  { path: '/v1/tokens', scope: 'admin', body: () => ({ scopes: ['reader'] }) },
  {
    path: '/v1/uploads',
    scope: 'collector',
    body: () => ({ labels: labLabels('os-s1'), sha256: 'c'.repeat(64), size_bytes: 30_000_000 }),
  },
  {
    path: '/v1/results',
    scope: 'collector',
    body: () => ({ labels: labLabels('os-s1'), raw: '{"start":{}}' }),
  },
]

const withQuery = (path: string, query: string) =>
  `${path}${path.includes('?') ? '&' : '?'}${query}`
const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string; field?: string } }).error
const get = (api: MemoryApi, path: string, headers: Record<string, string> = {}) =>
  api.app.request(path, { headers: { ...api.auth('reader'), ...headers } })
const post = (
  api: MemoryApi,
  path: string,
  scope: Scope,
  body: BodyInit,
  headers: Record<string, string>,
) => api.app.request(path, { method: 'POST', body, headers: { ...api.auth(scope), ...headers } })

describe.each(GET_ROUTES)(
  'GET $path refuses bad input with a 4xx naming the parameter',
  ({ path, listing, limitMax }) => {
    it.each([
      ['a huge limit', 'limit=1e30'],
      ['a limit just above the maximum', `limit=${(limitMax ?? 0) + 1}`],
      ['a negative limit', 'limit=-5'],
      ['a fractional limit', 'limit=2.5'],
    ])('%s', async (_name, query) => {
      // Prepare
      const api = await createMemoryApi()
      // Act
      const response = await get(api, withQuery(path, query))
      // Assess
      expect(response.status).toBe(422)
      const error = await errorOf(response)
      expect(error.field).toBe('limit')
      expect(error.message).toBe(
        listing
          ? `limit must be an integer from 1 to ${limitMax}`
          : "unknown query parameter 'limit'",
      )
    })

    it('a repeated limit (400 naming it, whatever the route)', async () => {
      // Prepare
      const api = await createMemoryApi()
      // Act
      const response = await get(api, withQuery(path, 'limit=1&limit=2'))
      // Assess
      expect(response.status).toBe(400)
      const error = await errorOf(response)
      expect(error.field).toBe('limit')
      expect(error.message).toBe("query parameter 'limit' is given 2 times; give it once")
    })

    it('an invalid cursor', async () => {
      // Prepare
      const api = await createMemoryApi()
      // Act
      const responses = await Promise.all(
        ['abc', 'bm90LWEtY3Vyc29y', 'eyJ4IjoxfQ', '%00'].map((cursor) =>
          get(api, withQuery(path, `cursor=${cursor}`)),
        ),
      )
      // Assess
      for (const response of responses) {
        expect(response.status).toBe(listing ? 400 : 422)
        const error = await errorOf(response)
        expect(error.field).toBe('cursor')
        expect(error.message).toMatch(
          listing ? /^cursor is not one this API issued/ : /^unknown query parameter 'cursor'$/,
        )
      }
    })

    it('an unknown query parameter', async () => {
      // Prepare
      const api = await createMemoryApi()
      // Act
      const response = await get(api, withQuery(path, 'colour=red'))
      // Assess
      expect(response.status).toBe(422)
      expect(await errorOf(response)).toEqual({
        code: 'validation',
        message: "unknown query parameter 'colour'",
        field: 'colour',
      })
    })

    it('oversized headers (431 naming the largest)', async () => {
      // Prepare
      const api = await createMemoryApi({ maxHeaderBytes: 4096 })
      // Act
      const small = await get(api, path, { 'X-Padding': 'a'.repeat(1000) })
      const large = await get(api, path, { 'X-Padding': 'a'.repeat(5000) })
      // Assess
      expect(small.status).toBeLessThan(500)
      expect(small.status).not.toBe(431)
      expect(large.status).toBe(431)
      const error = await errorOf(large)
      expect(error.field).toBe('x-padding')
      expect(error.message).toMatch(
        /^request headers are \d+ bytes, above the limit of 4096; the largest is 'x-padding'$/,
      )
    })
  },
)

describe.each(JSON_ROUTES)(
  'POST $path refuses bad input with a 4xx naming the field',
  ({ path, scope, body }) => {
    it('accepts its well-formed body (the baseline the cases below break)', async () => {
      const api = await createMemoryApi()
      const response = await post(api, path, scope, JSON.stringify(body()), {
        'Content-Type': 'application/json',
      })
      expect(response.status).toBeLessThan(500)
      expect([200, 201, 202, 422]).toContain(response.status) // /v1/results: 422 names the invalid tool output, not the envelope
      if (response.status === 422)
        expect((await errorOf(response)).code).toMatch(/^invalid-result\./)
    })

    it.each([
      ['truncated JSON', '{"scopes": ['],
      ['a bare word', 'hello'],
      ['an empty body', ''],
    ])('malformed JSON: %s', async (_name, text) => {
      // Prepare
      const api = await createMemoryApi()
      // Act
      const response = await post(api, path, scope, text, { 'Content-Type': 'application/json' })
      // Assess
      const error = await errorOf(response)
      if (path === '/v1/results' && text === '') {
        expect(response.status).toBe(422) // an empty upload is a missing result, named as the body
        expect(error).toEqual({ code: 'validation', message: 'body is empty', field: 'body' })
        return
      }
      expect(response.status).toBe(400)
      expect(error.code).toBe('bad-json')
      expect(error.field).toBe('body')
      expect(error.message).toMatch(text === '' ? /empty/ : /JSON/)
    })

    it.each([
      ['application/xml', { 'Content-Type': 'application/xml' }],
      ['form data', { 'Content-Type': 'application/x-www-form-urlencoded' }],
      ['text/plain where only JSON is taken', { 'Content-Type': 'text/plain' }],
    ])('the wrong media type: %s', async (name, headers) => {
      // Prepare
      const api = await createMemoryApi()
      // Act
      const response = await post(api, path, scope, JSON.stringify(body()), headers)
      // Assess
      if (path === '/v1/results' && name.startsWith('text/plain')) {
        // text/plain is qperf output there: the bytes are checked as a result, and these are not one
        expect(response.status).toBe(422)
        return
      }
      expect(response.status).toBe(415)
      const error = await errorOf(response)
      expect(error.field).toBe('Content-Type')
      expect(error.message).toMatch(/^Content-Type must be /)
    })

    it('an unknown field', async () => {
      // Prepare
      const api = await createMemoryApi()
      // Act
      const response = await post(api, path, scope, JSON.stringify({ ...body(), colour: 'red' }), {
        'Content-Type': 'application/json',
      })
      // Assess
      expect(response.status).toBe(422)
      expect(await errorOf(response)).toEqual({
        code: 'validation',
        message: "unknown field 'colour'",
        field: 'colour',
      })
    })

    it('an unknown nested field', async () => {
      // Prepare
      const api = await createMemoryApi()
      const withLabel =
        path === '/v1/tokens'
          ? null
          : { ...body(), labels: { ...(body().labels as object), colour: 'red' } }
      // Act
      const response =
        withLabel &&
        (await post(api, path, scope, JSON.stringify(withLabel), {
          'Content-Type': 'application/json',
        }))
      // Assess
      if (!response) return expect(path).toBe('/v1/tokens') // no nested objects there
      expect(response.status).toBe(422)
      const error = await errorOf(response)
      expect(error.field).toBe('labels.colour')
      expect(error.message).toContain("'labels.colour'")
    })

    it('a body above the limit (413, read no further)', async () => {
      // Prepare
      const api = await createMemoryApi({ maxJsonBodyBytes: 1024, directUploadLimitBytes: 1024 })
      // Act
      const response = await post(
        api,
        path,
        scope,
        JSON.stringify({ ...body(), label: 'x'.repeat(4000) }),
        { 'Content-Type': 'application/json' },
      )
      // Assess
      expect(response.status).toBe(413)
      const error = await errorOf(response)
      expect(error.field).toBe('body')
      expect(error.message).toMatch(/1024 bytes/)
    })

    it('oversized headers (431 naming the largest)', async () => {
      // Prepare
      const api = await createMemoryApi({ maxHeaderBytes: 4096 })
      // Act
      const response = await post(api, path, scope, JSON.stringify(body()), {
        'Content-Type': 'application/json',
        'X-Padding': 'a'.repeat(5000),
      })
      // Assess
      expect(response.status).toBe(431)
      expect((await errorOf(response)).field).toBe('x-padding')
    })
  },
)

describe('POST /v1/uploads', () => {
  it('requires labels and says so by name (the document marks them required)', async () => {
    // Prepare
    const api = await createMemoryApi()
    // Act
    const response = await post(
      api,
      '/v1/uploads',
      'collector',
      JSON.stringify({ sha256: 'c'.repeat(64), size_bytes: 10 }),
      { 'Content-Type': 'application/json' },
    )
    const doc = await (await api.app.request('/openapi.json')).json()
    // Assess
    expect(response.status).toBe(422)
    expect(await errorOf(response)).toEqual({
      code: 'validation',
      message: "field 'labels' is required",
      field: 'labels',
    })
    expect(
      doc.paths['/v1/uploads'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(expect.arrayContaining(['labels', 'sha256', 'size_bytes']))
  })
})
