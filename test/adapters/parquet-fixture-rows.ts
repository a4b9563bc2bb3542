import { tableColumns } from '#adapters/parquet/arrow-table.ts'
import type { TableName } from '#schemas/tables.ts'

/**
 * Rows exercising every column of a canonical table: row 0 fills each column with a value of its
 * kind (large int64, UTC timestamps, unicode text), row 1 is all null, row 2 has edge values.
 */
export function sampleRows(table: TableName): Record<string, unknown>[] {
  const columns = tableColumns(table)
  const filled: Record<string, unknown> = {}
  const nulls: Record<string, unknown> = {}
  const edges: Record<string, unknown> = {}
  columns.forEach((c, i) => {
    nulls[c.name] = null
    switch (c.kind) {
      case 'utf8':
        filled[c.name] = `${c.name}-é✓𝄞 ${i}`
        edges[c.name] = ''
        break
      case 'float64':
        filled[c.name] = 941_500_000.125 + i
        edges[c.name] = -0.5
        break
      case 'int64':
        filled[c.name] = 7_000_000_000 + i
        edges[c.name] = -9_007_199_254_740_991
        break
      case 'int32':
        filled[c.name] = 1450 + i
        edges[c.name] = -1
        break
      case 'bool':
        filled[c.name] = true
        edges[c.name] = false
        break
      case 'timestamp':
        filled[c.name] = '2026-11-26T07:44:42.123Z'
        edges[c.name] = '1969-12-31T23:59:59.999Z'
        break
    }
  })
  return [filled, nulls, edges]
}
