import { createHash } from 'node:crypto'
import { compactedKey, sourcesOfFile } from '#core/object-keys.ts'
import type {
  DatasetFile,
  DatasetPartition,
  ObjectStore,
  ParquetWriter,
  RunCatalog,
} from '#functions/ports.ts'
import { updatePartition } from '#functions/lake/update-partition.ts'
import { corruptFileKey, parquetProblem } from '#functions/lake/parquet-problem.ts'
import type { SkippedFile } from '#functions/lake/parquet-problem.ts'
import { publishManifest } from '#functions/lake/symlink-manifest.ts'

export interface CompactDeps {
  curated: ObjectStore
  catalog: RunCatalog
  parquet: ParquetWriter
  readParquet: (bytes: Uint8Array) => Promise<Record<string, unknown>[]>
  /**
   * The curated bucket's name: when set, the day's symlink manifest is republished after the
   * switch and the replaced files are left for the sweeper (`sweepLake`), so an external reader
   * holding the previous manifest can still read them. Unset: no manifests, replaced files are
   * deleted at once (the catalog is then the only way to read the lake).
   */
  manifestBucket?: string
}

export interface CompactOptions {
  /** Rows per compacted file; bounds the memory one compaction holds. */
  maxRowsPerFile: number
  /** Partitions with fewer compactable files are left alone. */
  minFiles: number
}

export const DEFAULT_COMPACT_OPTIONS: CompactOptions = { maxRowsPerFile: 2_000_000, minFiles: 2 }

/** `corrupt`: files that could not be read, moved to `quarantine/<key>` and out of the partition. */
export type CompactResult =
  | {
      partition: string
      outcome: 'compacted'
      files_in: number
      rows: number
      key: string
      corrupt?: SkippedFile[]
    }
  | { partition: string; outcome: 'skipped'; reason: string; corrupt?: SkippedFile[] }

/**
 * Merges a partition's small Parquet files into one: write the new file, switch the partition's
 * file list in one conditional write, then publish the day's manifest (external readers switch in
 * one PUT) or, without manifests, delete the old files. Only files whose ingest has
 * committed are merged, so a replayed ingest can never re-add rows a compacted file already holds.
 * Safe to run twice or alongside ingest: a lost race leaves the winner's list untouched.
 */
export async function compactPartition(
  partition: DatasetPartition,
  deps: CompactDeps,
  options: CompactOptions = DEFAULT_COMPACT_OPTIONS,
): Promise<CompactResult> {
  const name = `${partition.table}/platform=${partition.platform}/date=${partition.date}`
  const candidates = await committedFiles(partition.files, deps.catalog, options.maxRowsPerFile)
  if (candidates.length < options.minFiles)
    return {
      partition: name,
      outcome: 'skipped',
      reason: `${candidates.length} compactable file(s)`,
    }

  const rows: Record<string, unknown>[] = []
  const sources: DatasetFile[] = []
  const corrupt: SkippedFile[] = []
  for (const file of candidates) {
    const bytes = await deps.curated.get(file.key)
    if (!bytes)
      return {
        partition: name,
        outcome: 'skipped',
        reason: `${file.key} vanished (another compaction won)`,
      }
    const read = await readRows(bytes, deps.readParquet)
    if (typeof read === 'string') {
      corrupt.push({ key: file.key, reason: read })
      await deps.curated.put(corruptFileKey(file.key), bytes, {
        contentType: 'application/octet-stream',
      })
      continue
    }
    for (const row of read) rows.push(row)
    sources.push(file)
  }
  if (corrupt.length > 0) {
    // Out of the read set, so no reader trips on them again; `netlake reprocess` rebuilds their rows.
    const bad = new Set(corrupt.map((f) => f.key))
    await updatePartition(deps.catalog, partition, (files) =>
      files.some((f) => bad.has(f.key)) ? files.filter((f) => !bad.has(f.key)) : null,
    )
    for (const file of corrupt) await deps.curated.delete(file.key)
    if (sources.length < options.minFiles)
      return {
        partition: name,
        outcome: 'skipped',
        reason: `${sources.length} compactable file(s) after moving ${corrupt.length} unreadable file(s) aside`,
        corrupt,
      }
  }
  const digest = createHash('sha256')
    .update(
      sources
        .map((f) => f.key)
        .sort()
        .join('\n'),
    )
    .digest('hex')
  const key = compactedKey(partition.table, partition.platform, partition.date, digest)
  const body = deps.parquet.write(partition.table, rows)
  await deps.curated.put(key, body, { contentType: 'application/vnd.apache.parquet' })

  const sourceKeys = new Set(sources.map((f) => f.key))
  let switched = false
  await updatePartition(deps.catalog, partition, (files) => {
    switched = false
    if (files.some((f) => f.key === key)) return null // an identical compaction already switched
    if (sources.some((s) => !files.some((f) => f.key === s.key))) return null // lost a race: leave it
    switched = true
    return [
      ...files.filter((f) => !sourceKeys.has(f.key)),
      { key, rows: rows.length, bytes: body.byteLength },
    ]
  })
  if (!switched) {
    const now = await deps.catalog.getPartition(partition.table, partition.platform, partition.date)
    if (!now?.files.some((f) => f.key === key)) await deps.curated.delete(key)
    return {
      partition: name,
      outcome: 'skipped',
      reason: 'partition changed under us; the other writer won',
    }
  }
  // With symlink manifests, external readers still list the replaced files until the manifest
  // switches; the sweeper deletes them after a grace period. Without, they go now.
  if (deps.manifestBucket !== undefined) {
    await publishManifest(
      { curated: deps.curated, catalog: deps.catalog, curatedBucket: deps.manifestBucket },
      partition.table,
      partition.date,
    )
  } else for (const file of sources) await deps.curated.delete(file.key)
  return {
    partition: name,
    outcome: 'compacted',
    files_in: sources.length,
    rows: rows.length,
    key,
    ...(corrupt.length > 0 ? { corrupt } : {}),
  }
}

/** The file's rows, or why it cannot be read. */
async function readRows(
  bytes: Uint8Array,
  readParquet: CompactDeps['readParquet'],
): Promise<Record<string, unknown>[] | string> {
  const problem = parquetProblem(bytes)
  if (problem !== null) return problem
  try {
    return await readParquet(bytes)
  } catch (error) {
    return `cannot be read: ${error instanceof Error ? error.message : String(error)}`
  }
}

/** Compacted files and small or batch files whose raw objects all have an ingest record, up to the row budget. */
async function committedFiles(
  files: DatasetFile[],
  catalog: RunCatalog,
  maxRows: number,
): Promise<DatasetFile[]> {
  const chosen: DatasetFile[] = []
  let rows = 0
  for (const file of files) {
    if (rows + file.rows > maxRows && chosen.length > 0) break
    let committed = true
    for (const sha of sourcesOfFile(file))
      if ((await catalog.getIngestRecord(sha))?.outcome !== 'ingested') committed = false
    if (!committed) continue
    chosen.push(file)
    rows += file.rows
  }
  return chosen
}
