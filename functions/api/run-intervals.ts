import { partitionValue, sourcesOfFile } from '#core/object-keys.ts'
import type { IntervalRow, RunRow } from '#schemas/tables.ts'
import type { IntervalsRead } from '#functions/compare/compare-scenario.ts'
import type { ApiContext } from './app.ts'
import {
  readCuratedRows,
  UnreadableFileError,
  type SkippedFile,
} from '#functions/lake/parquet-problem.ts'

/** Why a file the catalog lists is in `skipped` when the bucket does not hold it. */
export const MISSING_FILE = 'listed in the catalog but missing from the curated bucket'

/**
 * The interval rows of many runs, each Parquet file read once: per (platform, date) partition,
 * the files whose sources hold the runs' raw objects (one-object or batch files), else the
 * compacted files that absorbed them. A file that cannot be read, or is missing, is left out and named in
 * `skipped` with its reason; the runs whose rows it may hold are listed in `unreadableRuns`.
 */
export async function intervalsOfRuns(
  runs: readonly RunRow[],
  deps: ApiContext['deps'],
): Promise<IntervalsRead> {
  const wanted = new Set(runs.map((r) => r.run_id).filter((id): id is string => id !== null))
  const groups = new Map<string, { platform: string; date: string; runs: RunRow[] }>()
  for (const run of runs) {
    if (!run.raw_sha256 || !run.date) continue
    const platform = partitionValue(run.platform)
    const id = `${platform}/${run.date}`
    const group = groups.get(id) ?? { platform, date: run.date, runs: [] }
    group.runs.push(run)
    groups.set(id, group)
  }
  /** Each file to read, with the run ids whose rows it may hold. */
  const files = new Map<string, Set<string>>()
  const need = (key: string, of: readonly RunRow[]) => {
    const ids = files.get(key) ?? new Set<string>()
    for (const run of of) if (run.run_id !== null) ids.add(run.run_id)
    files.set(key, ids)
  }
  for (const { platform, date, runs: inGroup } of groups.values()) {
    const partition = await deps.catalog.getPartition('intervals', platform, date)
    const listed = partition?.files ?? []
    const covered = new Set<string>()
    for (const file of listed) {
      const sources = new Set(sourcesOfFile(file))
      const own = inGroup.filter((run) => sources.has(run.raw_sha256!))
      if (own.length > 0) need(file.key, own)
      for (const sha of sources) covered.add(sha)
    }
    const uncovered = inGroup.filter((run) => !covered.has(run.raw_sha256!))
    if (uncovered.length > 0)
      for (const file of listed) if (sourcesOfFile(file).length === 0) need(file.key, uncovered)
  }
  const rows: IntervalRow[] = []
  const skipped: SkippedFile[] = []
  const unreadableRuns = new Set<string>()
  for (const [key, ids] of files) {
    const bytes = await deps.curated.get(key)
    if (!bytes) {
      // Listed but gone (removed by hand, or read just as compaction switched the list): the
      // runs' rows are missing, and the answer says so rather than showing a run without them.
      skipped.push({ key, reason: MISSING_FILE })
      for (const id of ids) unreadableRuns.add(id)
      continue
    }
    let read: Record<string, unknown>[]
    try {
      read = await readCuratedRows(key, bytes, deps.readParquet)
    } catch (error) {
      if (!(error instanceof UnreadableFileError)) throw error
      skipped.push({ key: error.key, reason: error.reason })
      for (const id of ids) unreadableRuns.add(id)
      continue
    }
    for (const row of read) {
      const interval = row as IntervalRow
      if (interval.run_id !== null && wanted.has(interval.run_id)) rows.push(interval)
    }
  }
  return { rows, skipped, unreadableRuns: [...unreadableRuns] }
}
