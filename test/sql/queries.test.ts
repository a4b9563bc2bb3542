import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDuckDb, type NodeDuckDb, type SqlParam, type SqlRow } from '#adapters/duckdb-node.ts'
import { bindValues, parseQueryFile, type QueryFile } from '#sql/query-file.ts'
import { planDatasets } from '#sql/dataset-views.ts'
import {
  LAB_DIR,
  labRows,
  labScenarios,
  serverRows,
  type LabRows,
  openLabDuckDb,
  replicateRows,
} from '../helpers/notebook-fixtures.ts'

const QUERY_DIR = path.resolve(import.meta.dirname, '../../sql/queries')

/** Every query file, parsed (a bad placeholder/params header fails here). */
const QUERIES: Record<string, QueryFile> = Object.fromEntries(
  readdirSync(QUERY_DIR)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => [
      f.replace(/\.sql$/, ''),
      parseQueryFile(f, readFileSync(path.join(QUERY_DIR, f), 'utf8')),
    ]),
)

const fixture = (scenario: string) =>
  JSON.parse(readFileSync(path.join(LAB_DIR, scenario, 'iperf3.json'), 'utf8')) as {
    end: { sum_received: { bits_per_second: number } }
    intervals: Array<{ sum: { bits_per_second: number; omitted: boolean } }>
  }

/** Lab latency table (summary.tsv): scenario → qperf tcp_lat in µs. */
const labLatencyUs = Object.fromEntries(
  readFileSync(path.join(LAB_DIR, 'summary.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'))
    .map((cols) => [cols[0], Number(cols[5])]),
)

describe('sql/queries/*.sql over lab Parquet in duckdb-wasm 1.28 (Node)', () => {
  let db: NodeDuckDb
  let rows: LabRows
  let dir: string

  const run = (name: string, values: Record<string, unknown> = {}): SqlRow[] =>
    db.query(QUERIES[name].sql, bindValues(QUERIES[name], values) as SqlParam[])

  beforeAll(async () => {
    rows = labRows()
    dir = mkdtempSync(path.join(tmpdir(), 'netlake-queries-'))
    db = await openLabDuckDb(dir, rows)
  })

  afterAll(async () => {
    await db?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('has the query files the notebook and reports use, each with declared parameters', () => {
    // Assess
    expect(Object.keys(QUERIES).sort()).toEqual([
      'intervals-by-run',
      'report-runs-in-window',
      'run-label-values',
      'sum-intervals-by-run',
      'sum-intervals-of-repetitions',
      'tcp-latency-by-scenario',
      'tcp-latency-runs-with-baseline',
      'tcp-medians-by-platform-scenario',
      'tcp-runs',
      'tcp-runs-by-platform-with-baseline',
      'tcp-throughput-by-profile-campaign',
      'tcp-throughput-by-scenario',
      'tcp-throughput-runs-with-baseline',
      'tcp-throughput-samples-with-baseline',
    ])
    expect(QUERIES['tcp-throughput-by-scenario'].params).toEqual([
      'platform',
      'scenario',
      'hardware_profile',
      'campaign',
      'date_from',
      'date_to',
    ])
    expect(QUERIES['sum-intervals-by-run'].params).toEqual(['run_id'])
  })

  it('tcp-throughput-by-scenario: one row per scenario, baseline fastest at its fixture goodput', () => {
    // Act
    const result = run('tcp-throughput-by-scenario')

    // Assess
    expect(result).toHaveLength(8)
    expect(result[0]).toMatchObject({
      platform: 'baremetal',
      scenario: 'baseline',
      n: 1,
      ceiling_bps: null,
    })
    expect(result[0].median_bps).toBe(fixture('baseline').end.sum_received.bits_per_second)
    expect(result[0].p5_bps).toBe(result[0].median_bps)
    for (const row of result) {
      expect(row.median_bps).toBe(fixture(row.scenario as string).end.sum_received.bits_per_second)
    }
    expect(result.map((r) => r.scenario).slice(-3)).toEqual(['os-s2b', 'kv-s2', 'os-s4'])
  })

  it('filters are bound parameters: platform, scenario, campaign and date range', () => {
    // Act
    const kubevirt = run('tcp-throughput-by-scenario', { platform: 'kubevirt' })
    const one = run('tcp-throughput-by-scenario', { scenario: 'os-s3', campaign: 'lab-2026-11-26' })
    const later = run('tcp-throughput-by-scenario', { date_from: '2026-11-27' })
    const sameDay = run('tcp-throughput-by-scenario', {
      date_from: '2026-11-26',
      date_to: '2026-11-26',
    })
    const injected = run('tcp-throughput-by-scenario', { platform: "x' OR '1'='1" })

    // Assess
    expect(kubevirt.map((r) => r.scenario)).toEqual(['kv-s1', 'kv-s2'])
    expect(one).toHaveLength(1)
    expect(one[0].median_bps).toBe(fixture('os-s3').end.sum_received.bits_per_second)
    expect(later).toEqual([])
    expect(sameDay).toHaveLength(8)
    expect(injected).toEqual([])
  })

  it('tcp-latency-by-scenario: qperf tcp_lat one-way latency, baseline lowest', () => {
    // Act
    const result = run('tcp-latency-by-scenario')

    // Assess
    expect(result).toHaveLength(8)
    expect(result[0]).toMatchObject({ platform: 'baremetal', scenario: 'baseline', n: 1 })
    for (const row of result) {
      expect(row.median_latency_s as number).toBeCloseTo(
        labLatencyUs[row.scenario as string] * 1e-6,
        12,
      )
    }
    expect(result.at(-1)!.scenario).toBe('os-s2b')
  })

  it('tcp-medians-by-platform-scenario: throughput and latency medians side by side', () => {
    // Act
    const result = run('tcp-medians-by-platform-scenario')

    // Assess
    expect(result.map((r) => `${r.platform}/${r.scenario}`)).toEqual([
      'baremetal/baseline',
      'kubevirt/kv-s1',
      'kubevirt/kv-s2',
      'openstack/os-s1',
      'openstack/os-s2a',
      'openstack/os-s2b',
      'openstack/os-s3',
      'openstack/os-s4',
    ])
    const kv2 = result.find((r) => r.scenario === 'kv-s2')!
    expect(kv2).toMatchObject({ throughput_n: 1, latency_n: 1 })
    expect(kv2.median_throughput_bps).toBe(fixture('kv-s2').end.sum_received.bits_per_second)
    expect(kv2.median_latency_s as number).toBeCloseTo(7.53e-6, 12)
  })

  it('tcp-throughput-samples-with-baseline: each virtual run paired with the bare-metal run of its key', () => {
    // Prepare
    const baseline = rows.runs.find((r) => r.scenario === 'baseline' && r.tool === 'iperf3')!

    // Act
    const result = run('tcp-throughput-samples-with-baseline')

    // Assess
    expect(result).toHaveLength(14)
    const base = result.filter((r) => r.role === 'baseline')
    expect(base).toHaveLength(7)
    expect(new Set(base.map((r) => r.run_id))).toEqual(new Set([baseline.run_id]))
    expect(
      base.every((r) => r.throughput_bps === fixture('baseline').end.sum_received.bits_per_second),
    ).toBe(true)
    const s2b = result.find((r) => r.role === 'scenario' && r.scenario === 'os-s2b')!
    expect(s2b.throughput_bps).toBe(fixture('os-s2b').end.sum_received.bits_per_second)
    expect(s2b.comparison_key).toBe(baseline.comparison_key)
  })

  it('sum-intervals-by-run: the per-second sum rows of one run, in order', () => {
    // Prepare
    const baseline = rows.runs.find((r) => r.scenario === 'baseline' && r.tool === 'iperf3')!
    const expected = fixture('baseline').intervals.map((i) => i.sum)

    // Act
    const result = run('sum-intervals-by-run', { run_id: baseline.run_id })

    // Assess
    expect(result.map((r) => r.bits_per_second)).toEqual(expected.map((s) => s.bits_per_second))
    expect(result.map((r) => r.omitted)).toEqual(expected.map((s) => s.omitted))
    expect(result.every((r) => r.run_id === baseline.run_id && r.direction === 'forward')).toBe(
      true,
    )
  })

  it('tcp-runs, tcp-throughput-by-profile-campaign and run-label-values list the 8 lab scenarios', () => {
    // Act
    const runs = run('tcp-runs')
    const profiles = run('tcp-throughput-by-profile-campaign', {
      hardware_profile: 'one-box-2vcpu',
    })
    const labels = run('run-label-values')

    // Assess
    expect(runs).toHaveLength(8)
    expect(runs[0]).toMatchObject({ scenario: 'kv-s2', started_at: '2026-11-26T08:01:05.000Z' })
    expect(profiles).toHaveLength(8)
    expect(
      profiles.every((r) => r.campaign === 'lab-2026-11-26' && r.first_date === '2026-11-26'),
    ).toBe(true)
    expect(labels).toHaveLength(8)
    expect(labels[0]).toEqual({
      platform: 'baremetal',
      scenario: 'baseline',
      hardware_profile: 'one-box-2vcpu',
      campaign: 'lab-2026-11-26',
    })
  })

  it('a plan without the files found unreadable keeps the other files under their names and leaves their rows out', () => {
    // Prepare
    const ref = (key: string, rows: number) => ({
      url: `/data/${key}`,
      key,
      platform: 'openstack',
      date: '2026-11-26',
      rows,
      bytes: rows * 100,
    })
    const manifest = {
      generated_at: '',
      tables: { runs: [ref('a', 2), ref('b', 3), ref('c', 5)], intervals: [], metrics: [] },
    }
    const skipped = [{ key: 'b', reason: 'DuckDB cannot read it' }]

    // Act
    const whole = planDatasets(manifest, 'http://127.0.0.1/')
    const rest = planDatasets(manifest, 'http://127.0.0.1/', skipped)

    // Assess
    expect(whole.files.map((f) => [f.name, f.key])).toEqual([
      ['runs-0.parquet', 'a'],
      ['runs-1.parquet', 'b'],
      ['runs-2.parquet', 'c'],
    ])
    expect(rest.files.map((f) => [f.name, f.key])).toEqual([
      ['runs-0.parquet', 'a'],
      ['runs-2.parquet', 'c'],
    ])
    expect([whole.rows.runs, rest.rows.runs]).toEqual([2 + 3 + 5, 2 + 5])
    expect([whole.bytes, rest.bytes]).toEqual([1000, 700])
    expect(rest.skipped).toEqual(skipped)
    expect(rest.statements[0]).toContain("read_parquet(['runs-0.parquet', 'runs-2.parquet']")
  })

  it('an empty lake gives typed empty views, so every query still runs and returns no rows', async () => {
    // Prepare
    const empty = await createDuckDb()
    const plan = planDatasets(
      { generated_at: '', tables: { runs: [], intervals: [], metrics: [] } },
      'http://127.0.0.1/',
    )

    try {
      // Act
      for (const statement of plan.statements) empty.query(statement)
      const counts = Object.values(QUERIES).map(
        (q) => empty.query(q.sql, bindValues(q, { run_id: 'x' }) as SqlParam[]).length,
      )
      const columns = empty.queryWithColumns(
        'SELECT throughput_bps, started_at, stream FROM runs, intervals',
      ).columns

      // Assess
      expect(plan.files).toEqual([])
      expect(counts).toEqual(Object.keys(QUERIES).map(() => 0))
      expect(columns.map((c) => c.type)).toEqual(['Float64', 'Timestamp<MICROSECOND>', 'Int32'])
    } finally {
      await empty.close()
    }
  })
})

describe('every query file leaves server-side iperf3 documents out (the one client-run definition)', () => {
  /** Open a lake of the lab's client rows, plus the server documents when asked. */
  async function openLake(dir: string, withServers: boolean): Promise<NodeDuckDb> {
    const rows = labRows()
    if (withServers) {
      const servers = serverRows()
      rows.runs.push(...servers.runs)
      rows.intervals.push(...servers.intervals)
      rows.metrics.push(...servers.metrics)
    }
    const db = await openLabDuckDb(dir, rows)
    return db
  }

  it('gives the same rows with and without the server documents in the lake, for every file', async () => {
    // Prepare
    const dirs = [true, false].map(() => mkdtempSync(path.join(tmpdir(), 'netlake-servers-')))
    const [clientsOnly, withServers] = [
      await openLake(dirs[0], false),
      await openLake(dirs[1], true),
    ]
    const serverRunIds = serverRows().runs.map((r) => r.run_id)
    const clientRunId = labRows().runs.find((r) => r.tool === 'iperf3')!.run_id
    try {
      for (const [name, file] of Object.entries(QUERIES)) {
        for (const runId of [clientRunId, serverRunIds[0]]) {
          // Act
          const values = { run_id: runId }
          const [a, b] = [clientsOnly, withServers].map((db) =>
            db.query(file.sql, bindValues(file, values) as SqlParam[]),
          )
          // Assess
          expect(b, `${name}.sql with run_id ${runId}`).toEqual(a)
          expect(JSON.stringify(b)).not.toMatch(new RegExp(serverRunIds.join('|')))
        }
      }
      // The server documents are really in the second lake, with other rates than their clients
      const count = (db: NodeDuckDb) => db.query('SELECT count(*)::INTEGER AS n FROM runs')[0].n
      expect(count(withServers)).toBe((count(clientsOnly) as number) + serverRunIds.length)
      expect(serverRunIds.length).toBe(labScenarios().length)
    } finally {
      await Promise.all([clientsOnly.close(), withServers.close()])
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('the bare-metal baselines of the query files follow the campaign filter, as GET /v1/compare does', () => {
  it('takes the baselines of a campaign-filtered selection from that campaign only', async () => {
    // Prepare: 8 copies of the lab runs; campaigns lab-c0 and lab-c2 share a hardware profile, so
    // their bare-metal runs share every comparison key and only the campaign tells them apart
    const dir = mkdtempSync(path.join(tmpdir(), 'netlake-baseline-campaign-'))
    const rows = replicateRows(labRows(), 8)
    const db = await openLabDuckDb(dir, rows)
    const bareOf = (campaign: string, tool: string) =>
      rows.runs
        .filter((r) => r.platform === 'baremetal' && r.role !== 'server' && r.tool === tool)
        .filter((r) => r.test === (tool === 'iperf3' ? 'tcp' : 'tcp_lat'))
        .filter((r) => r.campaign === campaign)
        .map((r) => r.run_id)
        .sort()
    const run = (name: string) =>
      db.query(
        QUERIES[name].sql,
        bindValues(QUERIES[name], { scenario: 'os-s1', campaign: 'lab-c0' }) as SqlParam[],
      )
    const baselines = (name: string, tool: string) =>
      [...new Set(run(name).filter((r) => r.role === 'baseline' && (r.metric ?? tool) === tool))]
        .map((r) => r.run_id as string)
        .sort()
    try {
      // Act + Assess: the same two bare-metal runs (copies 0 and 4) each time, never lab-c2's
      expect(bareOf('lab-c0', 'iperf3')).toHaveLength(2)
      expect(bareOf('lab-c2', 'iperf3')).toHaveLength(2)
      expect(baselines('tcp-throughput-runs-with-baseline', 'iperf3')).toEqual(
        bareOf('lab-c0', 'iperf3'),
      )
      expect(baselines('tcp-latency-runs-with-baseline', 'qperf')).toEqual(
        bareOf('lab-c0', 'qperf'),
      )
      expect(baselines('tcp-runs-by-platform-with-baseline', 'throughput_bps')).toEqual(
        bareOf('lab-c0', 'iperf3'),
      )
      expect(baselines('tcp-runs-by-platform-with-baseline', 'latency_s')).toEqual(
        bareOf('lab-c0', 'qperf'),
      )
      expect(
        [
          ...new Set(
            run('tcp-throughput-samples-with-baseline')
              .filter((r) => r.role === 'baseline')
              .map((r) => r.run_id as string),
          ),
        ].sort(),
      ).toEqual(bareOf('lab-c0', 'iperf3'))
    } finally {
      await db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
