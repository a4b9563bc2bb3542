import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { sha256Hex } from '#core/rows.ts'
import { createParquetWriter } from '#adapters/parquet-writer.ts'
import type { IntervalRow, MetricRow, RunRow, TableName } from '#schemas/tables.ts'

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

/** Platform for a lab directory: baseline → baremetal, os-* → openstack, kv-* → kubevirt. */
export function platformOf(scenario: string): string {
  if (scenario === 'baseline') return 'baremetal'
  if (scenario.startsWith('os-')) return 'openstack'
  if (scenario.startsWith('kv-')) return 'kubevirt'
  throw new Error(`unknown lab scenario ${scenario}`)
}

/** The lab scenarios (directory names), sorted. */
export function labScenarios(): string[] {
  return readdirSync(LAB_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
}

/** Normalize `iperf3.json` and `qperf.txt` of every lab scenario into canonical rows. */
export function labRows(): LabRows {
  const out: LabRows = { runs: [], intervals: [], metrics: [] }
  for (const scenario of labScenarios()) {
    for (const file of ['iperf3.json', 'qperf.txt']) {
      const bytes = readFileSync(path.join(LAB_DIR, scenario, file))
      const result = normalizeRaw(bytes, {
        raw_key: `lab/${scenario}/${file}`,
        raw_sha256: sha256Hex(bytes),
        labels: { platform: platformOf(scenario), scenario, ...LAB_LABELS },
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
