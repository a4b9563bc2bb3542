import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDuckDb } from '#adapters/duckdb-node.ts'
import type { NodeDuckDb } from '#adapters/duckdb-node.ts'
import { createParquetWriter, readParquetRows } from '#adapters/parquet-writer.ts'
import { emptyIntervalRow } from '#core/rows.ts'
import type { IntervalRow } from '#schemas/tables.ts'

let db: NodeDuckDb

beforeAll(async () => {
  db = await createDuckDb()
})

afterAll(async () => {
  await db.close()
})

function intervals(runId: string, count: number): IntervalRow[] {
  return Array.from({ length: count }, (_, i) => ({
    ...emptyIntervalRow(),
    run_id: runId,
    stream: i % 4,
    start_s: i,
    end_s: i + 1,
    bytes: 7_000_000_000 + i,
    omitted: i === 0,
  }))
}

describe('ParquetFileBuilder (parquet-wasm, the one writer netlake ships)', () => {
  const engine = 'wasm'
  it('writes rows appended in pieces as one file, in order, one row group', async () => {
    // Prepare
    const writer = await createParquetWriter()
    const builder = writer.builder('intervals')
    const pieces = [intervals('a', 3), [], intervals('b', 5000), intervals('c', 2)]

    // Act
    for (const piece of pieces) builder.append(piece)
    const appended = builder.rows
    const bytes = builder.finish()
    db.registerBuffer(`built-${engine}.parquet`, bytes)
    const summary = db.query(
      `SELECT run_id, count(*) AS n, sum(bytes) AS total FROM read_parquet('built-${engine}.parquet') GROUP BY run_id ORDER BY run_id`,
    )
    const groups = db.query(
      `SELECT count(DISTINCT row_group_id) AS groups FROM parquet_metadata('built-${engine}.parquet')`,
    )

    // Assess
    expect(appended).toBe(5005)
    expect(summary).toEqual([
      { run_id: 'a', n: 3, total: 21_000_000_003 },
      { run_id: 'b', n: 5000, total: 35_000_012_497_500 },
      { run_id: 'c', n: 2, total: 14_000_000_001 },
    ])
    expect(groups).toEqual([{ groups: 1 }])
    expect((await readParquetRows(bytes)).slice(0, 3)).toEqual(intervals('a', 3))
  })

  it('is empty again after finish, and an empty finish is a valid file', async () => {
    // Prepare
    const writer = await createParquetWriter()
    const builder = writer.builder('runs')
    builder.append([{ run_id: 'x' }])
    builder.finish()

    // Act
    const rowsAfter = builder.rows
    const empty = builder.finish()

    // Assess
    expect(rowsAfter).toBe(0)
    expect(await readParquetRows(empty)).toEqual([])
  })
})
