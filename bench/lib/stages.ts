import { readFileSync } from 'node:fs'
import type { Table } from 'apache-arrow'
import { Table as ArrowTable, tableToIPC } from 'apache-arrow'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { sha256Hex } from '#core/rows.ts'
import { arrowSchema, toArrowTable } from '#adapters/parquet/arrow-table.ts'
import type { NormalizedRows } from '#schemas/parse-result.ts'

/** Milliseconds of one stage over the whole corpus (best of `rounds`). */
export interface StageTime {
  stage: string
  ms: number
}

const CHUNK = 8_192

/**
 * The netlake path cut into stages, each timed alone over the whole corpus (inputs of a stage are
 * prepared by the previous one, outside the timer): where the time goes, without a profiler.
 */
export async function stageTimes(files: readonly string[], rounds: number): Promise<StageTime[]> {
  const pw = await import('parquet-wasm')
  const best = (fn: () => void) => {
    let min = Infinity
    for (let r = 0; r < rounds; r++) {
      const started = performance.now()
      fn()
      min = Math.min(min, performance.now() - started)
    }
    return min
  }
  let buffers: Buffer[] = []
  const read = best(() => {
    buffers = files.map((f) => readFileSync(f))
  })
  const texts = buffers.map((b) => b.toString('utf8'))
  const parse = best(() => {
    for (const t of texts) JSON.parse(t)
  })
  const hash = best(() => {
    for (const b of buffers) sha256Hex(b)
  })
  let normalized: NormalizedRows[] = []
  const normalize = best(() => {
    normalized = buffers
      .map((b) =>
        normalizeRaw(b, {
          raw_key: 'raw/x.json',
          raw_sha256: 'x',
          labels: { platform: 'baremetal', scenario: 'bench' },
        }),
      )
      .filter((r): r is NormalizedRows => r.ok)
  })
  const runs = normalized.flatMap((n) => n.runs)
  const intervals = normalized.flatMap((n) => n.intervals)
  normalized = []
  let tables: Table[] = []
  const arrow = best(() => {
    const batches = { runs: [] as Table['batches'], intervals: [] as Table['batches'] }
    for (let i = 0; i < runs.length; i += CHUNK / 16)
      batches.runs.push(...toArrowTable('runs', runs.slice(i, i + CHUNK / 16)).batches)
    for (let i = 0; i < intervals.length; i += CHUNK)
      batches.intervals.push(...toArrowTable('intervals', intervals.slice(i, i + CHUNK)).batches)
    tables = [
      new ArrowTable(arrowSchema('runs'), batches.runs),
      new ArrowTable(arrowSchema('intervals'), batches.intervals),
    ]
  })
  let ipcs: Uint8Array[] = []
  const ipc = best(() => {
    ipcs = tables.map((t) => tableToIPC(t, 'stream'))
  })
  const properties = () =>
    new pw.WriterPropertiesBuilder()
      .setCompression(pw.Compression.ZSTD)
      .setStatisticsEnabled(pw.EnabledStatistics.Chunk)
      .setMaxRowGroupSize(1_000_000)
      .build()
  const parquet = best(() => {
    for (const bytes of ipcs) pw.writeParquet(pw.Table.fromIPCStream(bytes), properties())
  })
  return [
    { stage: 'read files', ms: read },
    { stage: 'JSON.parse (reference, not a netlake stage)', ms: parse },
    { stage: 'sha256 of raw bytes', ms: hash },
    { stage: 'normalizeRaw (decode, tolerant JSON, rows, labels)', ms: normalize },
    { stage: 'rows → Arrow columns (toArrowTable)', ms: arrow },
    { stage: 'Arrow → IPC stream (apache-arrow)', ms: ipc },
    { stage: 'IPC → wasm → Parquet ZSTD (parquet-wasm)', ms: parquet },
  ]
}
