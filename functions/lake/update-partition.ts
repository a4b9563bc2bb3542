import { sourcesOfFile } from '#core/object-keys.ts'
import { ConditionFailedError } from '#functions/ports.ts'
import type {
  DatasetFile,
  DatasetPartition,
  IngestLedger,
  PartitionCatalog,
} from '#functions/ports.ts'

const MAX_ATTEMPTS = 20

/**
 * Edits one partition's file list with optimistic concurrency: read, change, write if the version
 * is unchanged, else retry. `change` returns the new list, or null when nothing needs to change;
 * it may read other state (awaited inside the attempt, after the partition was read, so the
 * conditional write fails if the partition moved meanwhile).
 */
export async function updatePartition(
  catalog: PartitionCatalog,
  where: Pick<DatasetPartition, 'table' | 'platform' | 'date'>,
  change: (files: DatasetFile[]) => DatasetFile[] | null | Promise<DatasetFile[] | null>,
): Promise<DatasetPartition | null> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await catalog.getPartition(where.table, where.platform, where.date)
    const files = await change(current?.files ?? [])
    if (files === null) return current
    const next: DatasetPartition = { ...where, version: (current?.version ?? 0) + 1, files }
    try {
      await catalog.putPartition(next, current?.version ?? null)
      return next
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(200, 5 * 2 ** attempt) * Math.random()),
      )
    }
  }
  throw new Error(
    `partition ${where.table}/${where.platform}/${where.date} stayed contended after ${MAX_ATTEMPTS} attempts`,
  )
}

/**
 * Adds a file to its partition unless it is already listed, or a listed file already holds rows
 * of one of its raw objects (a batch file written by an earlier, interrupted delivery), or one of
 * its objects is already committed: replays are no-ops.
 */
export function registerFile(
  catalog: PartitionCatalog & Pick<IngestLedger, 'getIngestRecord'>,
  where: Pick<DatasetPartition, 'table' | 'platform' | 'date'>,
  file: DatasetFile,
): Promise<DatasetPartition | null> {
  const mine = new Set(sourcesOfFile(file))
  return updatePartition(catalog, where, async (files) => {
    if (files.some((f) => f.key === file.key || sourcesOfFile(f).some((sha) => mine.has(sha))))
      return null
    return (await anyCommitted(catalog, mine)) ? null : [...files, file]
  })
}

/**
 * Whether one of these raw objects already has its ingest record. Checked after the partition is
 * read: a compacted file lists no sources, so a delivery that passed its "not ingested yet" check
 * before another delivery committed and compaction merged the object's file would otherwise add
 * its rows a second time. Compaction merges committed objects only, and the commit precedes that
 * merge, so a partition read after the merge sees the commit here; a merge after this read moves
 * the partition's version and the conditional write retries.
 */
export async function anyCommitted(
  ledger: Pick<IngestLedger, 'getIngestRecord'>,
  shas: Iterable<string>,
): Promise<boolean> {
  for (const sha of shas) if (await ledger.getIngestRecord(sha)) return true
  return false
}
