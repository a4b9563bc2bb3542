import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, describe, expect, it } from 'vitest'
import { createDuckDb } from '#adapters/duckdb-node.ts'

const root = new URL('../../', import.meta.url).pathname

/** Runs `netlake normalize ...` as a process; resolves with the exit code instead of throwing. */
async function netlake(args: string[], input?: string) {
  const child = execFile(process.execPath, ['bin/netlake.js', 'normalize', ...args], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  })
  if (input !== undefined) child.stdin?.end(input)
  else child.stdin?.end()
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d) => (stdout += d))
  child.stderr?.on('data', (d) => (stderr += d))
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)))
  return {
    code,
    stdout,
    stderr,
    lines: stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  }
}

const inputsOf = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => /\.(json|txt)$/.test(f) && !f.endsWith('.expected.json'))
    .map((f) => join(dir, f))
const labInputs = readdirSync(join(root, 'test/fixtures/lab'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    ['iperf3.json', 'iperf3-server.json', 'qperf.txt'].map(
      (f) => `test/fixtures/lab/${d.name}/${f}`,
    ),
  )

describe('netlake normalize (as a process)', () => {
  const out = mkdtempSync(join(tmpdir(), 'netlake-normalize-'))
  afterAll(() => rmSync(out, { recursive: true, force: true }))

  it('handles every real, lab and crafted fixture: one JSON line per file, exit 0', async () => {
    // Prepare
    const files = [
      ...inputsOf('test/fixtures/real'),
      ...labInputs,
      ...inputsOf('test/fixtures/crafted'),
    ]
    // Act
    const result = await netlake(['--json', ...files])
    // Assess
    expect(result.code).toBe(0)
    expect(result.lines.map((l) => l.file)).toEqual(files)
    expect(
      result.lines.every(
        (l) => l.ok === true && Array.isArray(l.runs) && typeof l.intervals === 'number',
      ),
    ).toBe(true)
    const byFile = Object.fromEntries(result.lines.map((l) => [l.file.split('/').pop(), l]))
    const p4 = JSON.parse(
      readFileSync(join(root, 'test/fixtures/real/iperf3-tcp-p4-t60-b200M.json'), 'utf8'),
    )
    expect(byFile['iperf3-tcp-p4-t60-b200M.json'].runs[0].throughput_bps).toBe(
      p4.end.sum_received.bits_per_second,
    )
    expect(byFile['iperf3-tcp-p4-t60-b200M.json'].intervals).toBe(60 * 5)
    const bidir = byFile['iperf3-crafted-3.9-bidir-duplicate-keys.json'].runs[0]
    expect(bidir.direction).toBe('bidir')
    expect(bidir.reverse_receiver_bps).not.toBeNull()
    expect(bidir.reverse_receiver_bps).not.toBe(bidir.receiver_bps)
    expect(byFile['iperf3-error-connection-refused.json'].runs[0]).toMatchObject({
      status: 'error',
      error_message: 'unable to connect to server: Connection refused',
    })
    expect(byFile['qperf-tcp_lat-tcp_bw.txt'].runs.map((r: { test: string }) => r.test)).toEqual([
      'tcp_lat',
      'tcp_bw',
    ])
    expect(
      byFile['iperf3-crafted-3.0-g-numbers-nan.json'].warnings.some(
        (w: { code: string }) => w.code === 'non-finite-number',
      ),
    ).toBe(true)
  }, 60_000)

  it('exits 1 and names the problem when any file is rejected, and still reports the others', async () => {
    const result = await netlake([
      '--json',
      'test/fixtures/lab/os-s1/iperf3.json',
      'package.json',
      'no/such/file.json',
    ])
    expect(result.code).toBe(1)
    expect(result.lines.map((l) => l.ok)).toEqual([true, false, false])
    expect(result.lines[1].error).toMatch(/^not-iperf3: .*"start"/)
    expect(result.lines[2].error).toContain('ENOENT')
  })

  it('reads standard input for - and detects the format from content', async () => {
    const qperf = readFileSync(join(root, 'test/fixtures/lab/os-s3/qperf.txt'), 'utf8')
    const result = await netlake(
      ['--json', '--label', 'platform=openstack', '--label', 'scenario=os-s3', '-'],
      qperf,
    )
    expect(result.code).toBe(0)
    expect(result.lines[0]).toMatchObject({ file: '-', ok: true })
    expect(
      result.lines[0].runs.map((r: { tool: string; scenario: string }) => [r.tool, r.scenario]),
    ).toEqual([
      ['qperf', 'os-s3'],
      ['qperf', 'os-s3'],
    ])
  })

  it('exits 2 for usage errors: no files, an unknown flag, a bad label', async () => {
    expect((await netlake([])).code).toBe(2)
    expect((await netlake(['--frobnicate', 'x'])).code).toBe(2)
    const bad = await netlake(['--label', 'mtu=huge', 'x.json'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("label 'mtu'")
    const zero = await netlake(['--workers', '0', 'x.json'])
    expect(zero.code).toBe(2)
    expect(zero.stderr).toContain('--workers must be a whole number from 1 to 256')
    const stdin = await netlake(['--workers', '2', '-'])
    expect(stdin.code).toBe(2)
    expect(stdin.stderr).toContain("--workers above 1 cannot read standard input ('-')")
  })

  it('gives the same output and the same Parquet bytes with worker threads as with one thread', async () => {
    // Prepare: more files than one batch (64), a rejected one among them
    const fixtures = [...inputsOf('test/fixtures/real'), ...labInputs]
    const files = [...fixtures, 'package.json', ...Array.from({ length: 4 }, () => fixtures).flat()]
    expect(files.length).toBeGreaterThan(2 * 64) // two batches at least, one per worker
    const one = join(out, 'one-thread')
    const two = join(out, 'two-workers')
    // Act
    const single = await netlake(['--workers', '1', '--json', '--out', one, ...files])
    const parallel = await netlake(['--workers', '2', '--json', '--out', two, ...files])
    // Assess
    expect([single.code, parallel.code]).toEqual([1, 1])
    expect(parallel.lines.map((l) => l.file)).toEqual(files)
    expect(parallel.stdout).toBe(single.stdout)
    expect(parallel.stderr).toBe(single.stderr)
    for (const table of ['runs', 'intervals', 'metrics'])
      expect(
        readFileSync(join(two, `${table}.parquet`)).equals(
          readFileSync(join(one, `${table}.parquet`)),
        ),
      ).toBe(true)
  }, 60_000)

  it('writes runs, intervals and metrics Parquet that duckdb-wasm reads back with the same values', async () => {
    // Act
    const result = await netlake(['--out', out, '--json', ...labInputs])
    // Assess
    expect(result.code).toBe(0)
    const db = await createDuckDb()
    try {
      db.registerBuffer('runs.parquet', new Uint8Array(readFileSync(join(out, 'runs.parquet'))))
      db.registerBuffer(
        'intervals.parquet',
        new Uint8Array(readFileSync(join(out, 'intervals.parquet'))),
      )
      const runs = db.query(`SELECT count(*)::INTEGER AS n FROM read_parquet('runs.parquet')`)
      const intervals = db.query(
        `SELECT count(*)::INTEGER AS n FROM read_parquet('intervals.parquet')`,
      )
      const expectedRuns = result.lines.reduce((n, l) => n + l.runs.length, 0)
      const expectedIntervals = result.lines.reduce((n, l) => n + l.intervals, 0)
      expect(runs[0].n).toBe(expectedRuns)
      expect(intervals[0].n).toBe(expectedIntervals)
      const baseline = JSON.parse(
        readFileSync(join(root, 'test/fixtures/lab/baseline/iperf3.json'), 'utf8'),
      )
      const [row] = db.query(
        `SELECT throughput_bps, started_at FROM read_parquet('runs.parquet') WHERE raw_sha256 = ? `,
        [result.lines[0].runs[0].raw_sha256],
      )
      expect(row.throughput_bps).toBe(baseline.end.sum_received.bits_per_second)
      expect(row.started_at).toBe(new Date(baseline.start.timestamp.timesecs * 1000).toISOString())
    } finally {
      await db.close()
    }
  }, 60_000)
})
