import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
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
})
