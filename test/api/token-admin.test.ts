import { describe, expect, it } from 'vitest'
import { DEFAULT_TOKEN_TTL_DAYS } from '#functions/api/tokens.ts'
import { createMemoryApi } from '../helpers/memory-api.ts'

const idOf = (token: string) => token.split('_')[1]
/** The secret after `nlk_<id>_`: base64url, so it may hold `_` itself. */
const secretOf = (token: string) => token.split('_').slice(2).join('_')

describe('GET /v1/tokens and DELETE /v1/tokens/{token_id}', () => {
  it('lists every token without the token or its hash', async () => {
    // Prepare
    const { app, tokens, auth } = await createMemoryApi()

    // Act
    const res = await app.request('/v1/tokens', { headers: auth('admin') })
    const text = await res.text()

    // Assess
    expect(res.status).toBe(200)
    const listed = JSON.parse(text).tokens as Array<Record<string, unknown>>
    expect(listed.map((t) => t.token_id).sort()).toEqual(Object.values(tokens).map(idOf).sort())
    for (const t of listed) expect(Object.keys(t)).not.toContain('hash')
    for (const secret of Object.values(tokens)) expect(text).not.toContain(secretOf(secret))
  })

  it('is admin-only', async () => {
    // Prepare
    const { app, tokens, auth } = await createMemoryApi()

    // Act
    const list = await app.request('/v1/tokens', { headers: auth('reader') })
    const del = await app.request(`/v1/tokens/${idOf(tokens.collector)}`, {
      method: 'DELETE',
      headers: auth('collector'),
    })

    // Assess
    expect(list.status).toBe(403)
    expect(del.status).toBe(403)
  })

  it('revokes a token: the next request with it gets 401, the listing shows it revoked', async () => {
    // Prepare
    const { app, tokens, auth } = await createMemoryApi()
    const before = await app.request('/v1/runs', { headers: auth('reader') })

    // Act
    const res = await app.request(`/v1/tokens/${idOf(tokens.reader)}`, {
      method: 'DELETE',
      headers: auth('admin'),
    })
    const after = await app.request('/v1/runs', { headers: auth('reader') })
    const listed = (await (await app.request('/v1/tokens', { headers: auth('admin') })).json())
      .tokens as Array<{ token_id: string; revoked: boolean }>

    // Assess
    expect(before.status).toBe(200)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ token_id: idOf(tokens.reader), revoked: true })
    expect(after.status).toBe(401)
    expect(listed.find((t) => t.token_id === idOf(tokens.reader))?.revoked).toBe(true)
    expect(listed.find((t) => t.token_id === idOf(tokens.collector))?.revoked).toBe(false)
  })

  it('answers 404 naming the field for an unknown id and 422 for a malformed one', async () => {
    // Prepare
    const { app, auth } = await createMemoryApi()

    // Act
    const unknown = await app.request('/v1/tokens/0123456789ab', {
      method: 'DELETE',
      headers: auth('admin'),
    })
    const malformed = await app.request('/v1/tokens/nope', {
      method: 'DELETE',
      headers: auth('admin'),
    })

    // Assess
    expect(unknown.status).toBe(404)
    expect((await unknown.json()).error.field).toBe('token_id')
    expect(malformed.status).toBe(422)
    expect(JSON.stringify(await malformed.json())).toContain('token_id')
  })

  it('gives a token created without ttl_days the default expiry, after which it is refused', async () => {
    // Prepare
    const { app, auth, setNow } = await createMemoryApi()
    const created = await app.request('/v1/tokens', {
      method: 'POST',
      headers: { ...auth('admin'), 'content-type': 'application/json' },
      body: JSON.stringify({ scopes: ['reader'] }),
    })
    const { token, expires_at } = await created.json()
    const createdAt = new Date('2026-11-26T10:00:00Z').getTime()

    // Act
    setNow(new Date(createdAt + DEFAULT_TOKEN_TTL_DAYS * 86_400_000 - 1000))
    const justBefore = await app.request('/v1/runs', {
      headers: { Authorization: `Bearer ${token}` },
    })
    setNow(new Date(createdAt + DEFAULT_TOKEN_TTL_DAYS * 86_400_000))
    const atExpiry = await app.request('/v1/runs', {
      headers: { Authorization: `Bearer ${token}` },
    })

    // Assess
    expect(expires_at).toBe(new Date(createdAt + DEFAULT_TOKEN_TTL_DAYS * 86_400_000).toISOString())
    expect(justBefore.status).toBe(200)
    expect(atExpiry.status).toBe(401)
    expect((await atExpiry.json()).error.message).toContain('expired')
  })

  it('documents both operations with an operationId and their statuses', async () => {
    // Prepare
    const { app } = await createMemoryApi()

    // Act
    const doc = await (await app.request('/openapi.json')).json()

    // Assess
    expect(doc.paths['/v1/tokens'].get.operationId).toBe('listTokens')
    expect(Object.keys(doc.paths['/v1/tokens'].get.responses)).toEqual(
      expect.arrayContaining(['200', '401', '403', '429']),
    )
    const del = doc.paths['/v1/tokens/{token_id}'].delete
    expect(del.operationId).toBe('revokeToken')
    expect(Object.keys(del.responses)).toEqual(
      expect.arrayContaining(['200', '401', '403', '404', '422', '429']),
    )
  })
})
