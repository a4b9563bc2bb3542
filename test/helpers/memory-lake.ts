import { readFileSync } from 'node:fs'
import { createMemoryObjectStore } from '#adapters/memory-object-store.ts'
import { createMemoryRunCatalog } from '#adapters/memory-run-catalog.ts'
import { createParquetWriter, readParquetRows } from '#adapters/parquet-writer.ts'
import type { IngestDeps } from '#functions/ingest/ingest-object.ts'
import type { Labels } from '#schemas/labels.ts'
import type { TableName } from '#schemas/tables.ts'
import { defaultScenarioCatalog, findScenario } from '#core/compare/scenario-catalog.ts'

/** Memory twins of every port plus the real Parquet writer: a whole lake in one test. */
export async function createMemoryLake(now = new Date('2026-11-26T10:00:00Z')) {
  const deps: IngestDeps = {
    raw: createMemoryObjectStore('raw'),
    curated: createMemoryObjectStore('curated'),
    catalog: createMemoryRunCatalog(),
    parquet: await createParquetWriter(),
    clock: { now: () => now },
  }
  return {
    ...deps,
    reports: createMemoryObjectStore('reports'),
    readParquet: readParquetRows,
    deps,
  }
}

/** A fixture file's bytes. */
export const fixtureBytes = (path: string): Uint8Array<ArrayBuffer> =>
  new Uint8Array(readFileSync(new URL(`../fixtures/${path}`, import.meta.url)))

/** Labels of a lab scenario directory, as `netlake lab` sets them (hardware profile `lab-netns`). */
export function labLabels(scenario: string, extra: Partial<Labels> = {}): Labels {
  const known = findScenario(defaultScenarioCatalog(), scenario)
  if (!known) throw new Error(`${scenario} is not in the scenario catalog`)
  return {
    platform: known.platform,
    scenario,
    hardware_profile: 'lab-netns',
    link_mtu: 1500,
    mtu: known.expected_mtu,
    ...extra,
  }
}

/**
 * A distinct iperf3 document derived from a real one: the cookie and the first interval's bytes
 * change, so the sha and run id change while the document stays valid.
 */
export function variantOf(bytes: Uint8Array, n: number): Uint8Array {
  const text = new TextDecoder().decode(bytes)
  return new TextEncoder().encode(
    text.replace(
      /"cookie":\s*"([a-z0-9]+)"/,
      (_m, c: string) => `"cookie":\t"${c.slice(0, 20)}${String(n).padStart(16, '0')}"`,
    ),
  )
}

/**
 * Every row the catalog's partitions of `table` list, read back from the curated Parquet, each
 * with its partition's `_platform`; a file whose row count differs from its listing throws.
 */
export async function lakeRows(
  lake: Awaited<ReturnType<typeof createMemoryLake>>,
  table: TableName,
): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = []
  for (const partition of await lake.catalog.listPartitions(table)) {
    for (const file of partition.files) {
      const found = await lake.readParquet((await lake.curated.get(file.key)) as Uint8Array)
      if (found.length !== file.rows)
        throw new Error(`${file.key}: ${found.length} rows, listed with ${file.rows}`)
      rows.push(...found.map((row) => ({ ...row, _platform: partition.platform })))
    }
  }
  return rows
}

/** The run ids the lake's `runs` partitions list, sorted. */
export async function lakeRunIds(lake: Awaited<ReturnType<typeof createMemoryLake>>) {
  return (await lakeRows(lake, 'runs')).map((row) => row.run_id as string).sort()
}

/** A promise opened by hand: lets a test hold one side of a race at an exact point. */
export function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {}
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { open: () => open(), opened }
}
