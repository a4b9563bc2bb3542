import { spawn } from 'node:child_process'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { getWithHost } from '../helpers/host-header.ts'
import { normalizeRaw } from '#core/normalize-raw.ts'

const root = new URL('../../', import.meta.url).pathname

/** Processes whose command line mentions `needle` (the temp data dir is unique to this test). */
function processesMentioning(needle: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
  return out.split('\n').filter((line) => line.includes(needle) && !line.includes('ps -eo'))
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`no healthy ${url} within ${timeoutMs} ms`)
}

describe('npm start: the one-command local stack', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'netlake-start-'))
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('comes up with the sample data, answers queries, and stops cleanly on Ctrl-C', async () => {
    // Prepare
    const port = 20000 + Math.floor(Math.random() * 20000)
    const child = spawn('npm', ['start', '--silent', '--', '--data-dir', dataDir], {
      cwd: root,
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    )
    const url = `http://127.0.0.1:${port}`
    try {
      // Act
      await waitForHealth(url, 60_000)
      const runs = await (await fetch(`${url}/v1/runs?limit=1000`)).json()
      const datasets = await (await fetch(`${url}/v1/datasets`)).json()
      const token = readFileSync(join(dataDir, 'token'), 'utf8').trim()
      const upload = await fetch(`${url}/v1/results?platform=openstack&scenario=os-s1`, {
        method: 'POST',
        body: readFileSync(join(root, 'test/fixtures/real/iperf3-tcp-p1-t5.json')),
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      })
      const anonymousUpload = await fetch(`${url}/v1/results?platform=openstack&scenario=os-s1`, {
        method: 'POST',
        body: '{}',
        headers: { 'Content-Type': 'application/json' },
      })
      // Assess: 8 lab scenarios × (iperf3 client + server + qperf tcp_lat + tcp_bw)
      expect(runs.runs).toHaveLength(32)
      expect(new Set(runs.runs.map((r: { scenario: string }) => r.scenario)).size).toBe(8)
      // Batched ingest: fewer interval files than iperf3 documents, holding every interval once.
      expect(datasets.tables.intervals.length).toBeLessThan(16)
      expect(sumRows(datasets.tables.intervals)).toBe(sampleIntervalRows())
      expect(upload.status).toBe(202)
      expect(anonymousUpload.status).toBe(401)
      expect(statSync(join(dataDir, 'token')).mode & 0o777).toBe(0o600)
      expect(output).toContain(join(dataDir, 'token'))
    } finally {
      // Ctrl-C: SIGINT to the stack's process (npm passes its exit code through)
      const stack = processesMentioning(dataDir).find((line) =>
        /^\s*\d+ \S*node bin\/netlake\.js start/.test(line),
      )
      process.kill(Number(stack?.trim().split(/\s+/)[0]), 'SIGINT')
    }
    expect(await exited).toBe(0)
    expect(output).toContain('netlake: stopped.')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(processesMentioning(dataDir)).toEqual([])
  }, 120_000)

  it('keeps all data across a restart, does not load the samples twice, and serves the --allowed-host names', async () => {
    // Prepare
    const port = 20000 + Math.floor(Math.random() * 20000)
    const child = spawn(
      process.execPath,
      [
        'bin/netlake.js',
        'start',
        '--port',
        String(port),
        '--data-dir',
        dataDir,
        '--allowed-host',
        'lab.example',
        '--allowed-host',
        'Proxy.Example',
      ],
      {
        cwd: root,
        env: { ...process.env, NETLAKE_ALLOWED_HOSTS: 'env.example' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    )
    const url = `http://127.0.0.1:${port}`
    try {
      // Act
      await waitForHealth(url, 60_000)
      const runs = await (await fetch(`${url}/v1/runs?limit=1000`)).json()
      const hosts = ['lab.example', 'proxy.example', 'env.example', 'evil.example']
      const answers = await Promise.all(
        hosts.map((host) => getWithHost(`${url}/v1/datasets`, `${host}:${port}`)),
      )

      // Assess
      expect(runs.runs).toHaveLength(33) // the 32 samples and the upload from the first start
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 421])
      expect(JSON.parse(answers[3].body).error.message).toBe(
        `host 'evil.example' is not served here (allowed: localhost, 127.0.0.1, [::1], lab.example, proxy.example, env.example)`,
      )
      expect(output).toContain(
        '  hosts      localhost, 127.0.0.1, [::1], lab.example, proxy.example, env.example  (the Host names served; others get 421)',
      )
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  }, 120_000)
})

/** Interval rows the bundled samples normalize to, counted by the pure core. */
function sampleIntervalRows(): number {
  const lab = join(root, 'samples/lab')
  let rows = 0
  for (const scenario of readdirSync(lab))
    for (const file of readdirSync(join(lab, scenario)).filter((f) => f.endsWith('.json'))) {
      const result = normalizeRaw(readFileSync(join(lab, scenario, file)), {
        raw_key: null,
        raw_sha256: '0'.repeat(64),
        tool: 'iperf3',
      })
      if (result.ok) rows += result.intervals.length
    }
  return rows
}

function sumRows(files: Array<{ rows: number }>): number {
  return files.reduce((sum, file) => sum + file.rows, 0)
}
