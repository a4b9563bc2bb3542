import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { sha256Hex } from '#core/rows.ts'
import { createParquetWriter } from '#adapters/parquet-writer.ts'
import { comparisonKey } from '#core/compare/comparison-key.ts'
import type { Labels } from '#schemas/labels.ts'
import type { IntervalRow, MetricRow, RunRow, TableName } from '#schemas/tables.ts'
import { defaultScenarioCatalog, findScenario } from '#core/compare/scenario-catalog.ts'
import { createDuckDb, type NodeDuckDb } from '#adapters/duckdb-node.ts'
import { planDatasets, type DatasetPlan } from '#sql/dataset-views.ts'
import type { DatasetsManifest } from '#schemas/api.ts'

/** The lab fixtures' directory. */
export const LAB_DIR = path.resolve(import.meta.dirname, '../fixtures/lab')

/** Labels every lab run gets besides platform/scenario (one box, one campaign). */
export const LAB_LABELS = { campaign: 'lab-2026-11-26', hardware_profile: 'one-box-2vcpu' }

/** Canonical rows of all lab fixtures, by table. */
export interface LabRows {
  runs: RunRow[]
  intervals: IntervalRow[]
  metrics: MetricRow[]
}

/** Platform for a lab directory, from the scenario catalog. */
export function platformOf(scenario: string): string {
  const known = findScenario(defaultScenarioCatalog(), scenario)
  if (!known) throw new Error(`unknown lab scenario ${scenario}`)
  return known.platform
}

/** The lab scenarios (directory names), sorted. */
export function labScenarios(): string[] {
  return readdirSync(LAB_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
}

/** Normalize `iperf3.json` and `qperf.txt` of every lab scenario into canonical rows. */
export function labRows(extraLabels: (scenario: string) => Partial<Labels> = () => ({})): LabRows {
  return normalizeLabFiles(['iperf3.json', 'qperf.txt'], extraLabels)
}

/** The server-side iperf3 documents (`iperf3-server.json`) of every lab scenario. */
export function serverRows(): LabRows {
  return normalizeLabFiles(['iperf3-server.json'], () => ({}))
}

function normalizeLabFiles(
  names: string[],
  extraLabels: (scenario: string) => Partial<Labels>,
): LabRows {
  const out: LabRows = { runs: [], intervals: [], metrics: [] }
  for (const scenario of labScenarios()) {
    for (const file of names) {
      const bytes = readFileSync(path.join(LAB_DIR, scenario, file))
      const result = normalizeRaw(bytes, {
        raw_key: `lab/${scenario}/${file}`,
        raw_sha256: sha256Hex(bytes),
        labels: {
          platform: platformOf(scenario),
          scenario,
          ...LAB_LABELS,
          ...extraLabels(scenario),
        },
      })
      if (!result.ok) throw new Error(`${scenario}/${file}: ${result.error.message}`)
      out.runs.push(...result.runs)
      out.intervals.push(...result.intervals)
      out.metrics.push(...result.metrics)
    }
  }
  return out
}

/** One written Parquet file. */
export interface WrittenFile {
  table: TableName
  file: string
  rows: number
  bytes: number
}

/**
 * Write the rows as Parquet into `dir`, one file per table and platform (like the curated
 * layout), with the project's Parquet writer. Tables without rows get no file.
 */
export async function writeLabParquet(dir: string, rows: LabRows): Promise<WrittenFile[]> {
  const writer = await createParquetWriter()
  mkdirSync(dir, { recursive: true })
  const platformOfRun = new Map(rows.runs.map((r) => [r.run_id, r.platform ?? 'unknown']))
  const written: WrittenFile[] = []
  for (const table of ['runs', 'intervals', 'metrics'] as const) {
    const groups = new Map<string, Record<string, unknown>[]>()
    for (const row of rows[table] as Array<Record<string, unknown>>) {
      const platform = platformOfRun.get(row.run_id as string) ?? 'unknown'
      groups.set(platform, [...(groups.get(platform) ?? []), row])
    }
    for (const [platform, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      const file = `${table}-${platform}.parquet`
      const bytes = writer.write(table, group)
      writeFileSync(path.join(dir, file), bytes)
      written.push({ table, file, rows: group.length, bytes: bytes.byteLength })
    }
  }
  return written
}

/** Deterministic spread of copy k of run i: one of 1001 factors in [0.95, 1.05]. */
export function copyFactor(k: number, i: number): number {
  return 1 + (((k * 7919 + i * 104_729) % 1001) - 500) / 10_000
}

/**
 * A synthetic lake of `copies` repetitions of the lab rows, for scale tests: copy k gets a new
 * run id, repetition k, campaign `lab-c{k % 4}`, hardware profile by parity, a start time k hours
 * later, and throughput/latency scaled by `copyFactor(k, i)`; the comparison key is recomputed.
 */
export function replicateRows(rows: LabRows, copies: number): LabRows {
  const out: LabRows = { runs: [], intervals: [], metrics: [] }
  for (let k = 0; k < copies; k++) {
    const id = (runId: string) => `${runId.slice(0, 24)}${k.toString(16).padStart(8, '0')}`
    for (const [i, run] of rows.runs.entries()) {
      const f = copyFactor(k, i)
      const started =
        run.started_at === null
          ? null
          : new Date(Date.parse(run.started_at) + k * 3_600_000).toISOString()
      const copy: RunRow = {
        ...run,
        run_id: id(run.run_id!),
        repetition: k,
        campaign: `lab-c${k % 4}`,
        hardware_profile: k % 2 === 0 ? 'one-box-2vcpu' : 'one-box-4vcpu',
        started_at: started,
        date: started === null ? run.date : started.slice(0, 10),
        throughput_bps: run.throughput_bps === null ? null : run.throughput_bps * f,
        latency_s: run.latency_s === null ? null : run.latency_s * f,
      }
      copy.ceiling_fraction =
        copy.throughput_bps !== null && copy.ceiling_bps
          ? copy.throughput_bps / copy.ceiling_bps
          : null
      copy.comparison_key = comparisonKey(copy)
      out.runs.push(copy)
    }
    for (const interval of rows.intervals)
      out.intervals.push({ ...interval, run_id: id(interval.run_id!) })
    for (const metric of rows.metrics) out.metrics.push({ ...metric, run_id: id(metric.run_id!) })
  }
  return out
}

/**
 * The notebook's dataset plan (file registrations, table views, client views) for Parquet files
 * written by `writeLabParquet` into `dir`; `localPath` maps each registration to its file.
 */
export function labDatasetPlan(
  dir: string,
  files: WrittenFile[],
): DatasetPlan & { localPath: (url: string) => string } {
  const manifest: DatasetsManifest = {
    generated_at: '2026-11-26T09:00:00Z',
    tables: { runs: [], intervals: [], metrics: [] },
  }
  for (const f of files)
    manifest.tables[f.table].push({
      url: f.file,
      key: f.file,
      platform: '',
      date: '',
      rows: f.rows,
      bytes: f.bytes,
    })
  const plan = planDatasets(manifest, 'http://127.0.0.1/data/')
  return { ...plan, localPath: (url) => path.join(dir, path.basename(new URL(url).pathname)) }
}

/** duckdb-wasm in Node with the notebook's views over the rows, written as Parquet into `dir`. */
export async function openLabDuckDb(dir: string, rows: LabRows): Promise<NodeDuckDb> {
  const plan = labDatasetPlan(dir, await writeLabParquet(dir, rows))
  const db = await createDuckDb()
  for (const file of plan.files) db.registerFile(file.name, plan.localPath(file.url))
  for (const statement of plan.statements) db.query(statement)
  return db
}
