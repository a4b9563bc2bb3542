import { sourcesOfFile } from '#core/object-keys.ts'
import { ConditionFailedError } from '#functions/ports.ts'
import type { DatasetFile, DatasetPartition, PartitionCatalog } from '#functions/ports.ts'

const MAX_ATTEMPTS = 20

/**
 * Edits one partition's file list with optimistic concurrency: read, change, write if the version
 * is unchanged, else retry. `change` returns the new list, or null when nothing needs to change.
 */
export async function updatePartition(
  catalog: PartitionCatalog,
  where: Pick<DatasetPartition, 'table' | 'platform' | 'date'>,
  change: (files: DatasetFile[]) => DatasetFile[] | null,
): Promise<DatasetPartition | null> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await catalog.getPartition(where.table, where.platform, where.date)
    const files = change(current?.files ?? [])
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
 * of one of its raw objects (a batch file written by an earlier, interrupted delivery): replays
 * are no-ops.
 */
export function registerFile(
  catalog: PartitionCatalog,
  where: Pick<DatasetPartition, 'table' | 'platform' | 'date'>,
  file: DatasetFile,
): Promise<DatasetPartition | null> {
  const mine = new Set(sourcesOfFile(file))
  return updatePartition(catalog, where, (files) =>
    files.some((f) => f.key === file.key || sourcesOfFile(f).some((sha) => mine.has(sha)))
      ? null
      : [...files, file],
  )
}
