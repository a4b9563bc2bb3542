import { tableFromIPC } from 'apache-arrow'
import type { DataType, Table } from 'apache-arrow'
import { rowColumnName } from '#schemas/tables.ts'

/**
 * Parquet bytes → rows of the shape the writers take (for compaction and tests): int64 as JS
 * numbers (bigint only beyond 2^53), timestamps as ISO strings ending in `Z`, booleans, nulls.
 * Decoding is parquet-wasm's (arrow-rs), so every codec the writer uses can be read back. File
 * columns stored under another name (`platform_label`, `run_date`) come back canonical.
 */

/** Reads Parquet files into plain rows. */
export interface ParquetReader {
  /** All rows of the file, columns in file order. */
  read(bytes: Uint8Array): Record<string, unknown>[]
}

/** Load the parquet-wasm module (once per process) and return a reader. */
export async function createParquetReader(): Promise<ParquetReader> {
  const pw = await import('parquet-wasm')
  return {
    read(bytes) {
      return arrowRows(tableFromIPC(pw.readParquet(bytes).intoIPCStream()))
    },
  }
}

// apache-arrow `Type` ids (stable).
const INT = 2
const TIMESTAMP = 10
const DATE = 8

/** Rows of an Arrow table with BigInt and timestamps converted deliberately. */
export function arrowRows(table: Table): Record<string, unknown>[] {
  const fields = table.schema.fields
  const rows: Record<string, unknown>[] = Array.from({ length: table.numRows }, () => ({}))
  fields.forEach((field, c) => {
    const vector = table.getChildAt(c)
    const convert = converterFor(field.type)
    const name = rowColumnName(field.name)
    for (let r = 0; r < rows.length; r++) {
      const v = vector?.get(r)
      rows[r][name] = v === null || v === undefined ? null : convert(v)
    }
  })
  return rows
}

function converterFor(type: DataType): (v: unknown) => unknown {
  switch (type.typeId) {
    case INT:
      return (v) => (typeof v === 'bigint' ? safeNumber(v) : v)
    case TIMESTAMP:
      // apache-arrow 21 yields epoch milliseconds for every unit.
      return (v) => new Date(Number(v)).toISOString()
    case DATE:
      return (v) => new Date(Number(v)).toISOString().slice(0, 10)
    default:
      return (v) => v
  }
}

function safeNumber(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v
}
