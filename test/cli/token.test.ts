import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalStack, type LocalStack } from '#local/stack.ts'
import { jsonLines, runCli } from '../helpers/run-cli.ts'

describe('netlake token list|revoke|rotate-admin on a local stack', () => {
  let stack: LocalStack
  const dataDir = mkdtempSync(join(tmpdir(), 'netlake-cli-token-'))
  const env = { NETLAKE_DATA_DIR: dataDir }
  const get = (token: string) =>
    fetch(`${stack.url}/v1/tokens`, { headers: { Authorization: `Bearer ${token}` } })
  const adminToken = () => readFileSync(join(dataDir, 'token'), 'utf8').trim()

  beforeAll(async () => {
    stack = await startLocalStack({ dataDir, port: 0, sampleData: false, log: () => undefined })
  }, 120_000)
  afterAll(async () => {
    await stack?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('creates, lists (no secrets) and revokes a token; the revoked one gets 401', async () => {
    // Prepare
    const created = await runCli(['token', 'create', '--scope', 'reader', '--json'], env)
    const { token, token_id } = JSON.parse(created.stdout)
    const before = await get(token)

    // Act
    const listed = await runCli(['token', 'list', '--json'], env)
    const revoked = await runCli(['token', 'revoke', token_id, '--json'], env)
    const after = await get(token)
    const again = await runCli(['token', 'list', '--json'], env)

    // Assess
    expect(created.code).toBe(0)
    expect(before.status).toBe(403) // a reader token is valid, but listing needs admin
    expect(listed.code).toBe(0)
    // the secret after `nlk_<id>_` is base64url, so it may hold `_` itself
    expect(listed.stdout).not.toContain(token.split('_').slice(2).join('_'))
    expect(jsonLines(listed.stdout).find((t) => t.token_id === token_id)).toMatchObject({
      scopes: ['reader'],
      revoked: false,
    })
    expect(revoked.code).toBe(0)
    expect(after.status).toBe(401)
    expect(jsonLines(again.stdout).find((t) => t.token_id === token_id)?.revoked).toBe(true)
  }, 60_000)

  it('refuses an unknown or malformed id', async () => {
    // Act
    const unknown = await runCli(['token', 'revoke', '0123456789ab'], env)
    const malformed = await runCli(['token', 'revoke', 'x'], env)

    // Assess
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('no token 0123456789ab')
    expect(malformed.code).toBe(2)
    expect(malformed.stderr).toContain('TOKEN_ID')
  }, 60_000)

  it('rotate-admin writes a new admin token to the data dir and the old one is refused', async () => {
    // Prepare
    const old = adminToken()
    expect((await get(old)).status).toBe(200)

    // Act
    const rotated = await runCli(['token', 'rotate-admin', '--json'], env)
    const fresh = adminToken()

    // Assess
    expect(rotated.code).toBe(0)
    expect(JSON.parse(rotated.stdout).revoked_id).toBe(old.split('_')[1])
    expect(fresh).not.toBe(old)
    expect((await get(old)).status).toBe(401)
    expect((await get(fresh)).status).toBe(200)
  }, 60_000)
})
