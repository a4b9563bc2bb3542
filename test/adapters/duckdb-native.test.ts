import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckDbClosedError, DuckDbQueryError } from '#adapters/duckdb-node.ts'
import { createNativeEngine } from '#adapters/duckdb-native.ts'
import type { SqlEngine } from '#adapters/duckdb-engine.ts'
import { createParquetWriter } from '#adapters/parquet-writer.ts'

let db: SqlEngine
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'netlake-native-test-'))
  db = await createNativeEngine({ tempDir: dir })
})

afterAll(async () => {
  await db.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('createNativeEngine (@duckdb/node-api)', () => {
  it('is DuckDB 1.5 with Parquet built in, and never installs or loads extensions', async () => {
    // Act
    const settings = await db.query(
      "SELECT current_setting('autoinstall_known_extensions') AS install, current_setting('autoload_known_extensions') AS load",
    )
    const parquet = await db.query(
      "SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_name = 'read_parquet'",
    )

    // Assess
    expect(db.kind).toBe('native')
    expect(db.version).toMatch(/^v1\.5\.\d+$/)
    expect(settings).toEqual([{ install: false, load: false }])
    expect(parquet).toEqual([{ function_name: 'read_parquet' }])
  })

  it('binds $n parameters in order instead of interpolating them; BIGINT beyond 2^53 stays bigint', async () => {
    // Prepare
    const hostile = "x'); DROP TABLE t; --"

    // Act
    const rows = await db.query(
      'SELECT $1 AS s, $2::INTEGER + 1 AS n, 9007199254740993::BIGINT AS unsafe, CAST($3 AS VARCHAR) IS NULL AS unset',
      [hostile, 41, null],
    )

    // Assess
    expect(rows).toEqual([{ s: hostile, n: 42, unsafe: 9_007_199_254_740_993n, unset: true }])
  })

  it('reads registered buffers and files by their relative names, as duckdb-wasm does', async () => {
    // Prepare
    const writer = await createParquetWriter()
    const metric = { run_id: 'r1', name: 'send_cost', value: 1.5, unit: 's/B', text_value: null }
    const bytes = writer.write('metrics', [metric])
    const onDisk = path.join(dir, 'elsewhere.parquet')
    writeFileSync(onDisk, writer.write('metrics', [{ ...metric, run_id: 'r2' }]))

    // Act
    await db.registerBuffer('metrics-0.parquet', bytes)
    await db.registerFile('metrics-1.parquet', onDisk)
    const rows = await db.query(
      "SELECT run_id, value FROM read_parquet(['metrics-0.parquet', 'metrics-1.parquet']) ORDER BY run_id",
    )

    // Assess
    expect(rows).toEqual([
      { run_id: 'r1', value: 1.5 },
      { run_id: 'r2', value: 1.5 },
    ])
    await expect(db.registerBuffer('../escape.parquet', bytes)).rejects.toThrow(RangeError)
  })

  it('names the statement in its errors, refuses queries once closed and removes its folder', async () => {
    // Prepare
    const other = await createNativeEngine({ tempDir: dir })
    const before = readdirSync(dir).filter((f) => f.startsWith('netlake-duckdb-'))

    // Act
    const error = await other.query('SELEC 1').catch((e: unknown) => e)
    await other.close()
    await other.close()
    const after = readdirSync(dir).filter((f) => f.startsWith('netlake-duckdb-'))

    // Assess
    expect(error).toBeInstanceOf(DuckDbQueryError)
    expect((error as Error).message).toMatch(/syntax error[\s\S]*\(in: SELEC 1\)$/i)
    await expect(other.query('SELECT 1')).rejects.toBeInstanceOf(DuckDbClosedError)
    expect(before).toHaveLength(2)
    expect(after).toHaveLength(1)
  })
})
