import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalStack, type LocalStack } from '#local/stack.ts'
import { fixtureBytes, variantOf } from '../helpers/memory-lake.ts'
import { jsonLines, runCli } from '../helpers/run-cli.ts'

describe('netlake relabel, delete, audit and samples remove as processes against a local stack', () => {
  let stack: LocalStack
  let admin: string
  const dataDir = mkdtempSync(join(tmpdir(), 'netlake-cli-repair-'))
  const env = { NETLAKE_API: '', NETLAKE_TOKEN: '', NETLAKE_DATA_DIR: dataDir }
  const runIds: string[] = []
  const get = async (path: string) =>
    (await fetch(`${stack.url}${path}`, { headers: { Authorization: `Bearer ${admin}` } })).json()

  beforeAll(async () => {
    stack = await startLocalStack({ dataDir, port: 0, sampleData: true, log: () => undefined })
    admin = readFileSync(stack.tokenFile, 'utf8').trim()
    for (let n = 0; n < 3; n++) {
      const response = await fetch(
        `${stack.url}/v1/results?platform=openstack&scenario=os-s1&campaign=${n < 2 ? 'c1' : 'c2'}`,
        {
          method: 'POST',
          body: new Uint8Array(variantOf(fixtureBytes('lab/os-s1/iperf3.json'), 100 + n)),
          headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
        },
      )
      runIds.push(...(await response.json()).run_ids)
    }
    await stack.idle()
  }, 120_000)
  afterAll(async () => {
    await stack?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('relabel --where changes exactly the matching runs; a bad target is a usage error (exit 2)', async () => {
    // Act
    const relabelled = await runCli(
      [
        'relabel',
        '--where',
        'scenario=os-s1 AND campaign=c1',
        '--label',
        'scenario=os-s3',
        '--json',
      ],
      env,
    )
    const bad = await runCli(['relabel', 'not-a-sha', '--label', 'mtu=1450'], env)
    const none = await runCli(['relabel', '--where', 'scenario=os-s1'], env)
    // Assess
    expect(relabelled.code, relabelled.stderr).toBe(0)
    expect(jsonLines(relabelled.stdout).map((l) => l.labels.scenario)).toEqual(['os-s3', 'os-s3'])
    const s3 = await get('/v1/runs?scenario=os-s3&campaign=c1')
    expect(s3.runs.map((r: { run_id: string }) => r.run_id).sort()).toEqual(
      runIds.slice(0, 2).sort(),
    )
    expect((await get('/v1/runs?scenario=os-s1&campaign=c2')).runs.length).toBe(1)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("'not-a-sha' is not a sha256")
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('--label')
  })

  it('delete --run removes the run; audit lists every change with who made it', async () => {
    // Act
    const deleted = await runCli(['delete', '--run', runIds[2], '--json'], env)
    const audit = await runCli(['audit', '--json'], env)
    const table = await runCli(['audit'], env)
    // Assess
    expect(deleted.code, deleted.stderr).toBe(0)
    expect(jsonLines(deleted.stdout)[0]).toMatchObject({ run_ids: [runIds[2]], purged: false })
    expect((await fetch(`${stack.url}/v1/runs/${runIds[2]}`)).status).toBe(404)
    expect(audit.code, audit.stderr).toBe(0)
    expect(jsonLines(audit.stdout).map((l) => l.action)).toEqual(['relabel', 'relabel', 'delete'])
    expect(table.stdout).toContain('scenario "os-s1"→"os-s3"')
  })

  it('push of stored bytes with other labels fails naming them; push --relabel applies them', async () => {
    // Prepare: one file stored as os-s2 and ingested
    const dir = mkdtempSync(join(tmpdir(), 'netlake-push-relabel-'))
    const file = join(dir, 'iperf3.json')
    const bytes = variantOf(fixtureBytes('lab/os-s1/iperf3.json'), 200)
    writeFileSync(file, bytes)
    const stored = await fetch(
      `${stack.url}/v1/results?platform=openstack&scenario=os-s2&campaign=c3`,
      {
        method: 'POST',
        body: new Uint8Array(bytes),
        headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      },
    )
    await stack.idle()
    const common = ['--label', 'platform=openstack', '--label', 'campaign=c3']
    const spool = ['--spool', join(dir, 'spool')]
    // Act
    const again = await runCli(
      ['push', file, ...common, '--label', 'scenario=os-s4', ...spool],
      env,
    )
    const relabel = await runCli(
      ['push', file, ...common, '--label', 'scenario=os-s4', '--relabel', ...spool, '--json'],
      env,
    )
    // Assess
    expect(stored.status).toBe(202)
    expect(again.code).toBe(1)
    expect(again.stdout).toContain("scenario stored 'os-s2', offered 'os-s4'")
    expect(again.stdout).toContain('--relabel')
    expect(relabel.code, relabel.stderr).toBe(0)
    const result = jsonLines(relabel.stdout).find((e) => e.event === 'upload-result')
    expect(result).toMatchObject({ state: 'uploaded', relabelled: { labels_version: 2 } })
    const runs = (await get('/v1/runs?campaign=c3')).runs
    expect(runs.map((r: { scenario: string }) => r.scenario)).toEqual(['os-s4'])
    expect(runs[0].raw_sha256).toBe(result!.relabelled.raw_sha256)
    rmSync(dir, { recursive: true, force: true })
  }, 90_000) // two CLI processes on a shared machine

  it('samples remove deletes every sample and nothing else, and the next start does not bring them back', async () => {
    // Prepare
    const before = await get('/v1/runs?campaign=netlake-sample&limit=1000')
    // Act
    const removed = await runCli(['samples', 'remove', '--json'], env)
    // Assess
    expect(before.runs.length).toBe(32)
    expect(removed.code, removed.stderr).toBe(0)
    const shas = new Set(before.runs.map((r: { raw_sha256: string }) => r.raw_sha256))
    expect(jsonLines(removed.stdout).length).toBe(shas.size)
    expect((await get('/v1/runs?campaign=netlake-sample')).runs).toEqual([])
    expect((await get('/v1/runs?scenario=os-s3')).runs.length).toBe(2)
    await stack.close()
    stack = await startLocalStack({ dataDir, port: 0, sampleData: true, log: () => undefined })
    expect(stack.samples).toEqual({ loaded: 0, present: false })
  })
})
