import { mkdtempSync, rmSync } from 'node:fs'
import { hostname } from 'node:os'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getWithHost } from '../helpers/host-header.ts'
import { localAllowedHosts } from '#local/allowed-hosts.ts'
import { startLocalStack, type LocalStack } from '#local/stack.ts'

describe('localAllowedHosts', () => {
  it('is the loopback names plus the listen address, or every local name on a wildcard', () => {
    // Act
    const loopback = localAllowedHosts('127.0.0.1')
    const wildcard = localAllowedHosts('0.0.0.0', ['Lab.Example'])

    // Assess
    expect(loopback.sort()).toEqual(['127.0.0.1', '[::1]', 'localhost'])
    expect(wildcard).toEqual(expect.arrayContaining(['localhost', hostname().toLowerCase()]))
    expect(wildcard).toContain('lab.example')
    expect(wildcard).not.toContain('evil.example')
  })
})

describe('the local stack behind a DNS-rebinding page', () => {
  let stack: LocalStack
  const dataDir = mkdtempSync(join(tmpdir(), 'netlake-hosts-'))
  beforeAll(async () => {
    stack = await startLocalStack({ dataDir, port: 0, sampleData: false, log: () => undefined })
  }, 120_000)
  afterAll(async () => {
    await stack?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('refuses Host: evil.example with 421 and serves the loopback names', async () => {
    // Prepare
    const port = new URL(stack.url).port

    // Act
    const evil = await getWithHost(`${stack.url}/v1/datasets`, `evil.example:${port}`)
    const local = await getWithHost(`${stack.url}/v1/datasets`, `localhost:${port}`)

    // Assess
    expect(evil.status).toBe(421)
    expect(JSON.parse(evil.body).error.message).toContain("host 'evil.example'")
    expect(local.status).toBe(200)
  })
})
