import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canRun } from '../helpers/requires.ts'
import { startCollectorVm, type CollectorVm } from '../helpers/collector-vm.ts'
import { jsonLines } from '../helpers/run-cli.ts'

const root = new URL('../../', import.meta.url).pathname
/**
 * Node 18 lives outside package.json (a `node` bin in node_modules/.bin would shadow Node 20 for
 * every npm script): .ci/run unpacks the npm package node-linux-<arch>@18.20.8 into .cache/node18/
 * and exports NETLAKE_NODE18; `.ci/run` lists the same commands to prepare it by hand.
 */
const NODE18 = process.env.NETLAKE_NODE18 || join(root, '.cache/node18/package/bin/node')
const ready = canRun('test/collector/single-file-node18.test.ts', { programs: [NODE18, 'iperf3'] })

describe.skipIf(!ready)('the single-file collector on Node 18, alone in an empty folder', () => {
  let vm: CollectorVm
  beforeAll(async () => {
    vm = await startCollectorVm(NODE18, 'netlake-node18')
  }, 120_000)
  afterAll(() => vm?.close())

  it('runs under Node 18 itself and prints its version', async () => {
    // Act
    const runtime = execFileSync(NODE18, ['-p', 'process.versions.node'], { encoding: 'utf8' })
    const res = await vm.collector(['--version'])
    // Assess
    expect(runtime.trim().split('.')[0]).toBe('18')
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version
    expect(res).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
  })

  it('push --recursive --labels-from-path uploads a campaign folder', async () => {
    // Prepare
    const rel = 'results/n18/r3/os-s3/iperf3.json'
    mkdirSync(join(vm.dir, rel, '..'), { recursive: true })
    copyFileSync(join(root, 'test/fixtures/lab/os-s3/iperf3.json'), join(vm.dir, rel))
    const source = JSON.parse(readFileSync(join(vm.dir, rel), 'utf8'))
    // Act
    const res = await vm.collector([
      'push',
      'results',
      '-r',
      '--labels-from-path',
      '{campaign}/r{repetition}/{scenario}/',
      '--label',
      'platform=openstack',
      '--api',
      vm.stack.url,
      '--token',
      vm.token,
      '--json',
    ])
    await vm.stack.idle()
    // Assess
    expect(res.code, res.stderr).toBe(0)
    expect(jsonLines(res.stdout).find((e) => e.event === 'path-labels')?.labels).toEqual({
      campaign: 'n18',
      repetition: '3',
      scenario: 'os-s3',
    })
    const runs = await vm.runsOf('n18')
    expect(runs.map((r) => [r.scenario, r.repetition, r.throughput_bps])).toEqual([
      ['os-s3', 3, source.end.sum_received.bits_per_second],
    ])
  }, 60_000)

  it('collect measures a real iperf3 on loopback and reaches the stack through its data dir', async () => {
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
        'campaign=n18-collect',
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
    expect(events.find((e) => e.event === 'summary')).toMatchObject({
      uploaded: 1,
      spooled: 0,
      failed: 0,
    })
    const runs = await vm.runsOf('n18-collect')
    expect(runs).toHaveLength(1)
    expect(done.measured).toEqual([
      { test: 'tcp', metric: 'throughput_bps', value: runs[0].throughput_bps },
    ])
  }, 60_000)
})
