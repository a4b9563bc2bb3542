import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NodeDuckDb, SqlParam, SqlRow } from '#adapters/duckdb-node.ts'
import { bindValues, parseQueryFile } from '#sql/query-file.ts'
import {
  labRows,
  replicateRows,
  type LabRows,
  openLabDuckDb,
} from '../helpers/notebook-fixtures.ts'

const QUERY_DIR = path.resolve(import.meta.dirname, '../../sql/queries')
const query = (name: string) =>
  parseQueryFile(name, readFileSync(path.join(QUERY_DIR, `${name}.sql`), 'utf8'))

/** The query files the throughput and time-series pages read, over two hardware profiles. */
describe('tcp-throughput-runs-with-baseline and intervals-by-run (duckdb-wasm 1.28, Node)', () => {
  let db: NodeDuckDb
  let rows: LabRows
  let dir: string

  const run = (name: string, values: Record<string, unknown> = {}): SqlRow[] => {
    const file = query(name)
    return db.query(file.sql, bindValues(file, values) as SqlParam[])
  }

  beforeAll(async () => {
    rows = replicateRows(labRows(), 4)
    dir = mkdtempSync(path.join(tmpdir(), 'netlake-page-queries-'))
    db = await openLabDuckDb(dir, rows)
  })

  afterAll(async () => {
    await db?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('returns the filtered runs and, whatever the platform and profile filters, the bare-metal runs of their keys', () => {
    // Prepare
    const tcp = rows.runs.filter((r) => r.tool === 'iperf3' && r.status === 'ok')
    const chosen = tcp.filter(
      (r) => r.platform === 'openstack' && r.hardware_profile === 'one-box-4vcpu',
    )
    const keys = new Set(chosen.map((r) => r.comparison_key))
    const matched = tcp.filter((r) => r.platform === 'baremetal' && keys.has(r.comparison_key))

    // Act
    const result = run('tcp-throughput-runs-with-baseline', {
      platform: 'openstack',
      hardware_profile: 'one-box-4vcpu',
    })

    // Assess
    expect(
      result
        .filter((r) => r.role === 'run')
        .map((r) => r.run_id)
        .sort(),
    ).toEqual(chosen.map((r) => r.run_id).sort())
    expect(
      result
        .filter((r) => r.role === 'baseline')
        .map((r) => r.run_id)
        .sort(),
    ).toEqual(matched.map((r) => r.run_id).sort())
    expect(matched.length).toBe(2)
    expect(result.find((r) => r.run_id === chosen[0].run_id)!.throughput_bps).toBe(
      chosen[0].throughput_bps,
    )
  })

  it('tcp-latency-runs-with-baseline: the filtered tcp_lat runs and the bare-metal runs of their keys', () => {
    // Prepare
    const lat = rows.runs.filter(
      (r) => r.tool === 'qperf' && r.test === 'tcp_lat' && r.status === 'ok',
    )
    const chosen = lat.filter((r) => r.platform === 'kubevirt')
    const keys = new Set(chosen.map((r) => r.comparison_key))
    const matched = lat.filter((r) => r.platform === 'baremetal' && keys.has(r.comparison_key))

    // Act
    const result = run('tcp-latency-runs-with-baseline', { platform: 'kubevirt' })

    // Assess
    const ids = (role: string) =>
      result
        .filter((r) => r.role === role)
        .map((r) => r.run_id)
        .sort()
    expect(ids('run')).toEqual(chosen.map((r) => r.run_id).sort())
    expect(ids('baseline')).toEqual(matched.map((r) => r.run_id).sort())
    expect(matched.length).toBe(4) // one bare-metal run per copy, both profiles
    expect(result.find((r) => r.run_id === chosen[0].run_id)!.latency_s).toBe(chosen[0].latency_s)
  })

  it('tcp-runs-by-platform-with-baseline: both metrics per run, each baseline row in its own metric', () => {
    // Prepare
    const ok = rows.runs.filter((r) => r.status === 'ok' && r.role !== 'server')
    const tcp = ok.filter((r) => r.tool === 'iperf3' && r.test === 'tcp')
    const lat = ok.filter((r) => r.tool === 'qperf' && r.test === 'tcp_lat')
    const four = (r: (typeof rows.runs)[number]) => r.hardware_profile === 'one-box-4vcpu'

    // Act
    const all = run('tcp-runs-by-platform-with-baseline')
    const openstack = run('tcp-runs-by-platform-with-baseline', {
      platform: 'openstack',
      hardware_profile: 'one-box-4vcpu',
    })

    // Assess
    const pick = (result: SqlRow[], metric: string, role: string) =>
      result
        .filter((r) => r.metric === metric && r.role === role)
        .map((r) => `${r.run_id}=${r.value}`)
        .sort()
    const as = (runs: typeof tcp, value: (r: (typeof tcp)[number]) => unknown) =>
      runs.map((r) => `${r.run_id}=${value(r)}`).sort()
    expect(pick(all, 'throughput_bps', 'run')).toEqual(as(tcp, (r) => r.throughput_bps))
    expect(pick(all, 'latency_s', 'run')).toEqual(as(lat, (r) => r.latency_s))
    expect(all.filter((r) => r.role === 'baseline')).toEqual([]) // bare metal is already chosen
    const bare = (runs: typeof tcp) => runs.filter((r) => r.platform === 'baremetal' && four(r))
    expect(pick(openstack, 'throughput_bps', 'baseline')).toEqual(
      as(bare(tcp), (r) => r.throughput_bps),
    )
    expect(pick(openstack, 'latency_s', 'baseline')).toEqual(as(bare(lat), (r) => r.latency_s))
    expect(pick(openstack, 'latency_s', 'run')).toEqual(
      as(
        lat.filter((r) => r.platform === 'openstack' && four(r)),
        (r) => r.latency_s,
      ),
    )
  })

  it('intervals-by-run gives every stream and the sum of one run, omitted ones flagged', () => {
    // Prepare
    const id = rows.runs.find((r) => r.tool === 'iperf3' && r.scenario === 'os-s1')!.run_id
    const own = rows.intervals.filter((i) => i.run_id === id)

    // Act
    const result = run('intervals-by-run', { run_id: id })

    // Assess
    expect(result).toHaveLength(own.length)
    expect(new Set(result.map((r) => r.stream))).toEqual(new Set(own.map((i) => i.stream)))
    expect(result.filter((r) => r.omitted === true).length).toBe(
      own.filter((i) => i.omitted).length,
    )
  })

  it("sum-intervals-of-repetitions gives the sum rows of every run sharing the chosen run's group", () => {
    // Prepare
    const tcp = rows.runs.filter(
      (r) => r.tool === 'iperf3' && r.status === 'ok' && r.role !== 'server',
    )
    const chosen = tcp.find((r) => r.scenario === 'kv-s2')!
    const group = tcp.filter(
      (r) =>
        r.platform === chosen.platform &&
        r.scenario === chosen.scenario &&
        r.hardware_profile === chosen.hardware_profile &&
        r.comparison_key === chosen.comparison_key,
    )
    const ids = new Set(group.map((r) => r.run_id))
    const sums = rows.intervals.filter((i) => ids.has(i.run_id) && i.stream === -1)

    // Act
    const result = run('sum-intervals-of-repetitions', { run_id: chosen.run_id })

    // Assess
    expect(group.length).toBe(2)
    expect(new Set(result.map((r) => r.run_id))).toEqual(ids)
    expect(result).toHaveLength(sums.length)
    expect(result.filter((r) => r.omitted === true).length).toBe(
      sums.filter((i) => i.omitted).length,
    )
    const total = (xs: Array<Record<string, unknown>>) =>
      xs.reduce((a, r) => a + Number(r.bits_per_second), 0)
    expect(total(result)).toBeCloseTo(total(sums), 3)
  })
})
