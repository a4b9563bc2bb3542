import { chmod, readFile, rename, writeFile } from 'node:fs/promises'
import type { Clock, TokenStore } from '#functions/ports.ts'
import { createToken, hashToken, tokenRefusal } from '#functions/api/tokens.ts'

/** The token file's one line, or null when the file is missing or empty. */
async function readTokenFile(tokenFile: string): Promise<string | null> {
  try {
    return (await readFile(tokenFile, 'utf8')).trim() || null
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/** Writes the token with mode 0600 through a temporary file, so a reader never sees half a token. */
async function writeTokenFile(tokenFile: string, token: string): Promise<void> {
  const temporary = `${tokenFile}.${process.pid}.tmp`
  await writeFile(temporary, token + '\n', { mode: 0o600 })
  await chmod(temporary, 0o600)
  await rename(temporary, tokenFile)
}

/**
 * A new admin token written to `tokenFile` (0600); the one the file held before is revoked, so it
 * is refused from now on. Returns the new token's id and the revoked one's (null if none was known).
 */
export async function rotateAdminToken(
  tokenFile: string,
  deps: { catalog: TokenStore; clock: Clock },
): Promise<{ tokenId: string; expiresAt: string | null; revokedId: string | null }> {
  const previous = await readTokenFile(tokenFile)
  const { token, record } = await createToken(deps.catalog, {
    scopes: ['admin'],
    label: 'local stack admin',
    now: deps.clock.now(),
  })
  await writeTokenFile(tokenFile, token)
  const old = previous ? await deps.catalog.getTokenByHash(hashToken(previous)) : null
  if (old && !old.revoked) await deps.catalog.revokeToken(old.token_id)
  return {
    tokenId: record.token_id,
    expiresAt: record.expires_at,
    revokedId: old?.token_id ?? null,
  }
}

/**
 * At start: keeps `<data dir>/token` when it holds a valid admin token, else issues a new one
 * (first start, or the stored one expired, was revoked or is unknown to this catalog).
 */
export async function ensureAdminToken(
  tokenFile: string,
  deps: { catalog: TokenStore; clock: Clock },
): Promise<'kept' | 'issued'> {
  const current = await readTokenFile(tokenFile)
  if (current) {
    const record = await deps.catalog.getTokenByHash(hashToken(current))
    if (!tokenRefusal(record, deps.clock.now()) && record?.scopes.includes('admin')) return 'kept'
  }
  await rotateAdminToken(tokenFile, deps)
  return 'issued'
}
