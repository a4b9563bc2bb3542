import { createHash } from 'node:crypto'
import { compactedKey, shaOfCuratedKey } from '#core/object-keys.ts'
import { ConditionFailedError } from '#functions/ports.ts'
import type { DatasetFile, DatasetPartition, ObjectStore, ParquetWriter } from '#functions/ports.ts'
import { publishManifests } from '#functions/lake/symlink-manifest.ts'
import type { RunCatalog } from '#functions/ports.ts'

type Where = Pick<DatasetPartition, 'table' | 'platform' | 'date'>

/** What rewriting an object's partitions needs. */
export interface RewriteDeps {
  curated: ObjectStore
  catalog: RunCatalog
  parquet: ParquetWriter
  readParquet: (bytes: Uint8Array) => Promise<Record<string, unknown>[]>
  /** Curated bucket name: republish the days' symlink manifests and leave replaced files to the sweeper. */
  manifestBucket?: string
}

const MAX_ATTEMPTS = 20

/**
 * Takes one raw object's rows out of the partitions that hold them and puts its new files in:
 * per partition, its own small file is dropped, every compacted file holding one of `runIds` is
 * rewritten without those rows, and `add` (the object's new file there, if any) is listed, all in
 * ONE conditional write of the partition's file list, the same switch compaction makes. Readers
 * see the old rows or the new ones, never both. Replays converge: the rewritten files have keys
 * derived from what they replace, and a partition already in the target state is left alone.
 */
export async function rewriteObjectPartitions(
  sha256: string,
  runIds: readonly string[],
  partitions: readonly Where[],
  added: ReadonlyArray<{ where: Where; file: DatasetFile }>,
  deps: RewriteDeps,
): Promise<void> {
  const drop = new Set(runIds)
  const targets = new Map<string, { where: Where; add: DatasetFile | null }>()
  const id = (w: Where) => `${w.table}|${w.platform}|${w.date}`
  for (const where of partitions) targets.set(id(where), { where, add: null })
  for (const { where, file } of added) targets.set(id(where), { where, add: file })
  const replaced: string[] = []
  for (const { where, add } of targets.values())
    replaced.push(...(await switchPartition(where, sha256, drop, add, deps)))
  if (deps.manifestBucket !== undefined)
    await publishManifests(
      { ...deps, curatedBucket: deps.manifestBucket },
      [...targets.values()].map((t) => t.where),
    )
  else for (const key of replaced) await deps.curated.delete(key)
}

/** One partition's switch; the keys it took out of the list. */
async function switchPartition(
  where: Where,
  sha256: string,
  drop: ReadonlySet<string>,
  add: DatasetFile | null,
  deps: RewriteDeps,
): Promise<string[]> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await deps.catalog.getPartition(where.table, where.platform, where.date)
    const files = current?.files ?? []
    const next: DatasetFile[] = []
    const replaced: string[] = []
    let vanished = false
    for (const file of files) {
      if (add && file.key === add.key) continue // listed again below with its new size
      const owner = shaOfCuratedKey(file.key)
      if (owner === sha256) {
        replaced.push(file.key)
        continue
      }
      if (owner !== null || drop.size === 0) {
        next.push(file)
        continue
      }
      const bytes = await deps.curated.get(file.key)
      if (bytes === null) {
        vanished = true // a compaction replaced it since we read the list
        break
      }
      const rows = await deps.readParquet(bytes)
      const kept = rows.filter((row) => !drop.has(row.run_id as string))
      if (kept.length === rows.length) {
        next.push(file)
        continue
      }
      replaced.push(file.key)
      if (kept.length === 0) continue
      const digest = createHash('sha256').update(`${file.key}\n-${sha256}`).digest('hex')
      const key = compactedKey(where.table, where.platform, where.date, digest)
      const body = deps.parquet.write(where.table, kept)
      await deps.curated.put(key, body, { contentType: 'application/vnd.apache.parquet' })
      next.push({ key, rows: kept.length, bytes: body.byteLength })
    }
    if (vanished) continue
    const listed = add ? files.find((f) => f.key === add.key) : undefined
    if (add) next.push(add)
    const unchanged =
      replaced.length === 0 &&
      (add === null || (listed?.rows === add.rows && listed?.bytes === add.bytes))
    if (unchanged) return []
    try {
      await deps.catalog.putPartition(
        { ...where, version: (current?.version ?? 0) + 1, files: next },
        current?.version ?? null,
      )
      return replaced
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
