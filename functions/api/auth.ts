import type { MiddlewareHandler } from 'hono'
import type { TokenRecord, TokenStore } from '#functions/ports.ts'
import { ApiError } from './errors.ts'
import type { RateLimiter } from './rate-limit.ts'
import { grants, hashToken, tokenRefusal } from './tokens.ts'
import type { Scope } from './tokens.ts'

export interface AuthOptions {
  catalog: TokenStore
  now: () => Date
  limiter: RateLimiter
  /** Local stack only: GETs from a loopback peer need no token (so the notebook just works). */
  anonymousLoopbackReads: boolean
  /** The peer address when known (Node server); undefined behind API Gateway. */
  remoteAddress: (request: Request, env: unknown) => string | undefined
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/

/** Requires a bearer token granting `scope`; sets `token` on the context (null for anonymous reads). */
export function requireScope(
  scope: Scope,
  options: AuthOptions,
): MiddlewareHandler<{ Variables: { token: TokenRecord | null } }> {
  return async (c, next) => {
    const header = c.req.header('authorization')
    if (!header) {
      const address = options.remoteAddress(c.req.raw, c.env)
      if (
        scope === 'reader' &&
        options.anonymousLoopbackReads &&
        c.req.method === 'GET' &&
        address &&
        LOOPBACK.test(address)
      ) {
        c.set('token', null)
        return next()
      }
      throw new ApiError(401, 'unauthorized', 'missing Authorization: Bearer <token>', {
        headers: { 'WWW-Authenticate': 'Bearer' },
      })
    }
    const match = /^Bearer ([A-Za-z0-9_\-.~+/=]{10,200})$/.exec(header)
    if (!match)
      throw new ApiError(
        401,
        'unauthorized',
        'malformed Authorization header; expected Bearer <token>',
        { headers: { 'WWW-Authenticate': 'Bearer' } },
      )
    const record = await options.catalog.getTokenByHash(hashToken(match[1]))
    const refusal = tokenRefusal(record, options.now())
    if (!record || refusal)
      throw new ApiError(401, 'unauthorized', refusal ?? 'unknown or revoked token', {
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      })
    if (!grants(record, scope))
      throw new ApiError(
        403,
        'forbidden',
        `token lacks the '${scope}' scope (has: ${record.scopes.join(', ')})`,
      )
    const wait = options.limiter.take(record.token_id)
    if (wait > 0)
      throw new ApiError(
        429,
        'rate-limited',
        `token ${record.token_id} exceeded its request rate; retry in ${wait} s`,
        { headers: { 'Retry-After': String(wait) } },
      )
    c.set('token', record)
    return next()
  }
}
