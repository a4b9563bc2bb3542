import { spawn } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { resolveEndpoint } from '#collector/endpoint-config.ts'
import { startFakeUploadApi, type FakeUploadApi } from '../helpers/fake-upload-api.ts'
import { cliArgs, freePort, runCli, waitForListen } from '../helpers/run-cli.ts'
import { canRun } from '../helpers/requires.ts'

const ready = canRun('test/collector/crash.test.ts', { programs: ['iperf3', 'qperf'] })

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

let dir: string
let api: FakeUploadApi
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nlk-crash-'))
  api = await startFakeUploadApi()
})
afterEach(async () => {
  await api.close()
  await rm(dir, { recursive: true, force: true })
})

const env = () => ({
  ...process.env,
  NETLAKE_API: api.url,
  NETLAKE_TOKEN: api.token,
  NETLAKE_SPOOL: join(dir, 'spool'),
})
const spooled = async () => (await readdir(join(dir, 'spool'))).filter((n) => n.endsWith('.json'))

/** Starts a CLI child and signals it once `ready()` holds (polled every 50 ms, at most 20 s). */
async function killWhen(
  args: string[],
  ready: (stdout: string) => boolean,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<{ stdout: string; code: number | null }> {
  const child = spawn(process.execPath, cliArgs(args), {
    cwd: ROOT,
    env: env(),
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  let stdout = ''
  child.stdout.on('data', (c) => (stdout += c))
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)))
  for (let i = 0; i < 400 && !ready(stdout); i++) await new Promise((r) => setTimeout(r, 50))
  child.kill(signal)
  const code = await exited
  return { stdout, code }
}

describe.skipIf(!ready)('killing the collector', () => {
  it('with SIGKILL in the middle of an upload loses nothing; the next push sends it once', async () => {
    // Prepare: the API never answers the first request
    api.script.push({ hang: true })

    // Act
    await killWhen(
      [
        'push',
        'test/fixtures/lab/kv-s1/iperf3.json',
        '--label',
        'platform=kubevirt',
        '--label',
        'scenario=kv-s1',
      ],
      () => api.requests.length > 0,
    )
    const afterKill = await spooled()
    const retry = await runCli(['push'], {
      NETLAKE_API: api.url,
      NETLAKE_TOKEN: api.token,
      NETLAKE_SPOOL: join(dir, 'spool'),
    })

    // Assess
    expect(afterKill).toHaveLength(1)
    expect(retry.code, retry.stderr).toBe(0)
    expect(api.stored.size).toBe(1)
    expect(await spooled()).toEqual([])
  })

  it('with SIGKILL during measurements keeps the finished runs in the spool', async () => {
    // Prepare
    const port = await freePort()
    const server = spawn('iperf3', ['-s', '-B', '127.0.0.1', '-p', String(port)], {
      stdio: 'ignore',
    })
    await waitForListen(port)

    // Act: four 1 s runs, killed once two have finished
    try {
      await killWhen(
        [
          'collect',
          '--scenario',
          'baseline=127.0.0.1',
          '--scenario',
          'os-s3=127.0.0.1',
          '--repeat',
          '2',
          '--tool',
          'iperf3',
          '--duration',
          '1',
          '--iperf3-port',
          String(port),
          '--json',
          '--seed',
          '1',
        ],
        (out) => out.split('"event":"run-done"').length - 1 >= 2,
      )
    } finally {
      server.kill('SIGTERM')
    }

    // Assess: both finished runs are durable, nothing was uploaded yet
    expect((await spooled()).length).toBeGreaterThanOrEqual(2)
    expect(api.stored.size).toBe(0)
  })
})

describe.skipIf(!ready)('interrupting collect', () => {
  it('with Ctrl-C stops the running tool, keeps finished results spooled, uploads nothing, exits 130', async () => {
    // Prepare
    const port = await freePort()
    const server = spawn('iperf3', ['-s', '-B', '127.0.0.1', '-p', String(port)], {
      stdio: 'ignore',
    })
    await waitForListen(port)

    // Act: two 1 s runs, interrupted while the second runs
    let result
    try {
      result = await killWhen(
        [
          'collect',
          '--scenario',
          'baseline=127.0.0.1',
          '--scenario',
          'os-s3=127.0.0.1',
          '--tool',
          'iperf3',
          '--duration',
          '1',
          '--iperf3-port',
          String(port),
          '--json',
          '--seed',
          '1',
        ],
        (out) =>
          out.includes('"event":"run-done"') && out.split('"event":"run-start"').length - 1 >= 2,
        'SIGINT',
      )
    } finally {
      server.kill('SIGTERM')
    }

    // Assess
    expect(result.code).toBe(130)
    const interrupted = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((e) => e.event === 'interrupted')
    expect(interrupted).toMatchObject({ signal: 'SIGINT', spooled: 1 })
    expect(await spooled()).toHaveLength(1)
    expect(api.requests).toHaveLength(0)
  })
})

describe('endpoint defaults', () => {
  it('treat empty variables as unset; with no stack running there is no API (said at once), and the XDG spool', async () => {
    // Act
    const config = await resolveEndpoint(
      {},
      {
        NETLAKE_API: '',
        NETLAKE_TOKEN: '',
        NETLAKE_DATA_DIR: join(dir, 'none'),
        XDG_STATE_HOME: '/state',
      },
      '/work',
    )

    // Assess
    expect(config).toEqual({
      api: null,
      apiSource: 'none',
      apiProblem: `no netlake API: no --api or NETLAKE_API given and no local stack running with data in ${join(dir, 'none')} (start one with 'netlake start')`,
      token: null,
      tokenSource: `none (no ${join(dir, 'none', 'token')})`,
      spoolDir: '/state/netlake/spool',
    })
  })
})
