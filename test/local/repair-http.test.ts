import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalStack } from '#local/stack.ts'
import type { LocalStack } from '#local/stack.ts'
import { readParquetRows } from '#adapters/parquet-writer.ts'
import { fixtureBytes, variantOf } from '../helpers/memory-lake.ts'

describe('relabel, delete and the audit log over real HTTP (s3rver, dynalite)', () => {
  let stack: LocalStack
  let admin: string
  let collector: string
  let reader: string
  const uploads: Array<{ raw_sha256: string; run_ids: string[] }> = []
  const dataDir = mkdtempSync(join(tmpdir(), 'netlake-repair-'))
  const call = (method: string, path: string, token: string | null, body?: unknown) =>
    fetch(`${stack.url}${path}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  const upload = (bytes: Uint8Array, query: string) =>
    fetch(`${stack.url}/v1/results?${query}`, {
      method: 'POST',
      body: new Uint8Array(bytes),
      headers: { Authorization: `Bearer ${collector}`, 'Content-Type': 'application/json' },
    })
  /** Every `runs` row the dataset manifest lists, read from the served Parquet. */
  const manifestRuns = async () => {
    const manifest = await (await call('GET', '/v1/datasets', admin)).json()
    const rows: Record<string, unknown>[] = []
    for (const file of manifest.tables.runs) {
      const bytes = new Uint8Array(await (await fetch(`${stack.url}${file.url}`)).arrayBuffer())
      rows.push(...(await readParquetRows(bytes)))
    }
    return rows
  }
  const LABELS = 'platform=openstack&scenario=os-s1&campaign=c1&mtu=1450'

  beforeAll(async () => {
    stack = await startLocalStack({ dataDir, port: 0, sampleData: false, log: () => undefined })
    admin = readFileSync(stack.tokenFile, 'utf8').trim()
    const token = async (scope: string) =>
      (await (await call('POST', '/v1/tokens', admin, { scopes: [scope] })).json()).token as string
    collector = await token('collector')
    reader = await token('reader')
    const source = fixtureBytes('lab/os-s1/iperf3.json')
    for (let n = 0; n < 3; n++)
      uploads.push(await (await upload(variantOf(source, n), LABELS)).json())
    await stack.idle()
    await stack.compactNow() // the rows sit in one compacted file, which a relabel must rewrite
  }, 120_000)
  afterAll(async () => {
    await stack?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('PATCH moves one run to its new scenario in the catalog and the Parquet, with no duplicate', async () => {
    // Prepare
    const target = uploads[0]
    // Act
    const patched = await call('PATCH', `/v1/raw/${target.raw_sha256}/labels`, collector, {
      set: { scenario: 'os-s3' },
      unset: ['campaign'],
    })
    // Assess
    expect(patched.status).toBe(200)
    expect(await patched.json()).toMatchObject({
      labels_version: 2,
      run_ids: target.run_ids,
      labels: { scenario: 'os-s3', platform: 'openstack', mtu: 1450 },
    })
    const s1 = await (await call('GET', '/v1/runs?scenario=os-s1', admin)).json()
    const s3 = await (await call('GET', '/v1/runs?scenario=os-s3', admin)).json()
    const noCampaign = await (await call('GET', '/v1/runs?campaign=', admin)).json()
    expect(s1.runs.map((r: { run_id: string }) => r.run_id)).not.toContain(target.run_ids[0])
    expect(s1.runs.length).toBe(2)
    expect(s3.runs.map((r: { run_id: string }) => r.run_id)).toEqual(target.run_ids)
    expect(noCampaign.runs.map((r: { run_id: string }) => r.run_id)).toEqual(target.run_ids)
    const rows = await manifestRuns()
    expect(rows.map((r) => r.run_id).sort()).toEqual(uploads.flatMap((u) => u.run_ids).sort())
    expect(rows.find((r) => r.run_id === target.run_ids[0])?.scenario).toBe('os-s3')
  })

  it('refuses a reader token, an unknown sha, an unknown label and an unknown platform, by name', async () => {
    // Prepare
    const sha = uploads[1].raw_sha256
    // Act
    const asReader = await call('PATCH', `/v1/raw/${sha}/labels`, reader, { set: { mtu: 9000 } })
    const unknownSha = await call('PATCH', `/v1/raw/${'0'.repeat(64)}/labels`, collector, {
      set: { mtu: 9000 },
    })
    const badLabel = await call('PATCH', `/v1/raw/${sha}/labels`, collector, { set: { mut: 9000 } })
    const badPlatform = await call('PATCH', `/v1/raw/${sha}/labels`, collector, {
      set: { platform: 'openstak' },
    })
    const badBody = await call('PATCH', `/v1/raw/${sha}/labels`, collector, { sett: {} })
    // Assess
    expect(asReader.status).toBe(403)
    expect(unknownSha.status).toBe(404)
    expect(badLabel.status).toBe(422)
    expect((await badLabel.json()).error.field).toBe('labels.mut')
    expect(badPlatform.status).toBe(422)
    expect((await badPlatform.json()).error.message).toContain('openstack')
    expect(badBody.status).toBe(422)
    expect((await call('GET', `/v1/runs/${uploads[1].run_ids[0]}`, admin)).status).toBe(200)
  })

  it('a re-push with the old labels is 409 naming the relabel command', async () => {
    // Act
    const again = await upload(variantOf(fixtureBytes('lab/os-s1/iperf3.json'), 0), LABELS)
    // Assess
    expect(again.status).toBe(409)
    const message = (await again.json()).error.message as string
    expect(message).toContain(
      `netlake relabel ${uploads[0].raw_sha256} --label campaign=c1 --label scenario=os-s1`,
    )
  })

  it('DELETE (admin only) removes the runs from the catalog and the Parquet; the audit log lists both changes', async () => {
    // Prepare
    const target = uploads[2]
    // Act
    const asCollector = await call('DELETE', `/v1/raw/${target.raw_sha256}`, collector)
    const deleted = await call('DELETE', `/v1/raw/${target.raw_sha256}`, admin)
    const twice = await call('DELETE', `/v1/raw/${target.raw_sha256}`, admin)
    const audit = await call('GET', '/v1/audit', admin)
    const auditAsCollector = await call('GET', '/v1/audit', collector)
    // Assess
    expect(asCollector.status).toBe(403)
    expect(deleted.status).toBe(200)
    expect(await deleted.json()).toMatchObject({ run_ids: target.run_ids, purged: false })
    expect(twice.status).toBe(404)
    expect((await call('GET', `/v1/runs/${target.run_ids[0]}`, admin)).status).toBe(404)
    const rows = await manifestRuns()
    expect(rows.map((r) => r.run_id).sort()).toEqual(
      [...uploads[0].run_ids, ...uploads[1].run_ids].sort(),
    )
    expect(auditAsCollector.status).toBe(403)
    const items = (await audit.json()).items
    expect(
      items.map((i: { action: string; raw_sha256: string }) => [i.action, i.raw_sha256]),
    ).toEqual([
      ['relabel', uploads[0].raw_sha256],
      ['delete', target.raw_sha256],
    ])
    expect(items[1].by).toMatch(/^token:/)
  })

  it('documents the three operations with their error statuses in /openapi.json', async () => {
    // Act
    const doc = await (await fetch(`${stack.url}/openapi.json`)).json()
    // Assess
    const patch = doc.paths['/v1/raw/{sha256}/labels'].patch
    const del = doc.paths['/v1/raw/{sha256}'].delete
    const audit = doc.paths['/v1/audit'].get
    expect([patch.operationId, del.operationId, audit.operationId]).toEqual([
      'relabelRaw',
      'deleteRaw',
      'listAudit',
    ])
    for (const code of ['200', '401', '403', '404', '409', '422'])
      expect(Object.keys(patch.responses)).toContain(code)
    for (const code of ['200', '403', '404']) expect(Object.keys(del.responses)).toContain(code)
  })
})
