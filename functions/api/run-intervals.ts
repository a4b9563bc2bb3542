import { partitionValue, sourcesOfFile } from '#core/object-keys.ts'
import type { IntervalRow, RunRow } from '#schemas/tables.ts'
import type { ApiContext } from './app.ts'
import { readCuratedRows } from '#functions/lake/parquet-problem.ts'

/**
 * The interval rows of many runs, each Parquet file read once: per (platform, date) partition,
 * the files whose sources hold the runs' raw objects (one-object or batch files), else the
 * compacted files that absorbed them. A file that cannot be read throws `UnreadableFileError`
 * naming it (the API answers 500 `unreadable-file` with its key, never a bare internal error).
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
    const files = partition?.files ?? []
    const covered = new Set<string>()
    for (const file of files) {
      const sources = sourcesOfFile(file)
      if (sources.some((sha) => shas.has(sha))) keys.add(file.key)
      for (const sha of sources) covered.add(sha)
    }
    const needsCompacted = [...shas].some((sha) => !covered.has(sha))
    if (needsCompacted)
      for (const file of files) if (sourcesOfFile(file).length === 0) keys.add(file.key)
  }
  const rows: IntervalRow[] = []
  for (const key of keys) {
    const bytes = await deps.curated.get(key)
    if (!bytes) continue
    for (const row of await readCuratedRows(key, bytes, deps.readParquet)) {
      const interval = row as IntervalRow
      if (interval.run_id !== null && wanted.has(interval.run_id)) rows.push(interval)
    }
  }
  return rows
}
