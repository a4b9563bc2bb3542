import { Table, tableToIPC } from 'apache-arrow'
import type { RecordBatch } from 'apache-arrow'
import type { ParquetWriter } from '#functions/ports.ts'
import { arrowSchema, toArrowTable } from '#adapters/parquet/arrow-table.ts'
import type { TableName } from '#schemas/tables.ts'

/** Options shared by the candidate writers. */
export interface ParquetWriteSettings {
  /** Codec; `ZSTD` unless a benchmark says otherwise. */
  codec: 'ZSTD' | 'SNAPPY' | 'GZIP' | 'UNCOMPRESSED'
  /** Rows per row group; files smaller than this are one row group. */
  rowGroupRows: number
}

/** Builds one Parquet file from rows appended in pieces, holding them as Arrow columns. */
export interface ParquetFileBuilder {
  /** Convert `rows` to columns now (the row objects can be dropped right after). */
  append(rows: readonly Record<string, unknown>[]): void
  /** Rows appended so far. */
  readonly rows: number
  /** The Parquet bytes of everything appended; the builder is empty afterwards. */
  finish(): Uint8Array
}

/** The port, plus file builders for writing many sources into one file (batched ingest, compaction). */
export interface NetlakeParquetWriter extends ParquetWriter {
  builder(table: TableName): ParquetFileBuilder
}

const DEFAULTS: ParquetWriteSettings = { codec: 'ZSTD', rowGroupRows: 1_000_000 }

/**
 * `ParquetWriter` on parquet-wasm (Rust arrow-rs/parquet compiled to wasm): rows → Arrow table
 * (`toArrowTable`) → Arrow IPC stream → wasm → Parquet. Loads the 5 MB wasm module once.
 */
export async function createWasmParquetWriter(
  settings: Partial<ParquetWriteSettings> = {},
): Promise<NetlakeParquetWriter> {
  const toParquet = await createWasmArrowWriter(settings)
  return {
    write(table, rows) {
      return toParquet(toArrowTable(table, rows))
    },
    builder(table) {
      let batches: RecordBatch[] = []
      let count = 0
      return {
        append(rows) {
          if (rows.length === 0) return
          batches.push(...toArrowTable(table, rows).batches)
          count += rows.length
        },
        get rows() {
          return count
        },
        finish() {
          const all =
            batches.length === 0 ? toArrowTable(table, []) : new Table(arrowSchema(table), batches)
          batches = []
          count = 0
          return toParquet(all)
        },
      }
    },
  }
}

/**
 * Arrow table → Parquet bytes with the lake's parquet-wasm settings (ZSTD, chunk statistics, one
 * row group up to a million rows): what `netlake query --format parquet` writes a result with.
 */
export async function createWasmArrowWriter(
  settings: Partial<ParquetWriteSettings> = {},
): Promise<(table: Table) => Uint8Array> {
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
  // writeParquet consumes the wasm table and the properties.
  return (table: Table) =>
    pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(table, 'stream')), properties())
}
