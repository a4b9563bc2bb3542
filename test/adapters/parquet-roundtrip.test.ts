import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDuckDb } from '#adapters/duckdb-node.ts'
import type { NodeDuckDb } from '#adapters/duckdb-node.ts'
import { createParquetWriter, readParquetRows } from '#adapters/parquet-writer.ts'
import { createJsParquetWriter } from '../../bench/lib/js-parquet-writer.ts'
import { tableColumns } from '#adapters/parquet/arrow-table.ts'
import type { ParquetWriter } from '#functions/ports.ts'
import type { ArrowKind } from '#schemas/columns.ts'
import { fileColumnName, type TableName } from '#schemas/tables.ts'
import { sampleRows } from './parquet-fixture-rows.ts'

const TABLE_NAMES: TableName[] = ['runs', 'intervals', 'metrics']

/** DuckDB 0.9.1's type for each canonical column kind. */
const DUCKDB_TYPE: Record<ArrowKind, string> = {
  utf8: 'VARCHAR',
  float64: 'DOUBLE',
  int64: 'BIGINT',
  int32: 'INTEGER',
  bool: 'BOOLEAN',
  timestamp: 'TIMESTAMP WITH TIME ZONE',
}

let db: NodeDuckDb

beforeAll(async () => {
  db = await createDuckDb()
})

afterAll(async () => {
  await db.close()
})

const writers: Array<[string, () => Promise<ParquetWriter>]> = [
  ['parquet-wasm (the writer in use)', () => createParquetWriter()],
  ['hyparquet-writer (candidate)', () => createJsParquetWriter()],
]

describe.each(writers)('Parquet round trip through duckdb-wasm 1.28.0: %s', (_name, create) => {
  it.each(TABLE_NAMES)('%s: every value and every column type survive', async (table) => {
    // Prepare
    const writer = await create()
    const rows = sampleRows(table)
    const file = `${table}-${_name.split(' ')[0]}.parquet`

    // Act
    const bytes = writer.write(table, rows)
    db.registerBuffer(file, bytes)
    const back = db.query(`SELECT * FROM read_parquet('${file}')`)
    const described = db.query(`DESCRIBE SELECT * FROM read_parquet('${file}')`)

    // Assess: the files name `platform`/`date` `platform_label`/`run_date` (clear of the Hive path)
    const fileRows = rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [fileColumnName(k), v])),
    )
    expect(back).toEqual(fileRows)
    const expectedTypes = tableColumns(table).map((c) => ({
      column_name: fileColumnName(c.name),
      column_type: DUCKDB_TYPE[c.kind],
    }))
    expect(
      described.map((d) => ({ column_name: d.column_name, column_type: d.column_type })),
    ).toEqual(expectedTypes)
  })
})

describe('readParquetRows', () => {
  it.each(TABLE_NAMES)('%s: reads back exactly the rows the writer took', async (table) => {
    // Prepare
    const writer = await createParquetWriter()
    const rows = sampleRows(table)

    // Act
    const back = await readParquetRows(writer.write(table, rows))

    // Assess
    expect(back).toEqual(rows)
  })

  it('reads a file written by the other candidate (hyparquet-writer) the same way', async () => {
    // Prepare
    const rows = sampleRows('intervals')
    const bytes = (await createJsParquetWriter()).write('intervals', rows)

    // Act
    const back = await readParquetRows(bytes)

    // Assess
    expect(back).toEqual(rows)
  })
})

describe('the writer in use', () => {
  it('writes ZSTD, one row group for a small file', async () => {
    // Prepare
    const writer = await createParquetWriter()
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      ...sampleRows('intervals')[0],
      stream: i % 5,
    }))
    db.registerBuffer('meta.parquet', writer.write('intervals', rows))

    // Act
    const meta = db.query(
      `SELECT DISTINCT row_group_id, compression, row_group_num_rows FROM parquet_metadata('meta.parquet')`,
    )

    // Assess
    expect(meta).toEqual([{ row_group_id: 0, compression: 'ZSTD', row_group_num_rows: 1000 }])
  })

  it('writes an empty table as a valid file with the full schema', async () => {
    // Prepare
    const writer = await createParquetWriter()

    // Act
    db.registerBuffer('empty.parquet', writer.write('metrics', []))
    const count = db.query(`SELECT count(*) AS n FROM read_parquet('empty.parquet')`)
    const described = db.query(`DESCRIBE SELECT * FROM read_parquet('empty.parquet')`)

    // Assess
    expect(count).toEqual([{ n: 0 }])
    expect(described.map((d) => d.column_name)).toEqual(tableColumns('metrics').map((c) => c.name))
  })
})
