import { tableToIPC } from 'apache-arrow'
import type { ParquetWriter } from '#functions/ports.ts'
import { toArrowTable } from '#core/arrow-table.ts'
import type { TableName } from '#schemas/tables.ts'

/** Options shared by the candidate writers. */
export interface ParquetWriteSettings {
  /** Codec; `ZSTD` unless a benchmark says otherwise. */
  codec: 'ZSTD' | 'SNAPPY' | 'GZIP' | 'UNCOMPRESSED'
  /** Rows per row group; files smaller than this are one row group. */
  rowGroupRows: number
}

const DEFAULTS: ParquetWriteSettings = { codec: 'ZSTD', rowGroupRows: 1_000_000 }

/**
 * `ParquetWriter` on parquet-wasm (Rust arrow-rs/parquet compiled to wasm): rows → Arrow table
 * (`toArrowTable`) → Arrow IPC stream → wasm → Parquet. Loads the 5 MB wasm module once.
 */
export async function createWasmParquetWriter(
  settings: Partial<ParquetWriteSettings> = {},
): Promise<ParquetWriter> {
  const { codec, rowGroupRows } = { ...DEFAULTS, ...settings }
  const pw = await import('parquet-wasm')
  const compression = {
    ZSTD: pw.Compression.ZSTD,
    SNAPPY: pw.Compression.SNAPPY,
    GZIP: pw.Compression.GZIP,
    UNCOMPRESSED: pw.Compression.UNCOMPRESSED,
  }[codec]
  const properties = () =>
    new pw.WriterPropertiesBuilder()
      .setCompression(compression)
      .setMaxRowGroupSize(rowGroupRows)
      // Chunk statistics (min/max per column chunk) without page indexes: small files stay small.
      .setStatisticsEnabled(pw.EnabledStatistics.Chunk)
      .setCreatedBy('netlake (parquet-wasm)')
      .build()
  return {
    write(table: TableName, rows: readonly Record<string, unknown>[]): Uint8Array {
      const ipc = tableToIPC(toArrowTable(table, rows), 'stream')
      const wasmTable = pw.Table.fromIPCStream(ipc)
      // writeParquet consumes the table and the properties.
      return pw.writeParquet(wasmTable, properties())
    },
  }
}
