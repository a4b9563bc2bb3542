import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { LabelsSchema } from '#schemas/labels.ts'
import type { Labels } from '#schemas/labels.ts'
import type { IntervalRow, MetricRow, RunRow } from '#schemas/tables.ts'
import { MAX_RAW_BYTES } from '#core/decode-raw.ts'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { sha256Hex } from '#core/rows.ts'
import type { NormalizeResult } from '#schemas/parse-result.ts'

const USAGE = `usage: netlake normalize [--json] [--out DIR] [--label key=value ...] FILE...

Parses iperf3 (-J, --json-stream) and qperf output offline; the format is read from the content.
FILE may be '-' for standard input. Files above ${MAX_RAW_BYTES} bytes are refused.

  --json           one JSON object per input file per line on stdout
  --out DIR        write runs.parquet, intervals.parquet, metrics.parquet to DIR
  --label k=v      a label for every run (platform, scenario, campaign, hardware_profile,
                   nic_speed_bps, link_mtu, mtu, ...); repeatable

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
  const all = { runs: [] as RunRow[], intervals: [] as IntervalRow[], metrics: [] as MetricRow[] }
  let failed = 0
  for (const file of parsed.positionals) {
    const bytes = await readInput(file)
    const result: NormalizeResult =
      typeof bytes === 'string'
        ? { ok: false, error: { code: 'unreadable', message: bytes } }
        : normalizeRaw(bytes, { raw_key: null, raw_sha256: sha256Hex(bytes), labels })
    if (!result.ok) {
      failed++
      const place = result.error.path
        ? ` at ${result.error.path}`
        : result.error.offset !== undefined
          ? ` at byte ${result.error.offset}`
          : ''
      const where = place && !result.error.message.includes(place.slice(4)) ? place : ''
      if (parsed.values.json)
        console.log(
          JSON.stringify({
            file,
            ok: false,
            error: `${result.error.code}: ${result.error.message}${where}`,
          }),
        )
      else console.error(`${file}: rejected: ${result.error.message}${where}`)
      continue
    }
    all.runs.push(...result.runs)
    all.intervals.push(...result.intervals)
    all.metrics.push(...result.metrics)
    if (parsed.values.json) {
      console.log(
        JSON.stringify({
          file,
          ok: true,
          runs: result.runs,
          intervals: result.intervals.length,
          metrics: result.metrics,
          warnings: result.warnings,
        }),
      )
    } else {
      for (const r of result.runs) {
        const headline =
          r.throughput_bps !== null
            ? `${(r.throughput_bps / 1e9).toFixed(3)} Gbit/s`
            : r.latency_s !== null
              ? `${(r.latency_s * 1e6).toFixed(2)} us`
              : '-'
        console.log(
          `${file}#${r.document_index}: ${r.tool} ${r.tool_version ?? '?'} ${r.test ?? '?'} ${r.status} ${headline}${r.error_message ? ` (${r.error_message})` : ''}`,
        )
      }
      for (const w of result.warnings)
        console.error(`${file}: warning: ${w.message}${w.path ? ` at ${w.path}` : ''}`)
    }
  }
  if (parsed.values.out) await writeParquet(parsed.values.out, all)
  return failed > 0 ? 1 : 0
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

async function readInput(file: string): Promise<Uint8Array | string> {
  try {
    if (file === '-') {
      const chunks: Buffer[] = []
      let size = 0
      for await (const chunk of process.stdin) {
        size += (chunk as Buffer).length
        if (size > MAX_RAW_BYTES) return `standard input exceeds ${MAX_RAW_BYTES} bytes`
        chunks.push(chunk as Buffer)
      }
      return new Uint8Array(Buffer.concat(chunks))
    }
    const { size } = await import('node:fs/promises').then((fs) => fs.stat(file))
    if (size > MAX_RAW_BYTES)
      return `input is ${size} bytes; the limit is ${MAX_RAW_BYTES} bytes (64 MiB)`
    return new Uint8Array(await readFile(file))
  } catch (error) {
    return `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`
  }
}

async function writeParquet(
  dir: string,
  tables: { runs: RunRow[]; intervals: IntervalRow[]; metrics: MetricRow[] },
): Promise<void> {
  const { createParquetWriter } = await import('#adapters/parquet-writer.ts')
  const writer = await createParquetWriter()
  await mkdir(dir, { recursive: true })
  for (const table of ['runs', 'intervals', 'metrics'] as const) {
    await writeFile(join(dir, `${table}.parquet`), writer.write(table, tables[table]))
  }
}
