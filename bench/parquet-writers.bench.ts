/**
 * Parquet writer candidates (DESIGN.md §5): parquet-wasm 0.8.0 (arrow-rs in wasm, ZSTD) and
 * hyparquet-writer 0.17.0 (pure JS, SNAPPY; ZSTD would need a compressor Node 20 lacks).
 *   npx tsx bench/parquet-writers.bench.ts
 * Figures: import + first write (fresh process), warm per-file time for the 60 s × 4-stream run
 * (runs + intervals), bulk rows/s, output bytes. Rewrites the writers section of bench/README.md.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createJsParquetWriter } from './lib/js-parquet-writer.ts'
import { createWasmParquetWriter } from '#adapters/parquet/wasm-writer.ts'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { sha256Hex } from '#core/rows.ts'
import type { ParquetWriter } from '#functions/ports.ts'
import type { IntervalRow, RunRow } from '#schemas/tables.ts'
import { machineNote } from './lib/machine.ts'
import { median, replaceSection, table } from './lib/stats.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const FIXTURE = path.join(ROOT, 'test/fixtures/real/iperf3-tcp-p4-t60-b200M.json')
const BULK_COPIES = 1000

const raw = readFileSync(FIXTURE)
const normalized = normalizeRaw(raw, {
  raw_key: 'raw/x.json',
  raw_sha256: sha256Hex(raw),
  labels: { platform: 'baremetal', scenario: 'bench' },
})
if (!normalized.ok) throw new Error(normalized.error.message)
const { runs, intervals } = normalized

// Bulk: the run's intervals repeated as 1000 distinct runs (what a compacted partition holds).
const bulk: IntervalRow[] = []
for (let k = 0; k < BULK_COPIES; k++) {
  const runId = sha256Hex(`${k}`).slice(0, 32)
  for (const r of intervals)
    bulk.push({ ...r, run_id: runId, bytes: r.bytes === null ? null : r.bytes + k })
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'netlake-writers-'))
const rowsFile = path.join(dir, 'rows.json')
writeFileSync(rowsFile, JSON.stringify(intervals))

function cold(candidate: 'wasm' | 'js'): number[] {
  return Array.from({ length: 5 }, () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'bench/lib/cold-write.ts'), candidate, rowsFile],
      { cwd: ROOT },
    )
    return (JSON.parse(out.toString()) as { ms: number }).ms
  })
}

/** Library only, no TypeScript loader: plain `node` imports the package and writes 300 doubles. */
const LIBRARY_COLD: Record<'wasm' | 'js', string> = {
  wasm: `const t0 = performance.now()
const pw = await import('parquet-wasm')
const { tableFromArrays, tableToIPC } = await import('apache-arrow')
const t = tableFromArrays({ a: Float64Array.from({ length: 300 }, (_, i) => i) })
pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(t, 'stream')), new pw.WriterPropertiesBuilder().setCompression(pw.Compression.ZSTD).build())
process.stdout.write(String(performance.now() - t0))`,
  js: `const t0 = performance.now()
const { parquetWriteBuffer } = await import('hyparquet-writer')
parquetWriteBuffer({ columnData: [{ name: 'a', data: Float64Array.from({ length: 300 }, (_, i) => i) }] })
process.stdout.write(String(performance.now() - t0))`,
}

function coldLibrary(candidate: 'wasm' | 'js'): number[] {
  return Array.from({ length: 5 }, () =>
    Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', LIBRARY_COLD[candidate]], {
        cwd: ROOT,
      }).toString(),
    ),
  )
}

function perFile(
  writer: ParquetWriter,
  fileRuns: RunRow[],
  fileIntervals: IntervalRow[],
): { ms: number[]; bytes: number } {
  for (let i = 0; i < 100; i++) writer.write('intervals', fileIntervals)
  const ms: number[] = []
  let bytes = 0
  for (let i = 0; i < 400; i++) {
    const started = performance.now()
    bytes = writer.write('runs', fileRuns).length + writer.write('intervals', fileIntervals).length
    ms.push(performance.now() - started)
  }
  return { ms, bytes }
}

function bulkWrite(writer: ParquetWriter): { rowsPerS: number; bytes: number } {
  writer.write('intervals', bulk.slice(0, 20_000))
  const times: number[] = []
  let bytes = 0
  for (let i = 0; i < 3; i++) {
    const started = performance.now()
    bytes = writer.write('intervals', bulk).length
    times.push(performance.now() - started)
  }
  return { rowsPerS: bulk.length / (Math.min(...times) / 1000), bytes }
}

try {
  const candidates = [
    {
      name: 'parquet-wasm 0.8.0, ZSTD',
      key: 'wasm' as const,
      writer: await createWasmParquetWriter(),
    },
    {
      name: 'hyparquet-writer 0.17.0, SNAPPY',
      key: 'js' as const,
      writer: await createJsParquetWriter(),
    },
  ]
  const rows: Array<Array<string | number>> = []
  for (const c of candidates) {
    process.stderr.write(`${c.name} ...\n`)
    const coldMs = cold(c.key)
    const libraryMs = coldLibrary(c.key)
    const file = perFile(c.writer, runs, intervals)
    const big = bulkWrite(c.writer)
    rows.push([
      c.name,
      `${median(libraryMs).toFixed(0)} ms`,
      `${median(coldMs).toFixed(0)} ms`,
      `${median(file.ms).toFixed(2)} ms (min ${Math.min(...file.ms).toFixed(2)})`,
      `${(file.bytes / 1024).toFixed(1)} KB`,
      `${Math.round(big.rowsPerS / 1000)}k rows/s`,
      `${(big.bytes / 1e6).toFixed(2)} MB`,
    ])
  }
  const report = [
    `Measured ${new Date().toISOString().slice(0, 16)}Z by \`npx tsx bench/parquet-writers.bench.ts\`.`,
    '',
    `- ${machineNote()}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
    `- per file: the 60 s × 4-stream run (${(raw.length / 1024).toFixed(0)} KB raw) normalized once, then its 1 run row + ${intervals.length} interval rows written as two files, warm, median of 400`,
    `- library import + first write: fresh plain \`node\`, import the package (parquet-wasm with apache-arrow), write 300 doubles; median of 5 (the Lambda cold-start cost)`,
    `- adapter import + first write: fresh Node process with the tsx loader (compiles our TypeScript and zod schemas too), create the adapter, write the ${intervals.length} interval rows; median of 5`,
    `- bulk: ${bulk.length} interval rows (${BULK_COPIES} runs) in one file, best of 3`,
    '',
    table(
      [
        'writer',
        'library import + first write',
        'adapter import + first write (tsx)',
        'per file (warm)',
        'per-file bytes',
        'bulk',
        'bulk bytes',
      ],
      rows,
    ),
  ].join('\n')
  process.stdout.write(`\n${report}\n`)
  const readme = path.join(ROOT, 'bench/README.md')
  let doc = '# Benchmarks\n'
  try {
    doc = readFileSync(readme, 'utf8')
  } catch {
    // first run
  }
  writeFileSync(readme, replaceSection(doc, 'writers', report))
} finally {
  rmSync(dir, { recursive: true, force: true })
}
