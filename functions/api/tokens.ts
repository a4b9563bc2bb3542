import { createHash, randomBytes } from 'node:crypto'
import type { TokenRecord, TokenStore } from '#functions/ports.ts'

export type Scope = TokenRecord['scopes'][number]
export const SCOPES: readonly Scope[] = ['collector', 'reader', 'admin']

/** Hash stored in the catalog; the token itself is shown once and never stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Creates a random token (`nlk_<id>_<secret>`), stores its hash with the scopes, returns it once. */
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
    expires_at: options.ttlDays
      ? new Date(options.now.getTime() + options.ttlDays * 86_400_000).toISOString()
      : null,
    revoked: false,
  }
  await catalog.putToken(record)
  return { token, record }
}

/** What a bearer token grants; `admin` implies every scope. */
export function grants(record: TokenRecord, needed: Scope): boolean {
  return record.scopes.includes('admin') || record.scopes.includes(needed)
}
