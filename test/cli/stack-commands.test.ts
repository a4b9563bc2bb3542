import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalStack, type LocalStack } from '#local/stack.ts'
import { parquetMetadata, parquetSchema } from 'hyparquet'
import { createDuckDb } from '#adapters/duckdb-node.ts'
import { readManifest } from '#functions/lake/symlink-manifest.ts'
import { openLake } from '../../cli/lake.ts'
import { cliArgs, jsonLines, runCli } from '../helpers/run-cli.ts'

const root = new URL('../../', import.meta.url).pathname
const template = JSON.parse(
  readFileSync(join(root, 'test/fixtures/lab/baseline/iperf3.json'), 'utf8'),
)

/** One iperf3 document from the fixture with another receiver rate (and cookie, so other bytes). */
function iperf3Doc(bps: number, i: number): string {
  const doc = structuredClone(template)
  doc.start.cookie = `netlake-cli-test-${i}-${bps}`
  doc.end.sum_received.bits_per_second = bps
  return JSON.stringify(doc)
}

// Medians by hand (python3 statistics.median): baseline 9.41e9, os-s1 4.2e9; ratio 0.446, overhead 55.4%.
const BASELINE = [9.4e9, 9.41e9, 9.42e9, 9.39e9, 9.43e9]
const CANDIDATE = [4.1e9, 4.2e9, 4.3e9, 4.0e9, 4.4e9]

describe('push, query and compare against a local stack found through its data dir (no --api)', () => {
  let stack: LocalStack
  const dataDir = mkdtempSync(join(tmpdir(), 'netlake-cli-stack-'))
  const files = mkdtempSync(join(tmpdir(), 'netlake-cli-files-'))
  // No NETLAKE_API: the commands must find the stack's address and token in its data dir.
  const env = {
    NETLAKE_API: '',
    NETLAKE_TOKEN: '',
    NETLAKE_DATA_DIR: dataDir,
    NETLAKE_SPOOL: join(files, 'spool'),
  }
  let pushed: Awaited<ReturnType<typeof runCli>>[] = []

  beforeAll(async () => {
    stack = await startLocalStack({ dataDir, port: 0, sampleData: false, log: () => undefined })
    const write = (name: string, values: number[]) =>
      values.map((v, i) => {
        const file = join(files, `${name}-${i}.json`)
        writeFileSync(file, iperf3Doc(v, i))
        return file
      })
    pushed = [
      await runCli(
        [
          'push',
          ...write('baseline', BASELINE),
          '--label',
          'platform=baremetal',
          '--label',
          'scenario=baseline',
          '--json',
        ],
        env,
      ),
      await runCli(
        [
          'push',
          ...write('os-s1', CANDIDATE),
          '--label',
          'platform=openstack',
          '--label',
          'scenario=os-s1',
          '--label',
          'mtu=1450',
          '--json',
        ],
        env,
      ),
    ]
    await stack.idle()
  }, 120_000)
  afterAll(async () => {
    await stack?.close()
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(files, { recursive: true, force: true })
  })

  it('push reaches the stack on its own port with its token', () => {
    for (const res of pushed) {
      expect(res.code, res.stderr).toBe(0)
      const events = jsonLines(res.stdout)
      expect(events.find((e) => e.event === 'upload-start')?.api).toBe(stack.url)
      expect(events.find((e) => e.event === 'summary')).toMatchObject({
        uploaded: 5,
        spooled: 0,
        failed: 0,
      })
    }
  })

  it('query prints an aligned table with scaled units; --raw, csv and json give exact values', async () => {
    // Prepare
    const sql =
      "SELECT scenario, count(*)::INTEGER AS n, median(throughput_bps) AS median_bps FROM runs WHERE tool = 'iperf3' GROUP BY 1 ORDER BY 1"
    // Act
    const [table, raw, csv, json] = await Promise.all([
      runCli(['query', sql], env),
      runCli(['query', '--raw', sql], env),
      runCli(['query', '--format', 'csv', sql], env),
      runCli(['query', '--format', 'json', sql], env),
    ])
    // Assess
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout.split('\n').slice(0, 4)).toEqual([
      'scenario  n   median_bps',
      '────────  ─  ───────────',
      'baseline  5  9.41 Gbit/s',
      'os-s1     5  4.20 Gbit/s',
    ])
    expect(table.stderr).toBe('(2 rows)\n')
    expect(raw.stdout.split('\n')[2]).toBe('baseline  5  9410000000')
    expect(csv.stdout).toBe('scenario,n,median_bps\nbaseline,5,9410000000\nos-s1,5,4200000000\n')
    expect(jsonLines(json.stdout)).toEqual([
      { scenario: 'baseline', n: 5, median_bps: 9.41e9 },
      { scenario: 'os-s1', n: 5, median_bps: 4.2e9 },
    ])
  }, 120_000)

  it("query --format parquet writes the result with the lake's writer, to --out or to a piped stdout; hyparquet reads it back", async () => {
    // Prepare
    const sql =
      "SELECT scenario, count(*)::INTEGER AS n, median(throughput_bps) AS median_bps, bool_and(platform = 'baremetal') AS bare, min(collected_at) AS first_at FROM runs WHERE tool = 'iperf3' GROUP BY 1 ORDER BY 1"
    const out = join(files, 'result.parquet')
    // Act
    const [written, piped, json] = await Promise.all([
      runCli(['query', '--format', 'parquet', '--out', out, sql], env),
      new Promise<{ code: number | null; bytes: Buffer }>((resolve, reject) => {
        const child = spawn(process.execPath, cliArgs(['query', '--format', 'parquet', sql]), {
          env: { ...process.env, ...env },
          stdio: ['ignore', 'pipe', 'ignore'],
        })
        const chunks: Buffer[] = []
        child.stdout.on('data', (c: Buffer) => chunks.push(c))
        child.on('error', reject)
        child.on('close', (code) => resolve({ code, bytes: Buffer.concat(chunks) }))
      }),
      runCli(['query', '--format', 'json', sql], env),
    ])
    // Assess
    expect(written.code, written.stderr).toBe(0)
    expect(written.stderr).toMatch(/^\(2 rows, \d+ bytes of Parquet in .*result\.parquet\)\n$/)
    expect(piped.code).toBe(0)
    const file = readFileSync(out)
    expect(piped.bytes.equals(file)).toBe(true)
    const meta = parquetMetadata(new Uint8Array(file).buffer)
    expect(meta.created_by).toBe('netlake (parquet-wasm)') // the lake's writer
    expect(Number(meta.num_rows)).toBe(2)
    const schema = parquetSchema(meta).children.map((c) => [
      c.element.name,
      c.element.type,
      c.element.logical_type?.type ?? null,
    ])
    expect(schema).toEqual([
      ['scenario', 'BYTE_ARRAY', 'STRING'],
      ['n', 'INT32', null],
      ['median_bps', 'DOUBLE', null],
      ['bare', 'BOOLEAN', null],
      ['first_at', 'INT64', 'TIMESTAMP'],
    ])
    // Every column chunk's min/max (one row group) against the JSON rows of the same query
    const rows = jsonLines(json.stdout)
    const stats = Object.fromEntries(
      meta.row_groups[0].columns.map((c) => [
        c.meta_data!.path_in_schema[0],
        [c.meta_data!.statistics?.min_value, c.meta_data!.statistics?.max_value],
      ]),
    )
    const col = (name: string) => rows.map((r) => r[name])
    expect(stats.scenario).toEqual(['baseline', 'os-s1'])
    expect(stats.n).toEqual([5, 5])
    expect(stats.median_bps).toEqual([
      Math.min(...col('median_bps')),
      Math.max(...col('median_bps')),
    ])
    expect(stats.median_bps).toEqual([4.2e9, 9.41e9])
    expect(stats.bare).toEqual([false, true])
    const times = col('first_at').map((t) => Date.parse(t as string))
    expect((stats.first_at as Date[]).map((d) => d.getTime())).toEqual([
      Math.min(...times),
      Math.max(...times),
    ])
    // and every value, read by another engine (native DuckDB), equals the JSON rows
    const db = await createDuckDb()
    try {
      db.registerFile('result.parquet', out)
      const back = db.query("SELECT * FROM 'result.parquet' ORDER BY scenario")
      expect(
        back.map((r) => ({ ...r, first_at: new Date(r.first_at as string).toISOString() })),
      ).toEqual(rows.map((r) => ({ ...r, first_at: new Date(r.first_at as string).toISOString() })))
    } finally {
      await db.close()
    }
  }, 120_000)

  it('compare prints one line for the scenario against matched bare metal; --json is the API document', async () => {
    // Act
    const [text, json] = await Promise.all([
      runCli(['compare', '--candidate', 'os-s1'], env),
      runCli(['compare', '--candidate', 'os-s1', '--json'], env),
    ])
    const token = readFileSync(stack.tokenFile, 'utf8').trim()
    const api = await (
      await fetch(`${stack.url}/v1/compare?candidate=os-s1`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()
    // Assess
    expect(text.code, text.stderr).toBe(0)
    const lines = text.stdout.split('\n')
    expect(lines[0]).toBe(
      `TCP throughput (iperf3), candidate vs baseline, 95% CIs (ratio of geometric means, Welch t on logs), verdict against ±${api.verdict.band * 100}%, from ${stack.url}`,
    )
    const row = lines[3]
    expect(row).toMatch(
      /^os-s1 +5 +4\.20 Gbit\/s +\d\.\d{3} +baseline +5 +9\.41 Gbit\/s +0\.446 \[/,
    )
    expect(row).toContain('55.4% [') // overhead 1 − 4.2/9.41
    // the API's verdict, not one the CLI derives: every candidate run is far below every baseline run
    expect(api.verdict.verdict).toBe('WORSE')
    expect(row).toMatch(/ WORSE +/)
    expect(row).toContain(` ${api.verdict.p_value.toPrecision(2)} `)
    const limits = [api.baseline.bottleneck?.limited_by, api.candidate.bottleneck?.limited_by]
    expect(row).toContain(
      limits[0] === limits[1] ? ` ${limits[0]} ` : ` ${limits[0]} → ${limits[1]} `,
    )
    expect(row).toContain('+vxlan ×2')
    expect(JSON.parse(json.stdout)).toEqual(api)
  }, 60_000)

  it('compare --lake gives offline, over normalize --out Parquet of the same files, the document the API gives', async () => {
    // Prepare: the same files with the same labels, normalized offline into two folders
    const lake = join(files, 'offline-lake')
    const names = (prefix: string) =>
      Array.from({ length: 5 }, (_, i) => join(files, `${prefix}-${i}.json`))
    const normalized = await Promise.all([
      runCli(
        [
          'normalize',
          '--out',
          join(lake, 'b'),
          '--label',
          'platform=baremetal',
          '--label',
          'scenario=baseline',
          ...names('baseline'),
        ],
        env,
      ),
      runCli(
        [
          'normalize',
          '--out',
          join(lake, 'c'),
          '--label',
          'platform=openstack',
          '--label',
          'scenario=os-s1',
          '--label',
          'mtu=1450',
          ...names('os-s1'),
        ],
        env,
      ),
    ])
    const token = readFileSync(stack.tokenFile, 'utf8').trim()
    const api = await (
      await fetch(`${stack.url}/v1/compare?candidate=os-s1`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()
    // Act: no stack reachable for this command (the API variable points at a closed port)
    const env0 = {
      ...env,
      NETLAKE_DATA_DIR: join(files, 'no-stack'),
      NETLAKE_API: 'http://127.0.0.1:9',
    }
    // and a copy of it whose os-s1 intervals file (one for the five runs) is cut short
    const damaged = join(files, 'damaged-lake')
    cpSync(lake, damaged, { recursive: true })
    const cut = (readdirSync(join(damaged, 'c'), { recursive: true }) as string[])
      .map((name) => join(damaged, 'c', name))
      .filter((path) => /intervals/.test(path) && path.endsWith('.parquet'))
      .sort()[0]
    writeFileSync(cut, readFileSync(cut).subarray(0, 20))
    const [offline, text, missing, skipping] = await Promise.all([
      runCli(['compare', '--lake', lake, '--candidate', 'os-s1', '--json'], env0),
      runCli(['compare', '--lake', lake, '--candidate', 'os-s1'], env0),
      runCli(['compare', '--lake', lake, '--candidate', 'kv-s9'], env0),
      runCli(['compare', '--lake', damaged, '--candidate', 'os-s1'], env0),
    ])
    // Assess
    for (const n of normalized) expect(n.code, n.stderr).toBe(0)
    expect(offline.code, offline.stderr).toBe(0)
    expect(JSON.parse(offline.stdout)).toEqual(api)
    expect(text.stdout.split('\n')[0]).toContain(`from the Parquet files under ${lake}`)
    expect(text.stdout.split('\n')[3]).toMatch(/^os-s1 +5 +4\.20 Gbit\/s .* WORSE /)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe("netlake compare: 404 no iperf3 tcp runs for scenario 'kv-s9'\n")
    expect(skipping.code, skipping.stderr).toBe(0)
    expect(skipping.stderr).toBe(
      `netlake compare: skipped unreadable file ${cut}: does not end with the Parquet magic PAR1 (truncated?) (qualification of its runs unknown)\n`,
    )
    expect(skipping.stdout.split('\n').slice(0, 4)).toEqual(
      text.stdout
        .split('\n')
        .slice(0, 4)
        .map((line) => line.replace(lake, damaged)),
    )
    expect(skipping.stdout).toContain(
      `note: candidate: the qualification of ${names('os-s1').length} run(s) is unknown: their interval rows are in a Parquet file that cannot be read (${cut};`,
    )
  }, 120_000)

  it('compare names the problem and exits 1 when the scenario has no runs', async () => {
    const res = await runCli(['compare', '--candidate', 'kv-s9'], env)
    expect(res).toMatchObject({ code: 1, stdout: '' })
    expect(res.stderr).toMatch(/^netlake compare: 404 no iperf3 tcp runs for scenario 'kv-s9'/)
  })

  it('the stack and netlake compact keep the symlink manifests equal to the committed files of each day', async () => {
    // Prepare
    const lake = await openLake(dataDir)
    if (typeof lake === 'string') throw new Error(lake)
    const manifestsMatch = async () => {
      const partitions = await lake.catalog.listPartitions()
      const days = new Set(partitions.map((p) => `${p.table}|${p.date}`))
      const mismatched: string[] = []
      for (const day of days) {
        const [table, date] = day.split('|') as ['runs', string]
        const committed = partitions
          .filter((p) => p.table === table && p.date === date)
          .flatMap((p) => p.files.map((f) => f.key))
          .sort()
        if ((await readManifest(lake.curated, table, date)).join() !== committed.join())
          mismatched.push(day)
      }
      return { days: days.size, mismatched }
    }

    try {
      // Act
      const afterIngest = await manifestsMatch()
      const compact = await runCli(['compact', '--json'], env)
      const afterCompact = await manifestsMatch()

      // Assess
      expect(afterIngest.days).toBeGreaterThan(0)
      expect(afterIngest.mismatched).toEqual([])
      expect(compact.code).toBe(0)
      expect(jsonLines(compact.stdout).some((r) => r.outcome === 'compacted')).toBe(true)
      expect(afterCompact.mismatched).toEqual([])
      const listed = (await lake.catalog.listPartitions()).flatMap((p) => p.files.map((f) => f.key))
      expect(listed.some((k) => k.includes('compacted-'))).toBe(true)
    } finally {
      lake.close()
    }
  }, 120_000)
})
