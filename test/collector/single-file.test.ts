import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COLLECTOR_BUNDLE, startCollectorVm, type CollectorVm } from '../helpers/collector-vm.ts'
import { jsonLines } from '../helpers/run-cli.ts'

const root = new URL('../../', import.meta.url).pathname

describe('the edge collector as one file, copied alone into an empty folder', () => {
  let vm: CollectorVm
  beforeAll(async () => {
    vm = await startCollectorVm(process.execPath, 'netlake-collector')
  }, 120_000)
  afterAll(() => vm?.close())

  it('is one file of at most 2 MB that imports nothing but Node built-ins', () => {
    // Act
    const text = readFileSync(COLLECTOR_BUNDLE, 'utf8')
    const imports = [...text.matchAll(/(?:from|import)\s*"([^"]+)"/g)].map((m) => m[1])
    // Assess
    expect(statSync(COLLECTOR_BUNDLE).size).toBeLessThanOrEqual(2 * 1024 * 1024)
    expect(imports.length).toBeGreaterThan(0)
    expect(imports.filter((s) => !s.startsWith('node:'))).toEqual([])
    expect(readdirSync(vm.dir)).toEqual(['netlake-collector.mjs'])
  })

  it('prints its version and usage', async () => {
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version
    expect(await vm.collector(['--version'])).toEqual({
      code: 0,
      stdout: `${version}\n`,
      stderr: '',
    })
    expect((await vm.collector(['push', '--help'])).stdout).toMatch(/^usage: netlake push FILE/)
  })

  it('push uploads a file to the API given with --api and --token, as from a test VM', async () => {
    // Prepare
    copyFileSync(join(root, 'test/fixtures/lab/os-s3/iperf3.json'), join(vm.dir, 'result.json'))
    const source = JSON.parse(readFileSync(join(vm.dir, 'result.json'), 'utf8'))
    // Act
    const res = await vm.collector([
      'push',
      'result.json',
      '--api',
      vm.stack.url,
      '--token',
      vm.token,
      '--label',
      'platform=openstack',
      '--label',
      'scenario=os-s3',
      '--label',
      'campaign=vm-push',
      '--json',
    ])
    await vm.stack.idle()
    // Assess
    expect(res.code, res.stderr).toBe(0)
    expect(jsonLines(res.stdout).find((e) => e.event === 'summary')).toMatchObject({
      uploaded: 1,
      spooled: 0,
      failed: 0,
    })
    const runs = await vm.runsOf('vm-push')
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
      mkdirSync(join(vm.dir, rel, '..'), { recursive: true })
      copyFileSync(join(root, fixture), join(vm.dir, rel))
    }
    const rate = (fixture: string) =>
      JSON.parse(readFileSync(join(root, fixture), 'utf8')).end.sum_received.bits_per_second
    // Act
    const res = await vm.collector([
      'push',
      'results',
      '--recursive',
      '--labels-from-path',
      '{campaign}/r{repetition}/{scenario}/',
      '--label',
      'platform=openstack',
      '--api',
      vm.stack.url,
      '--token',
      vm.token,
    ])
    await vm.stack.idle()
    // Assess
    expect(res.code, res.stderr).toBe(0)
    expect(res.stderr).toContain(
      'labels results/vm-tree/r2/os-s2a/iperf3.json: campaign=vm-tree repetition=2 scenario=os-s2a',
    )
    const runs = await vm.runsOf('vm-tree')
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
    const res = await vm.collector(
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
        String(vm.iperf3Port),
        '--label',
        'campaign=vm-collect',
        '--json',
      ],
      { NETLAKE_DATA_DIR: vm.dataDir },
    )
    await vm.stack.idle()
    // Assess
    expect(res.code, res.stderr).toBe(0)
    const events = jsonLines(res.stdout)
    const done = events.find((e) => e.event === 'run-done')!
    expect(done).toMatchObject({ ok: true, tool: 'iperf3', scenario: 'baseline' })
    expect(events.find((e) => e.event === 'upload-start')?.api).toBe(vm.stack.url)
    expect(events.find((e) => e.event === 'summary')).toMatchObject({
      uploaded: 1,
      spooled: 0,
      failed: 0,
    })
    const runs = await vm.runsOf('vm-collect')
    expect(runs).toHaveLength(1)
    expect(done.measured).toEqual([
      { test: 'tcp', metric: 'throughput_bps', value: runs[0].throughput_bps },
    ])
  }, 60_000)
})
