import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { LabelsSchema } from '#schemas/labels.ts'
import { startFakeUploadApi } from '../helpers/fake-upload-api.ts'
import { jsonLines, runCli } from '../helpers/run-cli.ts'
import { canRun } from '../helpers/requires.ts'

const CLI_ENTRY = fileURLToPath(new URL('../helpers/cli-entry.ts', import.meta.url))
// The lab builds network namespaces: root, iproute2, iptables (NAT for os-s4) and both tools.
const ready = canRun('test/lab/lab-run.test.ts', {
  root: true,
  programs: ['ip', 'iptables', 'ethtool', 'taskset', 'iperf3', 'qperf'],
})

const labNamespaces = () =>
  execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith('nlk-'))

describe.skipIf(!ready)('netlake lab run (root)', () => {
  let out: string
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true })
  })

  it('builds baseline and os-s1, measures with iperf3 and qperf, pushes, and leaves no namespace', async () => {
    // Prepare
    out = await mkdtemp(join(tmpdir(), 'nlk-lab-'))
    const api = await startFakeUploadApi()

    // Act
    const res = await runCli(
      [
        'lab',
        'run',
        'baseline',
        'os-s1',
        '--duration',
        '1',
        '--seed',
        '9',
        '--out',
        out,
        '--push',
        '--json',
        '--label',
        'campaign=lab-test',
      ],
      { NETLAKE_API: api.url, NETLAKE_TOKEN: api.token, NETLAKE_SPOOL: join(out, 'spool') },
      90_000,
    )
    await api.close()

    // Assess: exit code, events, cleanup
    expect(res.code, res.stderr + res.stdout).toBe(0)
    const events = jsonLines(res.stdout)
    expect(events[0]).toMatchObject({
      event: 'notice',
      message: expect.stringContaining('no measurement of OpenStack or KubeVirt'),
    })
    expect(events.filter((e) => e.event === 'lab-up').map((e) => e.scenario)).toEqual([
      'baseline',
      'os-s1',
    ])
    expect(events.at(-1)).toMatchObject({ event: 'summary', uploaded: 4, failed: 0, spooled: 0 })
    expect(labNamespaces()).toEqual([])

    // Assess: every output parses with the ingest core, labels applied
    for (const [scenario, platform, mtu, serverIp] of [
      ['baseline', 'baremetal', 1500, '192.0.2.2'],
      ['os-s1', 'openstack', 1450, '192.0.2.12'],
    ] as const) {
      const labels = LabelsSchema.parse(
        JSON.parse(await readFile(join(out, scenario, 'rep0-iperf3-labels.json'), 'utf8')),
      )
      expect(labels).toMatchObject({
        platform,
        scenario,
        hardware_profile: 'lab-netns',
        mtu,
        link_mtu: 1500,
        campaign: 'lab-test',
        repetition: 0,
      })
      const iperf = normalizeRaw(await readFile(join(out, scenario, 'rep0-iperf3.json')), {
        raw_key: null,
        raw_sha256: '0'.repeat(64),
        labels,
      })
      expect(iperf.ok, JSON.stringify(!iperf.ok && iperf.error)).toBe(true)
      if (!iperf.ok) return
      expect(iperf.runs).toHaveLength(1)
      expect(iperf.runs[0]).toMatchObject({
        tool: 'iperf3',
        status: 'ok',
        scenario,
        platform,
        mtu,
        duration_s: 1,
        omit_s: 1,
        streams: 1,
      })
      expect(iperf.runs[0].throughput_bps).toBeGreaterThan(1e6)
      const doc = JSON.parse(await readFile(join(out, scenario, 'rep0-iperf3.json'), 'utf8'))
      expect(doc.start.connected[0].remote_host).toBe(serverIp)
      const qperf = normalizeRaw(await readFile(join(out, scenario, 'rep0-qperf.txt')), {
        raw_key: null,
        raw_sha256: '1'.repeat(64),
        labels,
      })
      expect(qperf.ok && qperf.runs.map((r) => r.test)).toEqual(['tcp_lat', 'tcp_bw'])
    }
  }, 90_000)

  it('lab up leaves the scenario up, lab down removes it', async () => {
    // Act
    const up = await runCli(['lab', 'up', 'baseline'])
    const during = labNamespaces().filter((n) => n.startsWith('nlk-baseline-'))
    const down = await runCli(['lab', 'down', 'baseline'])

    // Assess
    expect(up.code, up.stderr).toBe(0)
    expect(during.sort()).toEqual(['nlk-baseline-bm1', 'nlk-baseline-bm2'])
    expect(down.code).toBe(0)
    expect(labNamespaces().filter((n) => n.startsWith('nlk-baseline-'))).toEqual([])
  })

  it('refuses to run without root, saying why', () => {
    // Act: drop to nobody for this one process
    const res = spawnSync(
      'setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        '--',
        process.execPath,
        '--import',
        'tsx',
        CLI_ENTRY,
        'lab',
        'run',
        'baseline',
      ],
      { encoding: 'utf8' },
    )

    // Assess
    expect(res.status).toBe(1)
    expect(res.stderr).toContain('needs root')
    expect(labNamespaces().filter((n) => n.startsWith('nlk-baseline-'))).toEqual([])
  })

  it('removes what it built when interrupted with SIGINT mid-run', async () => {
    // Prepare
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        CLI_ENTRY,
        'lab',
        'run',
        'os-s3',
        '--duration',
        '20',
        '--tool',
        'iperf3',
        '--json',
        '--out',
        join(out, 'interrupted'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let stdout = ''
    child.stdout.on('data', (c) => (stdout += c))
    const exited = new Promise<number | null>((resolve) =>
      child.on('close', (code) => resolve(code)),
    )
    for (let i = 0; i < 100 && !stdout.includes('"plan"'); i++)
      await new Promise((r) => setTimeout(r, 100))
    await new Promise((r) => setTimeout(r, 1500))
    const during = labNamespaces().filter((n) => n.startsWith('nlk-os-s3-'))

    // Act
    child.kill('SIGINT')
    const code = await exited

    // Assess
    expect(during).toHaveLength(3)
    expect(code).toBe(130)
    expect(labNamespaces().filter((n) => n.startsWith('nlk-os-s3-'))).toEqual([])
    expect(
      execFileSync('sh', ['-c', 'pgrep -f "[i]perf3 -s -1 -J -B 192.0.2.12" || true'], {
        encoding: 'utf8',
      }).trim(),
    ).toBe('')
  }, 30_000)
})

describe('netlake lab (any user)', () => {
  it('lists the scenarios and refuses unknown ones with exit 2', async () => {
    // Act
    const list = await runCli(['lab', 'list'])
    const bad = await runCli(['lab', 'run', 'os-s9'])

    // Assess
    expect(list.code).toBe(0)
    expect(
      list.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(['baseline', 'os-s3', 'os-s1', 'os-s2a', 'os-s2b', 'os-s4', 'kv-s1', 'kv-s2'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('unknown scenario(s): os-s9')
  })
})
