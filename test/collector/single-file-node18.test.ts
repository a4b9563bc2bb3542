import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalStack, type LocalStack } from '#local/stack.ts'
import { canRun } from '../helpers/requires.ts'
import { freePort, jsonLines, waitForListen, type CliResult } from '../helpers/run-cli.ts'

const root = new URL('../../', import.meta.url).pathname
const BUNDLE = join(root, 'dist/netlake-collector.mjs')
/**
 * Node 18 lives outside package.json (a `node` bin in node_modules/.bin would shadow Node 20 for
 * every npm script): .ci/run unpacks the npm package node-linux-<arch>@18.20.8 into .cache/node18/
 * and exports NETLAKE_NODE18; `.ci/run` lists the same commands to prepare it by hand.
 */
const NODE18 = process.env.NETLAKE_NODE18 || join(root, '.cache/node18/package/bin/node')
const ready = canRun('test/collector/single-file-node18.test.ts', { programs: [NODE18, 'iperf3'] })

describe.skipIf(!ready)('the single-file collector on Node 18, alone in an empty folder', () => {
  let stack: LocalStack
  let token: string
  let iperf3: ChildProcess | undefined
  let iperf3Port: number
  const dataDir = mkdtempSync(join(tmpdir(), 'netlake-node18-stack-'))
  const vm = mkdtempSync(join(tmpdir(), 'netlake-node18-vm-'))

  /** `node18 netlake-collector.mjs ...` in the empty folder with a bare environment. */
  function collector(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(NODE18, ['netlake-collector.mjs', ...args], {
        cwd: vm,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: vm, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (c) => (stdout += c))
      child.stderr.on('data', (c) => (stderr += c))
      child.on('error', reject)
      child.on('close', (code) => resolve({ code, stdout, stderr }))
    })
  }
  const runsOf = async (campaign: string) =>
    (
      await (
        await fetch(`${stack.url}/v1/runs?campaign=${campaign}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()
    ).runs as Array<Record<string, any>>

  beforeAll(async () => {
    stack = await startLocalStack({ dataDir, port: 0, sampleData: false, log: () => undefined })
    token = readFileSync(stack.tokenFile, 'utf8').trim()
    copyFileSync(BUNDLE, join(vm, 'netlake-collector.mjs'))
    iperf3Port = await freePort()
    iperf3 = spawn('iperf3', ['-s', '-B', '127.0.0.1', '-p', String(iperf3Port)], {
      stdio: 'ignore',
    })
    await waitForListen(iperf3Port)
  }, 120_000)
  afterAll(async () => {
    iperf3?.kill()
    await stack?.close()
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(vm, { recursive: true, force: true })
  })

  it('runs under Node 18 itself and prints its version', async () => {
    // Act
    const runtime = execFileSync(NODE18, ['-p', 'process.versions.node'], { encoding: 'utf8' })
    const res = await collector(['--version'])
    // Assess
    expect(runtime.trim().split('.')[0]).toBe('18')
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version
    expect(res).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
  })

  it('push --recursive --labels-from-path uploads a campaign folder', async () => {
    // Prepare
    const rel = 'results/n18/r3/os-s3/iperf3.json'
    mkdirSync(join(vm, rel, '..'), { recursive: true })
    copyFileSync(join(root, 'test/fixtures/lab/os-s3/iperf3.json'), join(vm, rel))
    const source = JSON.parse(readFileSync(join(vm, rel), 'utf8'))
    // Act
    const res = await collector([
      'push',
      'results',
      '-r',
      '--labels-from-path',
      '{campaign}/r{repetition}/{scenario}/',
      '--label',
      'platform=openstack',
      '--api',
      stack.url,
      '--token',
      token,
      '--json',
    ])
    await stack.idle()
    // Assess
    expect(res.code, res.stderr).toBe(0)
    expect(jsonLines(res.stdout).find((e) => e.event === 'path-labels')?.labels).toEqual({
      campaign: 'n18',
      repetition: '3',
      scenario: 'os-s3',
    })
    const runs = await runsOf('n18')
    expect(runs.map((r) => [r.scenario, r.repetition, r.throughput_bps])).toEqual([
      ['os-s3', 3, source.end.sum_received.bits_per_second],
    ])
  }, 60_000)

  it('collect measures a real iperf3 on loopback and reaches the stack through its data dir', async () => {
    // Act
    const res = await collector(
      [
        'collect',
        '--target',
        '127.0.0.1',
        '--scenario',
        'baseline',
        '--tool',
        'iperf3',
        '--duration',
        '1',
        '--iperf3-port',
        String(iperf3Port),
        '--label',
        'campaign=n18-collect',
        '--json',
      ],
      { NETLAKE_DATA_DIR: dataDir },
    )
    await stack.idle()
    // Assess
    expect(res.code, res.stderr).toBe(0)
    const events = jsonLines(res.stdout)
    const done = events.find((e) => e.event === 'run-done')!
    expect(done).toMatchObject({ ok: true, tool: 'iperf3', scenario: 'baseline' })
    expect(events.find((e) => e.event === 'summary')).toMatchObject({
      uploaded: 1,
      spooled: 0,
      failed: 0,
    })
    const runs = await runsOf('n18-collect')
    expect(runs).toHaveLength(1)
    expect(done.measured).toEqual([
      { test: 'tcp', metric: 'throughput_bps', value: runs[0].throughput_bps },
    ])
  }, 60_000)
})
