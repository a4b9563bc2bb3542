import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { NetlakeError } from '#core/errors.ts'
import { UnreadableFileError } from '#functions/lake/parquet-problem.ts'

export interface ApiErrorOptions {
  /** The request field, query parameter or header at fault (`labels.mtu`, `cursor`, `Content-Type`). */
  field?: string
  /** Headers to send with the error (`WWW-Authenticate`, `Retry-After`). */
  headers?: Record<string, string>
  /** The error behind this one, kept for logs; never sent to the client. */
  cause?: unknown
}

/** An error the API answers with `{ error: { code, message, field? } }` and its status. */
export class ApiError extends NetlakeError {
  readonly field?: string
  readonly headers?: Record<string, string>

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    options: ApiErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.field = options.field
    this.headers = options.headers
  }
}

/** The one JSON error shape. */
export function errorBody(code: string, message: string, field?: string) {
  return { error: field === undefined ? { code, message } : { code, message, field } }
}

/**
 * The errors Hono and @hono/zod-openapi raise themselves, as ApiErrors naming the part of the
 * request at fault (their own messages do not); a curated file that cannot be read, as a 500 naming
 * it (`unreadable-file`). Anything else stays unknown (a 500 without internals).
 */
export function asApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error
  if (error instanceof UnreadableFileError)
    return new ApiError(
      500,
      'unreadable-file',
      `the lake file ${error.message}; netlake doctor lists it and netlake compact moves it aside`,
      { cause: error },
    )
  if (!(error instanceof HTTPException)) return null
  if (error.status === 415) {
    return new ApiError(
      415,
      'unsupported-media-type',
      `Content-Type is not accepted here (${error.message})`,
      { field: 'Content-Type', cause: error },
    )
  }
  if (error.status === 400 && /json/i.test(error.message)) {
    return new ApiError(400, 'bad-json', 'body is not valid JSON', { field: 'body', cause: error })
  }
  const status = (
    error.status >= 400 && error.status < 500 ? error.status : 500
  ) as ContentfulStatusCode
  return status === 500
    ? null
    : new ApiError(status, 'bad-request', error.message || 'bad request', { cause: error })
}

/** Renders an ApiError (or anything else as a 500 without internals). */
export function renderError(c: Context, error: unknown) {
  const known = asApiError(error)
  if (known) {
    for (const [k, v] of Object.entries(known.headers ?? {})) c.header(k, v)
    return c.json(errorBody(known.code, known.message, known.field), known.status)
  }
  return c.json(errorBody('internal', 'internal error; the request id is in the server log'), 500)
}
