import { createHash, randomBytes } from 'node:crypto'
import type { TokenRecord, TokenStore } from '#functions/ports.ts'

export type Scope = TokenRecord['scopes'][number]
export const SCOPES: readonly Scope[] = ['collector', 'reader', 'admin']

/**
 * Lifetime of a token created without `ttl_days`: no token lives for ever, the stack's admin token
 * included (the local stack re-issues its own when it finds it expired; see local/admin-token.ts).
 */
export const DEFAULT_TOKEN_TTL_DAYS = 90

/** A token as listings show it: everything but the hash. */
export type PublicToken = Omit<TokenRecord, 'hash'>

/** Drops the hash, the one field a listing must not show. */
export function publicToken(record: TokenRecord): PublicToken {
  const { hash: _hash, ...rest } = record
  return rest
}

/** Why a token is refused at `now` (unknown, revoked, expired), or null when it is valid. */
export function tokenRefusal(record: TokenRecord | null, now: Date): string | null {
  if (!record) return 'unknown or revoked token'
  if (record.revoked) return 'unknown or revoked token'
  if (record.expires_at && record.expires_at <= now.toISOString())
    return `token expired at ${record.expires_at}`
  return null
}

/** Hash stored in the catalog; the token itself is shown once and never stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/**
 * Creates a random token (`nlk_<id>_<secret>`), stores its hash with the scopes, returns it once.
 * Without `ttlDays` it expires after `DEFAULT_TOKEN_TTL_DAYS`.
 */
export async function createToken(
  catalog: TokenStore,
  options: { scopes: Scope[]; label?: string | null; now: Date; ttlDays?: number | null },
): Promise<{ token: string; record: TokenRecord }> {
  const id = randomBytes(6).toString('hex')
  const token = `nlk_${id}_${randomBytes(24).toString('base64url')}`
  const record: TokenRecord = {
    token_id: id,
    hash: hashToken(token),
    scopes: [...new Set(options.scopes)],
    label: options.label ?? null,
    created_at: options.now.toISOString(),
    expires_at: new Date(
      options.now.getTime() + (options.ttlDays ?? DEFAULT_TOKEN_TTL_DAYS) * 86_400_000,
    ).toISOString(),
    revoked: false,
  }
  await catalog.putToken(record)
  return { token, record }
}

/** What a bearer token grants; `admin` implies every scope. */
export function grants(record: TokenRecord, needed: Scope): boolean {
  return record.scopes.includes('admin') || record.scopes.includes(needed)
}
