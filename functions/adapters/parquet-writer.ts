import { createWasmParquetWriter } from './parquet/wasm-writer.ts'
import type { NetlakeParquetWriter } from './parquet/wasm-writer.ts'
import { createParquetReader } from './parquet/read-rows.ts'

/**
 * The Parquet writer netlake uses: parquet-wasm (arrow-rs) with ZSTD, one row group per file up
 * to a million rows. Chosen over hyparquet-writer by `bench/parquet-writers.bench.ts` (see
 * bench/README.md): about 2× the bulk rows/s and 6× smaller files at bulk (ZSTD + dictionaries),
 * a similar per-file time, readable by duckdb-wasm 1.28.0. `builder(table)` writes many sources
 * into one file while holding them as Arrow columns, not row objects (batched ingest, compaction).
 * The hyparquet-writer candidate lives on as the benchmark's peer (bench/lib/js-parquet-writer.ts).
 */
export async function createParquetWriter(): Promise<NetlakeParquetWriter> {
  return createWasmParquetWriter()
}

let reader: ReturnType<typeof createParquetReader> | null = null

/**
 * Parquet bytes → rows in the shape `ParquetWriter.write` takes (numbers, ISO timestamps,
 * booleans, nulls; bigint only beyond 2^53). Loads the wasm module on first use.
 */
export async function readParquetRows(bytes: Uint8Array): Promise<Record<string, unknown>[]> {
  reader ??= createParquetReader()
  return (await reader).read(bytes)
}

export { createParquetReader } from './parquet/read-rows.ts'
export type { ParquetReader } from './parquet/read-rows.ts'
export type {
  NetlakeParquetWriter,
  ParquetFileBuilder,
  ParquetWriteSettings,
} from './parquet/wasm-writer.ts'
