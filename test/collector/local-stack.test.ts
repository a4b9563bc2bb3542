import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, jsonLines, runCli, waitForListen } from '../helpers/run-cli.ts'
import { canRun } from '../helpers/requires.ts'

const ready = canRun('test/collector/local-stack.test.ts', { programs: ['iperf3', 'qperf'] })

/**
 * The collector against the real local stack (`netlake start`, embedded S3 + DynamoDB), not the
 * test double: the token comes from the stack's data dir, the same way a user's would.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
let dataDir: string
let url: string
let stack: ChildProcess
const servers: ChildProcess[] = []
let iperf3Port: number
let qperfPort: number

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'nlk-stack-'))
  const port = await freePort()
  url = `http://127.0.0.1:${port}`
  stack = spawn(
    process.execPath,
    ['bin/netlake.js', 'start', '--data-dir', dataDir, '--port', String(port), '--no-sample-data'],
    { cwd: ROOT, stdio: 'ignore' },
  )
  iperf3Port = await freePort()
  qperfPort = await freePort()
  servers.push(
    spawn('iperf3', ['-s', '-B', '127.0.0.1', '-p', String(iperf3Port)], { stdio: 'ignore' }),
  )
  servers.push(spawn('qperf', ['-lp', String(qperfPort)], { stdio: 'ignore' }))
  for (let i = 0; i < 240; i++) {
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) {
      await Promise.all([waitForListen(iperf3Port), waitForListen(qperfPort)])
      return
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error('local stack did not come up within 60 s')
}, 90_000)

afterAll(async () => {
  for (const s of servers) s.kill('SIGTERM')
  if (stack && stack.exitCode === null) {
    const exited = new Promise((r) => stack.once('exit', r))
    stack.kill('SIGINT')
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
  }
  await rm(dataDir, { recursive: true, force: true })
})

const env = () => ({
  NETLAKE_API: url,
  NETLAKE_DATA_DIR: dataDir,
  NETLAKE_SPOOL: join(dataDir, 'collector-spool'),
  NETLAKE_TOKEN: '',
})

async function runsOf(campaign: string, want: number): Promise<Array<Record<string, any>>> {
  const token = (await readFile(join(dataDir, 'token'), 'utf8')).trim()
  let runs: Array<Record<string, any>> = []
  for (let i = 0; i < 80 && runs.length < want; i++) {
    const res = await fetch(`${url}/v1/runs?campaign=${campaign}`, {
      headers: { authorization: `Bearer ${token}` },
    })
    runs = ((await res.json()) as { runs: Array<Record<string, any>> }).runs ?? []
    if (runs.length < want) await new Promise((r) => setTimeout(r, 250))
  }
  return runs
}

describe.skipIf(!ready)('collector → real local stack', () => {
  it('collect uploads real iperf3 and qperf results that ingest into runs with the labels', async () => {
    // Act
    const res = await runCli(
      [
        'collect',
        '--scenario',
        'baseline=127.0.0.1',
        '--duration',
        '1',
        '--label',
        'campaign=e2e-collect',
        '--label',
        'link_mtu=1500',
        '--iperf3-port',
        String(iperf3Port),
        '--qperf-port',
        String(qperfPort),
        '--json',
      ],
      env(),
    )

    // Assess
    expect(res.code, res.stderr + res.stdout).toBe(0)
    expect(jsonLines(res.stdout).at(-1)).toMatchObject({
      event: 'summary',
      uploaded: 2,
      failed: 0,
      spooled: 0,
    })
    const runs = await runsOf('e2e-collect', 3)
    expect(runs.map((r) => `${r.tool}:${r.test}`).sort()).toEqual([
      'iperf3:tcp',
      'qperf:tcp_bw',
      'qperf:tcp_lat',
    ])
    for (const run of runs)
      expect(run).toMatchObject({
        platform: 'baremetal',
        scenario: 'baseline',
        campaign: 'e2e-collect',
        link_mtu: 1500,
        status: 'ok',
      })
  }, 60_000)

  it('push of the same file twice stores it once (second answer is a duplicate)', async () => {
    // Prepare
    const file = 'test/fixtures/lab/os-s2a/iperf3.json'
    const args = [
      'push',
      file,
      '--label',
      'platform=openstack',
      '--label',
      'scenario=os-s2a',
      '--label',
      'campaign=e2e-push',
      '--json',
    ]

    // Act
    const first = await runCli(args, env())
    const second = await runCli(args, env())

    // Assess
    expect(first.code, first.stderr).toBe(0)
    expect(jsonLines(first.stdout).find((e) => e.event === 'upload-result')).toMatchObject({
      status: 202,
      accepted: { duplicate: false },
    })
    expect(jsonLines(second.stdout).find((e) => e.event === 'upload-result')).toMatchObject({
      status: 200,
      accepted: { duplicate: true },
    })
    expect(await runsOf('e2e-push', 1)).toHaveLength(1)
  }, 60_000)
})
