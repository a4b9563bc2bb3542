import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** An error the API answers with `{ error: { code, message, field? } }` and its status. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** The one JSON error shape. */
export function errorBody(code: string, message: string, field?: string) {
  return { error: field === undefined ? { code, message } : { code, message, field } }
}

/** Renders an ApiError (or anything else as a 500 without internals). */
export function renderError(c: Context, error: unknown) {
  if (error instanceof ApiError) {
    for (const [k, v] of Object.entries(error.headers ?? {})) c.header(k, v)
    return c.json(errorBody(error.code, error.message, error.field), error.status)
  }
  return c.json(errorBody('internal', 'internal error; the request id is in the server log'), 500)
}
