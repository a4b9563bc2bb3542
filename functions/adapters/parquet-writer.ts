import { createJsParquetWriter } from './parquet/js-writer.ts'
import { createWasmParquetWriter } from './parquet/wasm-writer.ts'
import type { NetlakeParquetWriter } from './parquet/wasm-writer.ts'
import { createParquetReader } from './parquet/read-rows.ts'

/**
 * The Parquet writer netlake uses: parquet-wasm (arrow-rs) with ZSTD, one row group per file up
 * to a million rows. Chosen over hyparquet-writer by `bench/parquet-writers.bench.ts` (see
 * bench/README.md): about 2× the bulk rows/s and 6× smaller files at bulk (ZSTD + dictionaries),
 * a similar per-file time, readable by duckdb-wasm 1.28.0. `builder(table)` writes many sources
 * into one file while holding them as Arrow columns, not row objects (batched ingest, compaction).
 */
export async function createParquetWriter(
  options: ParquetWriterOptions = {},
): Promise<NetlakeParquetWriter> {
  return options.engine === 'js' ? createJsParquetWriter() : createWasmParquetWriter()
}

/** Which engine `createParquetWriter` uses. */
export interface ParquetWriterOptions {
  /**
   * 'wasm' (default): parquet-wasm, ZSTD; fastest in bulk, smallest files, ~0.3 s to load.
   * 'js': hyparquet-writer, SNAPPY; no wasm or apache-arrow to load (cold start ~0.05–0.1 s),
   * a little faster per small file: a candidate for the per-object ingest Lambda.
   */
  engine?: 'wasm' | 'js'
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
