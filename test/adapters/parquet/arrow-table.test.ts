import { tableToIPC } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import {
  ArrowTableError,
  arrowSchema,
  columnChunkBuffers,
  tableColumns,
  tableFromChunks,
  toArrowTable,
  toColumnChunk,
} from '#adapters/parquet/arrow-table.ts'
import { emptyIntervalRow, emptyRunRow } from '#core/rows.ts'
import { TABLES } from '#schemas/tables.ts'
import type { TableName } from '#schemas/tables.ts'
import { sampleRows } from '../parquet-fixture-rows.ts'

describe('arrowSchema', () => {
  it('has one nullable field per canonical column, in declaration order, with the declared type', () => {
    // Prepare
    const expected = Object.keys(TABLES.intervals.shape)

    // Act
    const schema = arrowSchema('intervals')

    // Assess
    expect(schema.fields.map((f) => f.name)).toEqual(expected)
    expect(schema.fields.every((f) => f.nullable)).toBe(true)
    const byName = Object.fromEntries(schema.fields.map((f) => [f.name, String(f.type)]))
    expect(byName).toMatchObject({
      run_id: 'Utf8',
      stream: 'Int32',
      start_s: 'Float64',
      bytes: 'Int64',
      omitted: 'Bool',
    })
  })

  it('types timestamps as milliseconds in UTC', () => {
    // Act
    const started = arrowSchema('runs').fields.find((f) => f.name === 'started_at')

    // Assess
    expect(String(started?.type)).toBe('Timestamp<MILLISECOND, UTC>')
  })
})

describe('toArrowTable', () => {
  it('converts int64 numbers exactly, including beyond 2^32 and negative', () => {
    // Prepare
    const rows = [7_000_000_000, -1, -9_007_199_254_740_991, 0, 4_294_967_296].map((bytes) => ({
      ...emptyIntervalRow(),
      bytes,
    }))

    // Act
    const column = toArrowTable('intervals', rows).getChild('bytes')

    // Assess
    expect(column?.toArray()).toEqual(
      new BigInt64Array([7_000_000_000n, -1n, -9_007_199_254_740_991n, 0n, 4_294_967_296n]),
    )
  })

  it('accepts bigint for int64 columns', () => {
    // Act
    const column = toArrowTable('intervals', [{ bytes: 2n ** 60n }]).getChild('bytes')

    // Assess
    expect(column?.get(0)).toBe(2n ** 60n)
  })

  it('turns ISO instants into epoch milliseconds, honouring offsets', () => {
    // Prepare
    const rows = [
      '2026-11-26T07:44:42.123Z',
      '2026-11-26T08:44:42.123+01:00',
      '1969-12-31T23:59:59.999Z',
    ].map((started_at) => ({ ...emptyRunRow(), started_at }))

    // Act
    const column = toArrowTable('runs', rows).getChild('started_at')

    // Assess
    expect([column?.get(0), column?.get(1), column?.get(2)]).toEqual([
      1795679082123, 1795679082123, -1,
    ])
  })

  it('keeps nulls and missing keys as nulls, and ignores keys that are not columns', () => {
    // Prepare
    const rows = [{ run_id: 'a', stream: null, extra: 'ignored' }, { run_id: null }]

    // Act
    const table = toArrowTable('intervals', rows)

    // Assess
    expect(table.numCols).toBe(tableColumns('intervals').length)
    expect(table.getChild('run_id')?.toJSON()).toEqual(['a', null])
    expect(table.getChild('stream')?.nullCount).toBe(2)
    expect(table.getChild('omitted')?.toJSON()).toEqual([null, null])
    expect(table.schema.fields.some((f) => f.name === 'extra')).toBe(false)
  })

  it('encodes unicode, empty and repeated strings', () => {
    // Prepare
    const names = ['a', 'a', '', 'é✓𝄞', 'é✓𝄞', null, 'a']
    const rows = names.map((run_id) => ({ run_id }))

    // Act
    const column = toArrowTable('intervals', rows).getChild('run_id')

    // Assess
    expect(column?.toJSON()).toEqual(names)
  })

  it('packs booleans and their validity separately', () => {
    // Prepare
    const values = [true, false, null, true, false, false, true, true, false, true]
    const rows = values.map((omitted) => ({ omitted }))

    // Act
    const column = toArrowTable('intervals', rows).getChild('omitted')

    // Assess
    expect(column?.toJSON()).toEqual(values)
    expect(column?.nullCount).toBe(1)
  })

  it.each([
    ['stream', 1.5, 'column stream (int32), row 0'],
    ['stream', 2 ** 31, 'column stream (int32), row 0'],
    ['bytes', 1.5, 'column bytes (int64), row 0'],
    ['start_s', '1', 'column start_s (float64), row 0'],
    ['omitted', 1, 'column omitted (bool), row 0'],
    ['run_id', 5, 'column run_id (utf8), row 0'],
  ])('rejects %s = %j naming the column and row', (name, value, message) => {
    // Act
    const act = () => toArrowTable('intervals', [{ [name]: value }])

    // Assess
    expect(act).toThrow(ArrowTableError)
    expect(act).toThrow(message)
  })

  it('rejects a timestamp without a zone', () => {
    // Act
    const act = () => toArrowTable('runs', [{ started_at: '2026-11-26T07:44:42' }])

    // Assess
    expect(act).toThrow('column started_at (timestamp), row 0')
  })

  it('builds an empty table with the full schema', () => {
    // Act
    const table = toArrowTable('metrics', [])

    // Assess
    expect(table.numRows).toBe(0)
    expect(table.schema.fields.map((f) => f.name)).toEqual(Object.keys(TABLES.metrics.shape))
  })
})

describe('tableFromChunks', () => {
  /** Rows of every kind and null pattern, distinct enough that a misplaced row shows. */
  const manyRows = (table: TableName, n: number) =>
    Array.from({ length: n }, (_, i) => {
      const row = { ...sampleRows(table)[i % 3] }
      for (const c of tableColumns(table)) {
        if (row[c.name] === null) continue
        if (c.kind === 'utf8') row[c.name] = `${row[c.name]}#${i}`
        if (c.kind === 'float64' || c.kind === 'int64' || c.kind === 'int32')
          row[c.name] = (row[c.name] as number) + i
        if (c.kind === 'bool' && i % 5 === 0) row[c.name] = !row[c.name]
      }
      return row
    })

  it.each(['runs', 'intervals', 'metrics'] as const)(
    'joins %s chunks split at uneven sizes into the Arrow IPC bytes of all rows at once',
    (table) => {
      // Prepare
      const rows = manyRows(table, 61)
      const sizes = [0, 1, 3, 5, 8, 13, 0, 31]
      const chunks = []
      let at = 0
      for (const size of sizes) {
        chunks.push(toColumnChunk(table, rows.slice(at, at + size)))
        at += size
      }

      // Act
      const joined = tableFromChunks(table, chunks)

      // Assess
      expect(joined.batches).toHaveLength(1)
      expect(joined.numRows).toBe(rows.length)
      expect(Buffer.from(tableToIPC(joined, 'stream'))).toEqual(
        Buffer.from(tableToIPC(toArrowTable(table, rows), 'stream')),
      )
    },
  )

  it('keeps values after the chunk is transferred to another thread (structured clone)', () => {
    // Prepare
    const rows = manyRows('intervals', 20)
    const chunk = toColumnChunk('intervals', rows)

    // Act
    const copy = structuredClone(chunk, { transfer: columnChunkBuffers(chunk) })
    const table = tableFromChunks('intervals', [copy, toColumnChunk('intervals', rows)])

    // Assess
    expect(chunk.columns[0].values.byteLength).toBe(0)
    expect(table.getChild('run_id')?.toJSON()).toEqual([...rows, ...rows].map((r) => r.run_id))
    expect(table.getChild('bytes')?.toJSON()).toEqual(
      [...rows, ...rows].map((r) => (r.bytes === null ? null : BigInt(r.bytes as number))),
    )
  })

  it('refuses a chunk of another table', () => {
    // Act
    const act = () => tableFromChunks('runs', [toColumnChunk('intervals', [])])

    // Assess
    expect(act).toThrow(ArrowTableError)
  })
})
