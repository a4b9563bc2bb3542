import type { Context, MiddlewareHandler } from 'hono'
import { ApiErrorSchema } from '#schemas/api.ts'
import { ApiError, errorBody } from './errors.ts'
import { readBody } from './read-body.ts'

/**
 * What every route shares in the contract: the error responses it documents, the security it
 * states, how validation failures name the field, and the request checks made before any route
 * runs (header size, JSON bodies). One place, so the document and the behaviour cannot drift.
 */

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'malformed request: body is not JSON, a query parameter given twice, or a cursor or filter this API did not issue',
  401: 'missing, malformed, unknown, revoked or expired token',
  403: 'the token lacks the scope this operation needs',
  404: 'not found',
  409: 'conflict',
  413: 'body too large',
  415: 'unsupported Content-Type',
  416: 'range not satisfiable',
  421: 'the Host header names a host this API does not serve (DNS rebinding guard)',
  422: 'a field, query parameter or label fails validation (named in `error.field`)',
  429: 'the token exceeded its request rate; see Retry-After',
  431: 'request headers too large (the largest is named in `error.field`)',
  500: 'internal error (details in the server log, never in the answer)',
  503: 'not ready',
}

type ErrorResponses = Record<
  number,
  { description: string; content: { 'application/json': { schema: typeof ApiErrorSchema } } }
>

/** Documented error responses with the one error schema; `descriptions` overrides the generic text. */
export function errorResponses(
  codes: number[],
  descriptions: Record<number, string> = {},
): ErrorResponses {
  const out: ErrorResponses = {}
  for (const code of [...new Set([...codes, 400, 421, 431, 500])].sort((a, b) => a - b)) {
    out[code] = {
      description: descriptions[code] ?? ERROR_DESCRIPTIONS[code] ?? 'error',
      content: { 'application/json': { schema: ApiErrorSchema } },
    }
  }
  return out
}

/** The statuses a token adds to an operation. */
export const TOKEN_ERRORS = [401, 403, 429]

/**
 * The security an operation states. Reads are anonymous from loopback when the option is on (the
 * local stack), which the document says by allowing the empty requirement beside the bearer token.
 */
export function securityFor(
  scope: 'reader' | 'collector' | 'admin',
  anonymousLoopbackReads: boolean,
): Array<Record<string, string[]>> {
  return scope === 'reader' && anonymousLoopbackReads ? [{ bearer: [] }, {}] : [{ bearer: [] }]
}

/** A note for an operation's description saying who may call it. */
export function accessNote(
  scope: 'reader' | 'collector' | 'admin',
  anonymousLoopbackReads: boolean,
): string {
  const token = `Needs a token with the ${scope} scope.`
  return scope === 'reader' && anonymousLoopbackReads
    ? `${token} On this server GET requests from a loopback address need no token.`
    : token
}

interface ValidationIssue {
  code: string
  path: PropertyKey[]
  message: string
  keys?: string[]
}

const TARGET_NAMES: Record<string, string> = {
  query: 'query parameter',
  json: 'field',
  param: 'path parameter',
  header: 'header',
}

/** The ApiError for the first zod issue of a request part, naming the field, parameter or header. */
export function validationError(target: string, issues: readonly ValidationIssue[]): ApiError {
  const issue = issues[0]
  const prefix = issue.path.map(String).join('.')
  const kind = TARGET_NAMES[target] ?? 'field'
  if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
    const field = prefix ? `${prefix}.${issue.keys[0]}` : issue.keys[0]
    return new ApiError(422, 'validation', `unknown ${kind} '${field}'`, { field })
  }
  if (!prefix)
    return new ApiError(
      422,
      'validation',
      `${target === 'json' ? 'body' : kind}: ${issue.message}`,
      { field: target === 'json' ? 'body' : undefined },
    )
  // zod leaves the input out of its issues; its message says when there was none.
  const missing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message)
  if (missing)
    return new ApiError(422, 'validation', `${kind} '${prefix}' is required`, { field: prefix })
  const name = String(issue.path[issue.path.length - 1])
  const named = issue.message.startsWith(`${name} `) || issue.message.startsWith(`${prefix} `)
  return new ApiError(422, 'validation', named ? issue.message : `${prefix}: ${issue.message}`, {
    field: prefix,
  })
}

/** The OpenAPIHono `defaultHook`: a failed validation becomes the error document naming the field. */
export function validationHook(
  result: { success: boolean; target?: string; error?: { issues: readonly ValidationIssue[] } },
  c: Context,
) {
  if (result.success || !result.error) return
  const error = validationError(result.target ?? 'json', result.error.issues)
  return c.json(errorBody(error.code, error.message, error.field), 422)
}

/** Sum of header names and values (+ ": " and CRLF), as an HTTP/1.1 server counts them. */
function headerBytes(headers: Headers): { total: number; largest: string | undefined } {
  let total = 0
  let largest: string | undefined
  let largestSize = -1
  headers.forEach((value, name) => {
    const size = name.length + value.length + 4
    total += size
    if (size > largestSize) {
      largestSize = size
      largest = name
    }
  })
  return { total, largest }
}

/**
 * 431 with the error document when the request headers exceed `limit` bytes. Set below Node's own
 * limit (16 KiB by default), which answers 431 without a body; API Gateway has its own limit too.
 */
export function limitHeaders(limit: number): MiddlewareHandler {
  return async (c, next) => {
    const { total, largest } = headerBytes(c.req.raw.headers)
    if (total > limit) {
      throw new ApiError(
        431,
        'headers-too-large',
        `request headers are ${total} bytes, above the limit of ${limit}; the largest is '${largest}'`,
        { field: largest },
      )
    }
    return next()
  }
}

/**
 * A JSON request body, checked before the route's validator: the media type (415 naming
 * Content-Type), the size (413, read at most `limit` bytes), and the syntax (400 naming the body
 * and where it broke). The parsed text is left in Hono's body cache for the zod validator.
 */
export function jsonBody(limit: number): MiddlewareHandler {
  return async (c, next) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase()
    if (type !== 'application/json') {
      throw new ApiError(
        415,
        'unsupported-media-type',
        `Content-Type must be application/json (got '${type || 'none'}')`,
        { field: 'Content-Type' },
      )
    }
    const bytes = await readBody(
      c.req.raw,
      limit,
      (max) => new ApiError(413, 'too-large', `body exceeds ${max} bytes`, { field: 'body' }),
    )
    const text = new TextDecoder().decode(bytes)
    if (text.trim() === '')
      throw new ApiError(400, 'bad-json', 'body is empty; expected a JSON object', {
        field: 'body',
      })
    try {
      JSON.parse(text)
    } catch (error) {
      throw new ApiError(400, 'bad-json', `body is not valid JSON (${(error as Error).message})`, {
        field: 'body',
        cause: error,
      })
    }
    // Hono's body cache holds promises of each body form (its type says methods).
    Object.assign(c.req.bodyCache, { text: Promise.resolve(text) })
    return next()
  }
}
