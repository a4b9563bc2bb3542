import { curatedKey, partitionValue } from '#core/object-keys.ts'
import type { IntervalRow, RunRow } from '#schemas/tables.ts'
import type { ApiContext } from './app.ts'

/**
 * The interval rows of many runs, each Parquet file read once: per (platform, date) partition,
 * the runs' own files when present, else the compacted files that absorbed them.
 */
export async function intervalsOfRuns(
  runs: readonly RunRow[],
  deps: ApiContext['deps'],
): Promise<IntervalRow[]> {
  const wanted = new Set(runs.map((r) => r.run_id).filter((id): id is string => id !== null))
  const groups = new Map<string, { platform: string; date: string; shas: Set<string> }>()
  for (const run of runs) {
    if (!run.raw_sha256 || !run.date) continue
    const platform = partitionValue(run.platform)
    const id = `${platform}/${run.date}`
    const group = groups.get(id) ?? { platform, date: run.date, shas: new Set<string>() }
    group.shas.add(run.raw_sha256)
    groups.set(id, group)
  }
  const keys = new Set<string>()
  for (const { platform, date, shas } of groups.values()) {
    const partition = await deps.catalog.getPartition('intervals', platform, date)
    const files = partition?.files.map((f) => f.key) ?? []
    let needsCompacted = false
    for (const sha of shas) {
      const own = curatedKey('intervals', platform, date, sha)
      if (files.includes(own)) keys.add(own)
      else needsCompacted = true
    }
    if (needsCompacted) for (const key of files) if (key.includes('/compacted-')) keys.add(key)
  }
  const rows: IntervalRow[] = []
  for (const key of keys) {
    const bytes = await deps.curated.get(key)
    if (!bytes) continue
    for (const row of await deps.readParquet(bytes)) {
      const interval = row as IntervalRow
      if (interval.run_id !== null && wanted.has(interval.run_id)) rows.push(interval)
    }
  }
  return rows
}
