import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { NetlakeParquetWriter } from '#adapters/parquet-writer.ts'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { sha256Hex } from '#core/rows.ts'
import type { IntervalRow, RunRow } from '#schemas/tables.ts'

/** What one netlake ingest pass did. */
export interface IngestResult {
  ms: number
  files: number
  runs: number
  intervals: number
  rejected: number
  outBytes: number
  parquetFiles: number
}

const LABELS = { platform: 'baremetal', scenario: 'bench' }

/** Rows held as objects before they are turned into Arrow columns (keeps the object heap young). */
const CHUNK_ROWS = 8_192

/**
 * The netlake ingest path over local files: read → sha256 → `normalizeRaw` → Parquet (runs and
 * intervals). `batchRows` > 0 writes one file per table whenever that many interval rows have
 * accumulated (the layout compaction produces), converting rows to Arrow columns every few
 * thousand rows; 0 writes two files per raw document, as the per-object ingest function does.
 */
export function ingestFiles(
  files: readonly string[],
  outDir: string,
  writer: NetlakeParquetWriter,
  batchRows: number,
): IngestResult {
  const started = performance.now()
  const result: IngestResult = {
    ms: 0,
    files: files.length,
    runs: 0,
    intervals: 0,
    rejected: 0,
    outBytes: 0,
    parquetFiles: 0,
  }
  const builders = { runs: writer.builder('runs'), intervals: writer.builder('intervals') }
  let runs: RunRow[] = []
  let intervals: IntervalRow[] = []
  let part = 0
  const columnize = () => {
    builders.runs.append(runs)
    builders.intervals.append(intervals)
    runs = []
    intervals = []
  }
  const flush = () => {
    columnize()
    if (builders.runs.rows === 0 && builders.intervals.rows === 0) return
    for (const table of ['runs', 'intervals'] as const) {
      const bytes = builders[table].finish()
      writeFileSync(path.join(outDir, `netlake-${table}-${part}.parquet`), bytes)
      result.outBytes += bytes.length
      result.parquetFiles++
    }
    part++
  }
  for (const file of files) {
    const bytes = readFileSync(file)
    const normalized = normalizeRaw(bytes, {
      raw_key: `raw/date=2026-11-26/${path.basename(file)}`,
      raw_sha256: sha256Hex(bytes),
      labels: LABELS,
    })
    if (!normalized.ok) {
      result.rejected++
      continue
    }
    result.runs += normalized.runs.length
    result.intervals += normalized.intervals.length
    for (const r of normalized.runs) runs.push(r)
    for (const r of normalized.intervals) intervals.push(r)
    if (batchRows === 0) flush()
    else {
      if (intervals.length >= CHUNK_ROWS) columnize()
      if (builders.intervals.rows >= batchRows) flush()
    }
  }
  flush()
  result.ms = performance.now() - started
  return result
}

/** The JS limit: read every file and `JSON.parse` it, nothing else. */
export function parseOnly(files: readonly string[]): { ms: number; keys: number } {
  const started = performance.now()
  let keys = 0
  for (const file of files) keys += Object.keys(JSON.parse(readFileSync(file, 'utf8'))).length
  return { ms: performance.now() - started, keys }
}
