import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryRunCatalog } from '#adapters/memory-run-catalog.ts'
import { createToken, hashToken, tokenRefusal } from '#functions/api/tokens.ts'
import { ensureAdminToken, rotateAdminToken } from '#local/admin-token.ts'

let dir: string | undefined
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

const setup = async () => {
  dir = await mkdtemp(join(tmpdir(), 'netlake-admin-token-'))
  let now = new Date('2026-11-26T10:00:00Z')
  const deps = { catalog: createMemoryRunCatalog(), clock: { now: () => now } }
  return { file: join(dir, 'token'), deps, setNow: (d: Date) => (now = d) }
}
const readToken = async (file: string) => (await readFile(file, 'utf8')).trim()

describe('the local stack admin token', () => {
  it('rotates: the file gets a new admin token (0600) and the old one is refused', async () => {
    // Prepare
    const { file, deps } = await setup()
    await ensureAdminToken(file, deps)
    const old = await readToken(file)

    // Act
    const rotated = await rotateAdminToken(file, deps)
    const fresh = await readToken(file)

    // Assess
    expect(fresh).not.toBe(old)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    const oldRecord = await deps.catalog.getTokenByHash(hashToken(old))
    const newRecord = await deps.catalog.getTokenByHash(hashToken(fresh))
    expect(rotated.revokedId).toBe(oldRecord?.token_id)
    expect(tokenRefusal(oldRecord, deps.clock.now())).toBe('unknown or revoked token')
    expect(tokenRefusal(newRecord, deps.clock.now())).toBeNull()
    expect(newRecord?.scopes).toEqual(['admin'])
  })

  it('is kept at start while valid and re-issued once it has expired', async () => {
    // Prepare
    const { file, deps, setNow } = await setup()
    expect(await ensureAdminToken(file, deps)).toBe('issued')
    const first = await readToken(file)
    const record = await deps.catalog.getTokenByHash(hashToken(first))

    // Act
    const second = await ensureAdminToken(file, deps)
    setNow(new Date(Date.parse(record?.expires_at ?? '') + 1))
    const third = await ensureAdminToken(file, deps)

    // Assess
    expect(record?.expires_at).not.toBeNull()
    expect(second).toBe('kept')
    expect(third).toBe('issued')
    expect(await readToken(file)).not.toBe(first)
  })

  it('replaces a token file that does not hold an admin token of this catalog', async () => {
    // Prepare
    const { file, deps } = await setup()
    const reader = await createToken(deps.catalog, { scopes: ['reader'], now: deps.clock.now() })
    await writeFile(file, reader.token + '\n')

    // Act
    const outcome = await ensureAdminToken(file, deps)

    // Assess
    expect(outcome).toBe('issued')
    const record = await deps.catalog.getTokenByHash(hashToken(await readToken(file)))
    expect(record?.scopes).toEqual(['admin'])
  })
})
