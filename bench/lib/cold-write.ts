/**
 * Child process for the cold-start figure: import one candidate writer, create it and write the
 * 60 s × 4-stream run's interval rows once. Prints `{"ms": ...}`; argv[2] = 'wasm' | 'js'.
 */
import { readFileSync } from 'node:fs'

const rows = JSON.parse(readFileSync(process.argv[3], 'utf8')) as Record<string, unknown>[]
const started = performance.now()
const writer =
  process.argv[2] === 'wasm'
    ? await (await import('#adapters/parquet/wasm-writer.ts')).createWasmParquetWriter()
    : await (await import('./js-parquet-writer.ts')).createJsParquetWriter()
const bytes = writer.write('intervals', rows)
process.stdout.write(JSON.stringify({ ms: performance.now() - started, bytes: bytes.length }))
