// What the ingest Lambda does on a cold start before its first object is done: load the code and
// parquet-wasm, normalize one file, write its Parquet. Bundled by cold-start.bench.ts like the CDK does.
import { readFileSync } from 'node:fs'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { sha256Hex } from '#core/rows.ts'
import { createParquetWriter } from '#adapters/parquet-writer.ts'

const bytes = new Uint8Array(readFileSync(process.argv[2]))
const rows = normalizeRaw(bytes, {
  raw_key: null,
  raw_sha256: sha256Hex(bytes),
  received_at: new Date().toISOString(),
})
if (!rows.ok) throw new Error(rows.error.message)
const writer = await createParquetWriter()
const size =
  writer.write('runs', rows.runs).byteLength + writer.write('intervals', rows.intervals).byteLength
process.stdout.write(String(size))
