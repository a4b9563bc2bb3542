import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckDbClosedError, DuckDbQueryError, createDuckDb } from '#adapters/duckdb-node.ts'
import type { NodeDuckDb } from '#adapters/duckdb-node.ts'
import { createParquetWriter } from '#adapters/parquet-writer.ts'

let db: NodeDuckDb
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'netlake-duckdb-'))
  db = await createDuckDb({ homeDirectory: path.join(dir, 'home') })
})

afterAll(async () => {
  await db.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('createDuckDb (duckdb-wasm in Node)', () => {
  it('is DuckDB 0.9.1, the engine of duckdb-wasm 1.28.0', () => {
    // Assess
    expect(db.version).toBe('v0.9.1')
  })

  it('never installs or loads extensions at run time (no network), and has Parquet built in', () => {
    // Act
    const settings = db.query(
      "SELECT current_setting('autoinstall_known_extensions') AS install, current_setting('autoload_known_extensions') AS load",
    )
    const parquet = db.query(
      "SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_name = 'read_parquet'",
    )

    // Assess
    expect(settings).toEqual([{ install: false, load: false }])
    expect(parquet).toEqual([{ function_name: 'read_parquet' }])
  })

  it('binds parameters in order instead of interpolating them', () => {
    // Prepare
    const hostile = "x'); DROP TABLE t; --"

    // Act
    const rows = db.query('SELECT ? AS s, ?::INTEGER + 1 AS n, ?::BIGINT AS b, ?::DOUBLE AS d', [
      hostile,
      41,
      7_000_000_000,
      0.5,
    ])

    // Assess
    expect(rows).toEqual([{ s: hostile, n: 42, b: 7_000_000_000, d: 0.5 }])
  })

  it('converts BIGINT to number when exact and keeps bigint beyond 2^53', () => {
    // Act
    const rows = db.query(
      'SELECT 9007199254740991::BIGINT AS safe, 9007199254740993::BIGINT AS unsafe, NULL::BIGINT AS none',
    )

    // Assess
    expect(rows).toEqual([
      { safe: 9_007_199_254_740_991, unsafe: 9_007_199_254_740_993n, none: null },
    ])
  })

  it('returns timestamps as ISO strings in UTC, with or without zone, and dates as YYYY-MM-DD', () => {
    // Act
    const rows = db.query(
      "SELECT TIMESTAMP '2026-11-26 07:44:42.123' AS t, TIMESTAMPTZ '2026-11-26 08:44:42.123+01' AS tz, DATE '2026-11-26' AS d",
    )

    // Assess
    expect(rows).toEqual([
      { t: '2026-11-26T07:44:42.123Z', tz: '2026-11-26T07:44:42.123Z', d: '2026-11-26' },
    ])
  })

  it('converts decimals (SUM of BIGINT is HUGEINT) to numbers', () => {
    // Act
    const rows = db.query(
      'SELECT SUM(x) AS s, 12.34::DECIMAL(10, 2) AS d, -0.5::DECIMAL(20, 3) AS n FROM range(1, 5) t(x)',
    )

    // Assess
    expect(rows).toEqual([{ s: 10, d: 12.34, n: -0.5 }])
  })

  it('reports result column types', () => {
    // Act
    const { columns } = db.queryWithColumns('SELECT 1::BIGINT AS a, 1.5::DOUBLE AS b, true AS c')

    // Assess
    expect(columns).toEqual([
      { name: 'a', type: 'Int64' },
      { name: 'b', type: 'Float64' },
      { name: 'c', type: 'Bool' },
    ])
  })

  it('reads a registered buffer and a registered local file by name', async () => {
    // Prepare
    const bytes = (await createParquetWriter()).write('metrics', [
      { run_id: 'r1', name: 'loc_cpus_used', value: 0.99, unit: 'percent', text_value: null },
      { run_id: 'r1', name: 'send_cost', value: 1.5e-9, unit: 's/B', text_value: null },
    ])
    const file = path.join(dir, 'on-disk.parquet')
    writeFileSync(file, bytes)

    // Act
    db.registerBuffer('in-memory.parquet', bytes)
    db.registerFile('from-disk.parquet', file)
    const sql = (name: string) =>
      `SELECT name, value FROM read_parquet('${name}') WHERE unit = ? ORDER BY name`
    const fromBuffer = db.query(sql('in-memory.parquet'), ['s/B'])
    const fromFile = db.query(sql('from-disk.parquet'), ['s/B'])
    const byPath = db.query(`SELECT count(*) AS n FROM read_parquet('${file}')`)

    // Assess
    expect(fromBuffer).toEqual([{ name: 'send_cost', value: 1.5e-9 }])
    expect(fromFile).toEqual(fromBuffer)
    expect(byPath).toEqual([{ n: 2 }])
  })

  it('raises DuckDbQueryError naming the statement, and stays usable', () => {
    // Act
    const act = () => db.query('SELECT * FROM no_such_table WHERE x = ?', [1])

    // Assess
    expect(act).toThrow(DuckDbQueryError)
    expect(act).toThrow(/no_such_table/)
    expect(db.query('SELECT 1 AS one')).toEqual([{ one: 1 }])
  })

  it('closes idempotently and refuses queries afterwards', async () => {
    // Prepare
    const other = await createDuckDb({ homeDirectory: path.join(dir, 'home2') })
    expect(other.query('SELECT 2 AS two')).toEqual([{ two: 2 }])

    // Act
    await other.close()
    await other.close()

    // Assess
    expect(() => other.query('SELECT 1')).toThrow(DuckDbClosedError)
  })

  it('binds booleans as integers (a duckdb-wasm 1.28 limitation): cast with ?::BOOLEAN', () => {
    // Act
    const rows = db.query('SELECT ? AS raw, ?::BOOLEAN AS cast', [true, true])

    // Assess
    expect(rows).toEqual([{ raw: 1, cast: true }])
  })
})
