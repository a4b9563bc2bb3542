import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeUploadApi, type FakeUploadApi } from '../helpers/fake-upload-api.ts'
import { freePort, jsonLines, runCli } from '../helpers/run-cli.ts'

const IPERF3 = 'test/fixtures/lab/baseline/iperf3.json'
const QPERF = 'test/fixtures/lab/baseline/qperf.txt'

let dir: string
let api: FakeUploadApi
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nlk-push-'))
  api = await startFakeUploadApi()
})
afterEach(async () => {
  await api.close()
  await rm(dir, { recursive: true, force: true })
})

const spoolFiles = async (sub = '') =>
  (await readdir(join(dir, 'spool', sub))).filter((n) => n.endsWith('.json')).sort()
const env = () => ({
  NETLAKE_API: api.url,
  NETLAKE_TOKEN: api.token,
  NETLAKE_SPOOL: join(dir, 'spool'),
})

describe('netlake push', () => {
  it('uploads files with labels, detecting the tool from content, raw bytes verbatim', async () => {
    // Prepare
    const labelsFile = join(dir, 'labels.yaml')
    await writeFile(labelsFile, 'platform: baremetal\ncampaign: c1\nsoftware:\n  kernel: 6.1\n')

    // Act
    const res = await runCli(
      ['push', IPERF3, QPERF, '--labels', labelsFile, '--label', 'scenario=baseline', '--json'],
      env(),
    )

    // Assess
    expect(res.code, res.stderr).toBe(0)
    const stored = [...api.stored.values()].map((b) => JSON.parse(b))
    expect(stored.map((e) => e.tool).sort()).toEqual(['iperf3', 'qperf'])
    const iperf = stored.find((e) => e.tool === 'iperf3')
    expect(iperf.labels).toEqual({
      platform: 'baremetal',
      campaign: 'c1',
      scenario: 'baseline',
      software: { kernel: '6.1' },
      collected_at: (await stat(IPERF3)).mtime.toISOString(), // the file's mtime, as no label gave it
    })
    expect(iperf.raw).toBe(await readFile(IPERF3, 'utf8'))
    expect(jsonLines(res.stdout).at(-1)).toMatchObject({
      event: 'summary',
      uploaded: 2,
      spooled: 0,
      failed: 0,
      exit_code: 0,
    })
    expect(await spoolFiles()).toEqual([])
  })

  it('keeps results spooled while the API is down, then drains them with push --spool', async () => {
    // Prepare
    const down = `http://127.0.0.1:${await freePort()}`

    // Act
    const first = await runCli(
      [
        'push',
        IPERF3,
        QPERF,
        '--label',
        'platform=baremetal',
        '--label',
        'scenario=baseline',
        '--api',
        down,
        '--retries',
        '1',
      ],
      env(),
    )
    const waiting = await spoolFiles()
    const second = await runCli(['push', '--spool', join(dir, 'spool')], env())

    // Assess
    expect(first.code).toBe(1)
    expect(first.stdout).toContain('spooled 2')
    expect(waiting).toHaveLength(2)
    expect(second.code, second.stderr).toBe(0)
    expect(api.stored.size).toBe(2)
    expect(await spoolFiles()).toEqual([])
  })

  it('moves a result the API refuses (400) to failed/ with the reason and exits 1', async () => {
    // Prepare
    api.script.push({
      status: 400,
      body: { error: { code: 'bad_request', message: 'labels unreadable' } },
    })

    // Act
    const res = await runCli(
      ['push', IPERF3, '--label', 'platform=baremetal', '--label', 'scenario=baseline', '--json'],
      env(),
    )

    // Assess
    expect(res.code).toBe(1)
    const result = jsonLines(res.stdout).find((e) => e.event === 'upload-result')
    expect(result).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('labels unreadable'),
    })
    const failed = await spoolFiles('failed')
    expect(failed).toEqual([result!.id, result!.id.replace('.json', '.reason.json')].sort())
    expect(
      JSON.parse(
        await readFile(
          join(dir, 'spool', 'failed', result!.id.replace('.json', '.reason.json')),
          'utf8',
        ),
      ),
    ).toMatchObject({ status: 400, code: 'bad_request' })
  })

  it('names the missing label and exits 2 without uploading', async () => {
    // Act
    const res = await runCli(['push', IPERF3, '--label', 'platform=baremetal'], env())

    // Assess
    expect(res.code).toBe(2)
    expect(res.stderr).toContain("missing required label 'scenario'")
    expect(api.requests).toHaveLength(0)
  })

  it('rejects a file that is not tool output, naming it, and exits 1', async () => {
    // Prepare
    const junk = join(dir, 'notes.txt')
    await writeFile(junk, 'hello world\n')

    // Act
    const res = await runCli(
      ['push', junk, IPERF3, '--label', 'platform=baremetal', '--label', 'scenario=baseline'],
      env(),
    )

    // Assess
    expect(res.code).toBe(1)
    expect(res.stdout).toContain(`${junk}: neither iperf3 JSON`)
    expect(api.stored.size).toBe(1)
  })

  it('answers unknown flags with usage and exit 2', async () => {
    // Act
    const res = await runCli(['push', '--bogus'], env())

    // Assess
    expect(res.code).toBe(2)
    expect(res.stderr).toContain("Unknown option '--bogus'")
    expect(res.stderr).toContain('usage: netlake push')
  })

  describe('a campaign folder with --recursive --labels-from-path', () => {
    const TEMPLATE = '{campaign}/r{repetition}/{scenario}/'
    /** A tree of results: path below the folder → fixture (each fixture once: uploads are content-addressed). */
    const TREE: Record<string, string> = {
      'c1/r1/baseline/iperf3.json': 'test/fixtures/lab/baseline/iperf3.json',
      'c1/r1/os-s1/iperf3.json': 'test/fixtures/lab/os-s1/iperf3.json',
      'c1/r2/os-s1/host-a/qperf.txt': 'test/fixtures/lab/os-s1/qperf.txt',
    }
    const makeTree = async (extra: Record<string, string> = {}) => {
      const root = join(dir, 'campaign')
      for (const [rel, fixture] of Object.entries({ ...TREE, ...extra })) {
        await mkdir(join(root, rel, '..'), { recursive: true })
        await copyFile(fixture, join(root, rel))
      }
      await writeFile(join(root, '.notes'), 'hidden files are skipped\n')
      return root
    }

    it('uploads every file below the folder with the labels its path gives, printed before upload', async () => {
      // Prepare
      const root = await makeTree()

      // Act
      const res = await runCli(
        [
          'push',
          root,
          '--recursive',
          '--labels-from-path',
          TEMPLATE,
          '--label',
          'platform=openstack',
          '--json',
        ],
        env(),
      )

      // Assess
      expect(res.code, res.stderr).toBe(0)
      const stored = [...api.stored.values()].map((b) => JSON.parse(b))
      const byRaw = new Map(stored.map((e) => [e.raw, e.labels]))
      const expected = [
        [
          TREE['c1/r1/baseline/iperf3.json'],
          { campaign: 'c1', repetition: 1, scenario: 'baseline' },
        ],
        [TREE['c1/r1/os-s1/iperf3.json'], { campaign: 'c1', repetition: 1, scenario: 'os-s1' }],
        [
          TREE['c1/r2/os-s1/host-a/qperf.txt'],
          { campaign: 'c1', repetition: 2, scenario: 'os-s1' },
        ],
      ] as const
      expect(stored).toHaveLength(3)
      for (const [fixture, labels] of expected)
        expect(byRaw.get(await readFile(fixture, 'utf8'))).toMatchObject({
          platform: 'openstack',
          ...labels,
        })
      const events = jsonLines(res.stdout)
      const printed = events.filter((e) => e.event === 'path-labels')
      expect(printed.map((e) => [e.file, e.labels])).toEqual([
        [
          join(root, 'c1/r1/baseline/iperf3.json'),
          { campaign: 'c1', repetition: '1', scenario: 'baseline' },
        ],
        [
          join(root, 'c1/r1/os-s1/iperf3.json'),
          { campaign: 'c1', repetition: '1', scenario: 'os-s1' },
        ],
        [
          join(root, 'c1/r2/os-s1/host-a/qperf.txt'),
          { campaign: 'c1', repetition: '2', scenario: 'os-s1' },
        ],
      ])
      const lastPrinted = events.lastIndexOf(printed.at(-1)!)
      const firstUpload = events.findIndex((e) => e.event === 'upload-result')
      expect(firstUpload).toBeGreaterThan(lastPrinted)
    })

    it('prints the derived labels as lines for people', async () => {
      // Prepare
      const root = await makeTree()

      // Act
      const res = await runCli(
        ['push', root, '-r', '--labels-from-path', TEMPLATE, '--label', 'platform=openstack'],
        env(),
      )

      // Assess
      expect(res.code, res.stderr).toBe(0)
      expect(res.stderr).toContain(
        `labels ${join(root, 'c1/r2/os-s1/host-a/qperf.txt')}: campaign=c1 repetition=2 scenario=os-s1`,
      )
    })

    it('names each path the template does not match and uploads nothing (exit 2)', async () => {
      // Prepare
      const root = await makeTree({
        'c1/3/baseline/iperf3.json': 'test/fixtures/lab/kv-s1/iperf3.json',
        'c1/r1/stray.json': 'test/fixtures/lab/kv-s2/iperf3.json',
      })

      // Act
      const res = await runCli(
        [
          'push',
          root,
          '--recursive',
          '--labels-from-path',
          TEMPLATE,
          '--label',
          'platform=openstack',
        ],
        env(),
      )

      // Assess
      expect(res.code).toBe(2)
      expect(res.stderr).toContain('2 of 5 file(s) get no valid labels')
      expect(res.stderr).toContain(
        `${join(root, 'c1/3/baseline/iperf3.json')}: '3' does not match 'r{repetition}' of the template '${TEMPLATE}'`,
      )
      expect(res.stderr).toContain(`${join(root, 'c1/r1/stray.json')}: has 2 folder level(s)`)
      expect(api.requests).toHaveLength(0)
      expect(await readdir(join(dir, 'spool')).catch(() => [])).toEqual([]) // nothing spooled either
    })

    it('names the path whose derived label does not validate', async () => {
      // Prepare
      const root = await makeTree({
        'c1/rx/baseline/iperf3.json': 'test/fixtures/lab/kv-s1/iperf3.json',
      })

      // Act
      const res = await runCli(
        [
          'push',
          root,
          '--recursive',
          '--labels-from-path',
          TEMPLATE,
          '--label',
          'platform=openstack',
        ],
        env(),
      )

      // Assess
      expect(res.code).toBe(2)
      expect(res.stderr).toContain(
        `${join(root, 'c1/rx/baseline/iperf3.json')}: label 'repetition'`,
      )
      expect(api.requests).toHaveLength(0)
    })

    it('refuses a folder without --recursive and a label given twice', async () => {
      // Prepare
      const root = await makeTree()

      // Act
      const folder = await runCli(
        ['push', root, '--label', 'platform=p', '--label', 'scenario=s'],
        env(),
      )
      const twice = await runCli(
        [
          'push',
          root,
          '-r',
          '--labels-from-path',
          TEMPLATE,
          '--label',
          'platform=p',
          '--label',
          'scenario=s',
        ],
        env(),
      )

      // Assess
      expect(folder.code).toBe(2)
      expect(folder.stderr).toContain(`${root} is a folder: give --recursive`)
      expect(twice.code).toBe(2)
      expect(twice.stderr).toContain(
        "label(s) 'scenario' come both from --labels-from-path and from --label/--labels",
      )
      expect(api.requests).toHaveLength(0)
    })
  })
})
