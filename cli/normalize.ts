import { mkdir, writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { LabelsSchema } from '#schemas/labels.ts'
import type { Labels } from '#schemas/labels.ts'
import type { TableName } from '#schemas/tables.ts'
import { MAX_RAW_BYTES } from '#core/decode-raw.ts'
import type { ColumnChunk } from '#adapters/parquet/column-chunk.ts'
import { normalizeBatch, readInputFile } from './normalize-batch.ts'
import type { BatchOptions, BatchResult } from './normalize-batch.ts'
import { tablesToParquet } from './normalize-parquet.ts'

/** Files per batch: the unit of work a worker thread takes (its output is printed together). */
export const BATCH_FILES = 64
/** Below this many files the start-up of worker threads costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 2 * BATCH_FILES

const USAGE = `usage: netlake normalize [--json] [--out DIR] [--label key=value ...] [--workers N] FILE...

Parses iperf3 (-J, --json-stream) and qperf output offline; the format is read from the content.
FILE may be '-' for standard input. Files above ${MAX_RAW_BYTES} bytes are refused.

  --json           one JSON object per input file per line on stdout
  --out DIR        write runs.parquet, intervals.parquet, metrics.parquet to DIR
  --label k=v      a label for every run (platform, scenario, campaign, hardware_profile,
                   nic_speed_bps, link_mtu, mtu, ...); repeatable
  --workers N      threads that read and normalize (default: one per core for
                   ${MIN_FILES_FOR_WORKERS} files or more on more than 2 cores, else 1: this
                   thread only); same output for any N

exit codes: 0 every file ok, 1 some file rejected, 2 usage error`

/** `netlake normalize`: offline, no server. */
export async function run(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        out: { type: 'string' },
        label: { type: 'string', multiple: true },
        workers: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    console.error(`netlake normalize: ${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (parsed.values.help) {
    console.log(USAGE)
    return 0
  }
  if (parsed.positionals.length === 0) {
    console.error(`netlake normalize: no input files\n\n${USAGE}`)
    return 2
  }
  const labels = parseLabels(parsed.values.label ?? [])
  if (typeof labels === 'string') {
    console.error(`netlake normalize: ${labels}`)
    return 2
  }
  const workers = parseWorkers(parsed.values.workers, parsed.positionals)
  if (typeof workers === 'string') {
    console.error(`netlake normalize: ${workers}\n\n${USAGE}`)
    return 2
  }
  const options: BatchOptions = {
    json: parsed.values.json === true,
    labels,
    columns: parsed.values.out !== undefined,
  }
  const files = parsed.positionals
  const batches: string[][] = []
  for (let i = 0; i < files.length; i += BATCH_FILES) batches.push(files.slice(i, i + BATCH_FILES))
  const chunks = {
    runs: [] as ColumnChunk[],
    intervals: [] as ColumnChunk[],
    metrics: [] as ColumnChunk[],
  }
  let failed = 0
  const take = (result: BatchResult) => {
    if (result.stdout) process.stdout.write(result.stdout)
    if (result.stderr) process.stderr.write(result.stderr)
    failed += result.failed
    if (result.tables)
      for (const table of ['runs', 'intervals', 'metrics'] as const)
        chunks[table].push(result.tables[table])
  }
  let parquet: Promise<Partial<Record<TableName, Uint8Array>>>
  if (workers > 1) {
    const { startNormalizePool } = await import('./normalize-pool.ts')
    const pool = startNormalizePool(options, workers)
    try {
      await pool.normalize(batches, take)
      parquet = parsed.values.out ? pool.write(chunks) : Promise.resolve({})
      await parquet
    } finally {
      await pool.close()
    }
  } else {
    const stdin = files.includes('-') ? await readStdin() : null
    const read = (file: string) =>
      file === '-' ? (stdin as Uint8Array | string) : readInputFile(file)
    for (const batch of batches) take(normalizeBatch(batch, options, read))
    parquet = parsed.values.out ? tablesToParquet(chunks) : Promise.resolve({})
  }
  if (parsed.values.out) {
    const written = await parquet
    await mkdir(parsed.values.out, { recursive: true })
    for (const table of ['runs', 'intervals', 'metrics'] as const)
      await writeFile(join(parsed.values.out, `${table}.parquet`), written[table] as Uint8Array)
  }
  return failed > 0 ? 1 : 0
}

function parseWorkers(value: string | undefined, files: string[]): number | string {
  if (value === undefined)
    // Each worker thread loads and warms up its own code: on 2 cores one thread was faster
    // (bench:cli, 40 MB: 2,422 ms vs 2,722 ms with two workers), so threads start above 2 cores.
    return files.length < MIN_FILES_FOR_WORKERS ||
      files.includes('-') ||
      availableParallelism() <= 2
      ? 1
      : Math.min(availableParallelism(), Math.ceil(files.length / BATCH_FILES))
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 256)
    return '--workers must be a whole number from 1 to 256'
  if (n > 1 && files.includes('-')) return "--workers above 1 cannot read standard input ('-')"
  return n
}

function parseLabels(pairs: string[]): Labels | undefined | string {
  if (pairs.length === 0) return undefined
  const labels: Record<string, unknown> = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) return `--label expects key=value (got '${pair}')`
    const [key, value] = [pair.slice(0, eq), pair.slice(eq + 1)]
    if (key.startsWith('software.'))
      labels.software = { ...(labels.software as object), [key.slice(9)]: value }
    else if (/^(source|destination)\.(host|node|vm)$/.test(key)) {
      const [side, part] = key.split('.')
      labels[side] = { ...(labels[side] as object), [part]: value }
    } else labels[key] = value
  }
  const result = LabelsSchema.partial().safeParse(labels)
  if (!result.success) {
    const issue = result.error.issues[0]
    return `label '${issue.path.join('.')}': ${issue.message}`
  }
  return result.data as Labels
}

async function readStdin(): Promise<Uint8Array | string> {
  try {
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of process.stdin) {
      size += (chunk as Buffer).length
      if (size > MAX_RAW_BYTES) return `standard input exceeds ${MAX_RAW_BYTES} bytes`
      chunks.push(chunk as Buffer)
    }
    return new Uint8Array(Buffer.concat(chunks))
  } catch (error) {
    return `cannot read -: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`
  }
}
