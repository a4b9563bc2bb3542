import { gzipSync } from 'node:zlib'
import { parquetWriteBuffer } from 'hyparquet-writer'
import type { ColumnSource, SchemaElement } from 'hyparquet-writer'
import type { ParquetWriter } from '#functions/ports.ts'
import { tableColumns } from '#core/arrow-table.ts'
import type { TableColumn } from '#core/arrow-table.ts'
import type { ArrowKind } from '#schemas/columns.ts'
import type { TableName } from '#schemas/tables.ts'

/** Options of the pure-JS writer. ZSTD needs a compressor Node 20 lacks, so SNAPPY or GZIP. */
export interface JsWriteSettings {
  codec: 'SNAPPY' | 'GZIP' | 'UNCOMPRESSED'
  rowGroupRows: number
}

const DEFAULTS: JsWriteSettings = { codec: 'SNAPPY', rowGroupRows: 1_000_000 }

const ELEMENT: Record<ArrowKind, Omit<SchemaElement, 'name'>> = {
  utf8: { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } },
  float64: { type: 'DOUBLE' },
  int64: { type: 'INT64' },
  int32: { type: 'INT32' },
  bool: { type: 'BOOLEAN' },
  timestamp: {
    type: 'INT64',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
  },
}

/**
 * `ParquetWriter` on hyparquet-writer (pure JS, no wasm): rows → column arrays → Parquet with an
 * explicit schema (one row group for small files).
 */
export async function createJsParquetWriter(
  settings: Partial<JsWriteSettings> = {},
): Promise<ParquetWriter> {
  const { codec, rowGroupRows } = { ...DEFAULTS, ...settings }
  const compressors =
    codec === 'GZIP' ? { GZIP: (b: Uint8Array) => new Uint8Array(gzipSync(b)) } : undefined
  const schemas = new Map<TableName, SchemaElement[]>()
  const schemaOf = (table: TableName, columns: readonly TableColumn[]) => {
    let schema = schemas.get(table)
    if (!schema) {
      schema = [
        { name: 'root', num_children: columns.length },
        ...columns.map((c) => ({
          name: c.name,
          repetition_type: 'OPTIONAL' as const,
          ...ELEMENT[c.kind],
        })),
      ]
      schemas.set(table, schema)
    }
    return schema
  }
  return {
    write(table: TableName, rows: readonly Record<string, unknown>[]): Uint8Array {
      const columns = tableColumns(table)
      const columnData: ColumnSource[] = columns.map((c) => ({
        name: c.name,
        data: columnValues(c, rows),
      }))
      const buffer = parquetWriteBuffer({
        columnData,
        schema: schemaOf(table, columns),
        codec,
        compressors,
        rowGroupSize: rowGroupRows,
        createdBy: 'netlake (hyparquet-writer)',
      })
      return new Uint8Array(buffer)
    },
  }
}

function columnValues(column: TableColumn, rows: readonly Record<string, unknown>[]): unknown[] {
  const out = new Array<unknown>(rows.length)
  const { name, kind } = column
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i][name]
    if (v === null || v === undefined) out[i] = null
    else if (kind === 'int64') out[i] = typeof v === 'bigint' ? v : BigInt(v as number)
    else if (kind === 'timestamp') out[i] = BigInt(Date.parse(v as string))
    else out[i] = v
  }
  return out
}
