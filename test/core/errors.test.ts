import { describe, expect, it } from 'vitest'
import { CatalogError, InvalidCursorError, NetlakeError, describeError } from '#core/errors.ts'
import { ApiError } from '#functions/api/errors.ts'

describe('the error hierarchy', () => {
  it('names each error by its class and keeps the cause, the API error included', () => {
    // Act
    const api = new ApiError(400, 'bad-cursor', 'cursor is not base64url', {
      field: 'cursor',
      cause: new InvalidCursorError(),
    })
    // Assess
    expect([api, new InvalidCursorError()].every((e) => e instanceof NetlakeError)).toBe(true)
    expect(api.name).toBe('ApiError')
    expect((api.cause as Error).name).toBe('InvalidCursorError')
    expect(new InvalidCursorError().field).toBe('cursor')
  })

  it('describes an error with every cause below it on one line, each once', () => {
    // Prepare
    const socket = new Error('connect ECONNREFUSED 127.0.0.1:8000')
    const catalog = new CatalogError('put run', { cause: socket })
    // Act
    const line = describeError(new NetlakeError('ingest of raw/x.json failed', { cause: catalog }))
    // Assess
    expect(line).toBe(
      'NetlakeError: ingest of raw/x.json failed <- CatalogError: dynamodb put run failed: connect ECONNREFUSED 127.0.0.1:8000',
    )
    expect(describeError('plain')).toBe('plain')
  })
})
