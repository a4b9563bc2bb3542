import { spawn, type ChildProcess } from 'node:child_process'
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalStack, type LocalStack } from '#local/stack.ts'
import { freePort, jsonLines, waitForListen, type CliResult } from '../helpers/run-cli.ts'

const root = new URL('../../', import.meta.url).pathname
const BUNDLE = join(root, 'dist/netlake-collector.mjs')

describe('the edge collector as one file, copied alone into an empty folder', () => {
  let stack: LocalStack
  let token: string
  let iperf3: ChildProcess | undefined
  let iperf3Port: number
  const dataDir = mkdtempSync(join(tmpdir(), 'netlake-collector-stack-'))
  const vm = mkdtempSync(join(tmpdir(), 'netlake-collector-vm-'))

  /** `node netlake-collector.mjs ...` in the empty folder, with a bare environment (no repository, no NETLAKE_*). */
  function collector(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['netlake-collector.mjs', ...args], {
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

  it('is one file of at most 2 MB that imports nothing but Node built-ins', () => {
    // Act
    const text = readFileSync(BUNDLE, 'utf8')
    const imports = [...text.matchAll(/(?:from|import)\s*"([^"]+)"/g)].map((m) => m[1])
    // Assess
    expect(statSync(BUNDLE).size).toBeLessThanOrEqual(2 * 1024 * 1024)
    expect(imports.length).toBeGreaterThan(0)
    expect(imports.filter((s) => !s.startsWith('node:'))).toEqual([])
    expect(readdirSync(vm)).toEqual(['netlake-collector.mjs'])
  })

  it('prints its version and usage', async () => {
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version
    expect(await collector(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
    expect((await collector(['push', '--help'])).stdout).toMatch(/^usage: netlake push FILE/)
  })

  it('push uploads a file to the API given with --api and --token, as from a test VM', async () => {
    // Prepare
    copyFileSync(join(root, 'test/fixtures/lab/os-s3/iperf3.json'), join(vm, 'result.json'))
    const source = JSON.parse(readFileSync(join(vm, 'result.json'), 'utf8'))
    // Act
    const res = await collector([
      'push',
      'result.json',
      '--api',
      stack.url,
      '--token',
      token,
      '--label',
      'platform=openstack',
      '--label',
      'scenario=os-s3',
      '--label',
      'campaign=vm-push',
      '--json',
    ])
    await stack.idle()
    // Assess
    expect(res.code, res.stderr).toBe(0)
    expect(jsonLines(res.stdout).find((e) => e.event === 'summary')).toMatchObject({
      uploaded: 1,
      spooled: 0,
      failed: 0,
    })
    const runs = await runsOf('vm-push')
    expect(runs.map((r) => [r.scenario, r.throughput_bps])).toEqual([
      ['os-s3', source.end.sum_received.bits_per_second],
    ])
  })

  it('push --recursive --labels-from-path uploads a campaign folder with the labels its paths give', async () => {
    // Prepare: results/<campaign>/r<repetition>/<scenario>/iperf3.json, as a campaign leaves them
    const tree = {
      'results/vm-tree/r1/os-s1/iperf3.json': 'test/fixtures/lab/os-s1/iperf3.json',
      'results/vm-tree/r2/os-s2a/iperf3.json': 'test/fixtures/lab/os-s2a/iperf3.json',
    }
    for (const [rel, fixture] of Object.entries(tree)) {
      mkdirSync(join(vm, rel, '..'), { recursive: true })
      copyFileSync(join(root, fixture), join(vm, rel))
    }
    const rate = (fixture: string) =>
      JSON.parse(readFileSync(join(root, fixture), 'utf8')).end.sum_received.bits_per_second
    // Act
    const res = await collector([
      'push',
      'results',
      '--recursive',
      '--labels-from-path',
      '{campaign}/r{repetition}/{scenario}/',
      '--label',
      'platform=openstack',
      '--api',
      stack.url,
      '--token',
      token,
    ])
    await stack.idle()
    // Assess
    expect(res.code, res.stderr).toBe(0)
    expect(res.stderr).toContain(
      'labels results/vm-tree/r2/os-s2a/iperf3.json: campaign=vm-tree repetition=2 scenario=os-s2a',
    )
    const runs = await runsOf('vm-tree')
    expect(
      runs
        .map((r) => [r.scenario, r.repetition, r.throughput_bps])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      ['os-s1', 1, rate(tree['results/vm-tree/r1/os-s1/iperf3.json'])],
      ['os-s2a', 2, rate(tree['results/vm-tree/r2/os-s2a/iperf3.json'])],
    ])
  }, 60_000)

  it('collect runs a real iperf3 on loopback, prints what it measured and reaches the stack found through its data dir', async () => {
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
        'campaign=vm-collect',
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
    expect(events.find((e) => e.event === 'upload-start')?.api).toBe(stack.url)
    expect(events.find((e) => e.event === 'summary')).toMatchObject({
      uploaded: 1,
      spooled: 0,
      failed: 0,
    })
    const runs = await runsOf('vm-collect')
    expect(runs).toHaveLength(1)
    expect(done.measured).toEqual([
      { test: 'tcp', metric: 'throughput_bps', value: runs[0].throughput_bps },
    ])
  }, 60_000)
})
