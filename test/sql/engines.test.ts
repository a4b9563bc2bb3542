import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createSqlEngine,
  type SqlEngine,
  type SqlParam,
  type SqlRow,
} from '#adapters/duckdb-engine.ts'
import { bindValues, parseQueryFile, type QueryFile } from '#sql/query-file.ts'
import { produceReport } from '#functions/report/produce-report.ts'
import {
  labRows,
  replicateRows,
  serverRows,
  writeLabParquet,
  labDatasetPlan,
} from '../helpers/notebook-fixtures.ts'

const QUERY_DIR = path.resolve(import.meta.dirname, '../../sql/queries')

/** Every query file in sql/queries/, so a new file is covered without editing this test. */
const QUERIES: QueryFile[] = readdirSync(QUERY_DIR)
  .filter((f) => f.endsWith('.sql'))
  .sort()
  .map((f) => parseQueryFile(f, readFileSync(path.join(QUERY_DIR, f), 'utf8')))

/** Floats may differ in the last bits between DuckDB versions (summation order); nothing else may. */
function expectSameRows(native: SqlRow[], wasm: SqlRow[], what: string): void {
  expect(native.length, `${what}: row count`).toBe(wasm.length)
  native.forEach((row, i) => {
    expect(Object.keys(row), `${what}: columns of row ${i}`).toEqual(Object.keys(wasm[i]))
    for (const [name, value] of Object.entries(row)) {
      const other = wasm[i][name]
      if (typeof value === 'number' && typeof other === 'number' && !Number.isInteger(other)) {
        expect(Math.abs(value - other), `${what}: row ${i}.${name}`).toBeLessThanOrEqual(
          1e-12 * Math.max(Math.abs(value), Math.abs(other)),
        )
      } else expect(value, `${what}: row ${i}.${name}`).toEqual(other)
    }
  })
}

describe('every query file gives the same rows on native DuckDB and on duckdb-wasm 1.28', () => {
  let dir: string
  const engines: Record<'native' | 'wasm', SqlEngine> = {} as never
  let rows: ReturnType<typeof labRows>
  let runsFiles: Uint8Array[]

  beforeAll(async () => {
    // 30 copies of the lab (client and server documents) over two days, so medians interpolate,
    // filters cut and the server-document exclusion matters.
    const base = labRows()
    const servers = serverRows()
    base.runs.push(...servers.runs)
    base.intervals.push(...servers.intervals)
    base.metrics.push(...servers.metrics)
    rows = replicateRows(base, 30)
    dir = mkdtempSync(path.join(tmpdir(), 'netlake-engines-'))
    const files = await writeLabParquet(dir, rows)
    runsFiles = files
      .filter((f) => f.table === 'runs')
      .map((f) => new Uint8Array(readFileSync(path.join(dir, f.file))))
    const plan = labDatasetPlan(dir, files)
    for (const kind of ['native', 'wasm'] as const) {
      const engine = await createSqlEngine(kind)
      for (const file of plan.files) await engine.registerFile(file.name, plan.localPath(file.url))
      for (const statement of plan.statements) await engine.query(statement)
      engines[kind] = engine
    }
  })

  afterAll(async () => {
    await Promise.all(Object.values(engines).map((e) => e.close()))
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('runs on the two engines it claims to', async () => {
    // Act
    const [native, wasm] = [engines.native.version, engines.wasm.version]
    const count = await engines.native.query('SELECT count(*) AS n FROM runs')

    // Assess
    expect(native).toMatch(/^v1\.5\./)
    expect(wasm).toBe('v0.9.1')
    expect(count).toEqual([{ n: rows.runs.length }])
  })

  const client = () => rows.runs.find((r) => r.tool === 'iperf3' && r.role !== 'server')!
  const server = () => rows.runs.find((r) => r.role === 'server')!
  const cases: Array<[string, () => Record<string, unknown>]> = [
    ['no filter', () => ({})],
    ['platform openstack', () => ({ platform: 'openstack' })],
    ['scenario + profile', () => ({ scenario: 'os-s1', hardware_profile: 'one-box-4vcpu' })],
    ['campaign', () => ({ campaign: 'lab-c1' })],
    ['first day only', () => ({ date_from: client().date, date_to: client().date })],
    ['client run id', () => ({ run_id: client().run_id, date_from: '2026-11-27' })],
    ['server run id', () => ({ run_id: server().run_id })],
  ]

  for (const file of QUERIES) {
    it(`${file.name}: equal on both engines under every filter`, async () => {
      let nonEmpty = 0
      for (const [label, values] of cases) {
        // Act
        const params = bindValues(file, values()) as SqlParam[]
        const [native, wasm] = await Promise.all([
          engines.native.query(file.sql, params),
          engines.wasm.query(file.sql, params),
        ])

        // Assess
        expectSameRows(native, wasm, `${file.name} (${label})`)
        if (native.length > 0) nonEmpty++
      }
      expect(nonEmpty, `${file.name}: some filter returns rows`).toBeGreaterThan(0)
    })
  }

  it('converts values alike: integers, hugeints, decimals, timestamps, dates, lists, nulls', async () => {
    // Prepare
    const sql = `SELECT 42::BIGINT AS big, sum(x)::HUGEINT AS huge, 1.25::DECIMAL(10,2) AS dec,
      TIMESTAMP '2026-11-26 08:01:05.123456' AS ts, DATE '2026-11-26' AS d, [1, 2] AS l,
      NULL::VARCHAR AS nothing, $1 AS bound FROM (SELECT 1 AS x UNION ALL SELECT 2)`

    // Act
    const [native, wasm] = await Promise.all(
      [engines.native, engines.wasm].map((e) => e.query(sql, ['a'])),
    )

    // Assess
    expect(native).toEqual([
      {
        big: 42,
        huge: 3,
        dec: 1.25,
        ts: '2026-11-26T08:01:05.123Z',
        d: '2026-11-26',
        l: [1, 2],
        nothing: null,
        bound: 'a',
      },
    ])
    expect(wasm).toEqual(native)
  })

  it('produceReport: the same report model on both engines', async () => {
    // Prepare
    const days = [...new Set(rows.runs.map((r) => r.date).filter((d) => d !== null))].sort()
    const window = { from: days.at(-1)!, to: days.at(-1)!, minN: 3 }
    const at = new Date('2026-11-28T06:00:00Z')

    // Act
    const native = await produceReport(runsFiles, window, at, { engine: 'native' })
    const wasm = await produceReport(runsFiles, window, at, { engine: 'wasm' })

    // Assess
    expect(days.length).toBeGreaterThan(1)
    expect(native.model.window).toEqual({ from: days.at(-1), to: days.at(-1) })
    expect(native.model.totals.runs).toBe(
      rows.runs.filter((r) => r.date === days.at(-1) && r.role !== 'server').length,
    )
    // one overhead row per virtual (scenario, hardware profile, comparison key) group of the window
    const groups = rows.runs.filter(
      (r) =>
        r.date === days.at(-1) &&
        r.role !== 'server' &&
        r.tool === 'iperf3' &&
        r.test === 'tcp' &&
        r.status === 'ok' &&
        r.platform !== 'baremetal',
    )
    expect(native.model.overhead).toHaveLength(
      new Set(groups.map((r) => `${r.scenario}|${r.hardware_profile}|${r.comparison_key}`)).size,
    )
    expect(native.model.changes.length).toBeGreaterThanOrEqual(1)
    expect(native.json).toBe(wasm.json)
    expect(native.md).toBe(wasm.md)
  })
})
