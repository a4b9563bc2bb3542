import type { TableName } from '#schemas/tables.ts'
import type { ColumnChunk } from '#adapters/parquet/column-chunk.ts'

/**
 * Chunks of each table → its Parquet file (the chunks joined into one record batch, written with
 * the lake's parquet-wasm settings), in whichever thread calls it. Loads the writer on first use.
 */
export async function tablesToParquet(
  tables: Partial<Record<TableName, ColumnChunk[]>>,
): Promise<Partial<Record<TableName, Uint8Array>>> {
  const [{ createWasmArrowWriter }, { tableFromChunks }] = await Promise.all([
    import('#adapters/parquet/wasm-writer.ts'),
    import('#adapters/parquet/arrow-table.ts'),
  ])
  const toParquet = await createWasmArrowWriter()
  const files: Partial<Record<TableName, Uint8Array>> = {}
  for (const [table, chunks] of Object.entries(tables) as Array<[TableName, ColumnChunk[]]>)
    files[table] = toParquet(tableFromChunks(table, chunks))
  return files
}
