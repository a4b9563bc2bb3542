import { createHash } from 'node:crypto'
import { compactedKey, shaOfCuratedKey } from '#core/object-keys.ts'
import type {
  DatasetFile,
  DatasetPartition,
  ObjectStore,
  ParquetWriter,
  RunCatalog,
} from '#functions/ports.ts'
import { updatePartition } from '#functions/lake/update-partition.ts'
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

export type CompactResult =
  | { partition: string; outcome: 'compacted'; files_in: number; rows: number; key: string }
  | { partition: string; outcome: 'skipped'; reason: string }

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
  const sources = await committedFiles(partition.files, deps.catalog, options.maxRowsPerFile)
  if (sources.length < options.minFiles)
    return { partition: name, outcome: 'skipped', reason: `${sources.length} compactable file(s)` }

  const rows: Record<string, unknown>[] = []
  for (const file of sources) {
    const bytes = await deps.curated.get(file.key)
    if (!bytes)
      return {
        partition: name,
        outcome: 'skipped',
        reason: `${file.key} vanished (another compaction won)`,
      }
    for (const row of await deps.readParquet(bytes)) rows.push(row)
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
  if (deps.manifestBucket !== undefined) {
    await publishManifest(
      { curated: deps.curated, catalog: deps.catalog, curatedBucket: deps.manifestBucket },
      partition.table,
      partition.date,
    )
  } else for (const file of sources) await deps.curated.delete(file.key)
  return { partition: name, outcome: 'compacted', files_in: sources.length, rows: rows.length, key }
}

/** Compacted files and small files whose raw object has an ingest record, up to the row budget. */
async function committedFiles(
  files: DatasetFile[],
  catalog: RunCatalog,
  maxRows: number,
): Promise<DatasetFile[]> {
  const chosen: DatasetFile[] = []
  let rows = 0
  for (const file of files) {
    if (rows + file.rows > maxRows && chosen.length > 0) break
    const sha = shaOfCuratedKey(file.key)
    if (sha !== null && (await catalog.getIngestRecord(sha))?.outcome !== 'ingested') continue
    chosen.push(file)
    rows += file.rows
  }
  return chosen
}
