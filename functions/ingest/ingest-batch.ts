import { createHash } from 'node:crypto'
import { batchKey, curatedKey, parseRawKey, sourcesOfFile } from '#core/object-keys.ts'
import type { NormalizedRows } from '#schemas/parse-result.ts'
import type { DatasetFile, DatasetPartition } from '#functions/ports.ts'
import { compactPartition } from '#functions/compact/compact-partition.ts'
import { anyCommitted, updatePartition } from '#functions/lake/update-partition.ts'
import { publishManifests } from '#functions/lake/symlink-manifest.ts'
import { deriveRows, evictMismatch, writeQuarantineNote } from './derive-object.ts'
import { commit, ingestObject, isCrowded, putOnce } from './ingest-object.ts'
import type { IngestDeps, IngestOutcome } from './ingest-object.ts'

/** One key's fate in a batch: its outcome, or the infrastructure error to retry it for. */
export type BatchItem = { key: string } & (
  { ok: true; result: IngestOutcome } | { ok: false; error: unknown }
)

type Where = Pick<DatasetPartition, 'table' | 'platform' | 'date'>

interface Ready {
  key: string
  sha: string
  rows: NormalizedRows
}

/**
 * Ingests the raw objects of one event batch together: their rows go to ONE Parquet file per
 * partition (table, platform, date) instead of one per object and partition, so a burst leaves
 * few small files for compaction and Athena. Same guarantees as `ingestObject`, per object:
 * - a batch file lists its raw objects (`sources`), and a partition never takes a file holding
 *   rows of an object one of its files already holds (checked in the same conditional write), so
 *   a redelivery in another grouping, or a concurrent delivery, rewrites that partition's file
 *   without those objects instead of doubling them;
 * - each object's ingest record is still written last, after its runs, so a crash anywhere
 *   leaves it uncommitted and the retry converges.
 * An infrastructure failure fails only the objects it touched (their items come back `ok:
 * false`); staged uploads and lone objects go through `ingestObject`.
 */
export async function ingestBatch(keys: string[], deps: IngestDeps): Promise<BatchItem[]> {
  const items = new Map<string, BatchItem>()
  const settle = async (key: string, work: () => Promise<IngestOutcome | null>) => {
    try {
      const result = await work()
      if (result) items.set(key, { key, ok: true, result })
    } catch (error) {
      items.set(key, { key, ok: false, error })
    }
  }
  const raw: Array<{ key: string; sha: string; date: string }> = []
  const shas = new Set<string>()
  for (const key of new Set(keys)) {
    const parsed = parseRawKey(key)
    // The same bytes under two keys (two dates) stay apart: the second one finds the first's record.
    if (parsed && !shas.has(parsed.sha256)) {
      shas.add(parsed.sha256)
      raw.push({ key, sha: parsed.sha256, date: parsed.date })
    } else await settle(key, () => ingestObject(key, deps))
  }
  if (raw.length <= 1) {
    for (const { key } of raw) await settle(key, () => ingestObject(key, deps))
    return keys.filter((k, i) => keys.indexOf(k) === i).map((k) => items.get(k) as BatchItem)
  }

  // 1. Each object: already committed? derive its rows (or its rejection), nothing written yet.
  const ready: Ready[] = []
  const parts = new Map<string, { where: Where; members: Array<{ sha: string; rows: Row[] }> }>()
  for (const { key, sha, date } of raw)
    await settle(key, async () => {
      const done = await deps.catalog.getIngestRecord(sha)
      if (done)
        return {
          outcome: 'skipped',
          key,
          run_ids: done.run_ids,
          reason: `already ${done.outcome} by parser ${done.parser_version}`,
        }
      const derived = await deriveRows(key, sha, date, deps)
      if (!derived.ok) {
        if (derived.gone) return { outcome: 'skipped', key, run_ids: [], reason: derived.reason }
        if (derived.mismatch) await evictMismatch(key, sha, derived.mismatch, derived.reason, deps)
        else {
          await writeQuarantineNote(key, sha, derived.reason, deps)
          await commit(deps, {
            raw_sha256: sha,
            raw_key: key,
            outcome: 'quarantined',
            run_ids: [],
            reason: derived.reason,
          })
        }
        return { outcome: 'quarantined', key, run_ids: [], reason: derived.reason }
      }
      ready.push({ key, sha, rows: derived.rows })
      for (const part of derived.parts) {
        const id = `${part.where.table}/${part.where.platform}/${part.where.date}`
        const entry = parts.get(id) ?? parts.set(id, { where: part.where, members: [] }).get(id)!
        entry.members.push({ sha, rows: part.rows })
      }
      return null
    })

  // 2. One file per partition; a failure fails the objects with rows in that partition.
  const failed = new Map<string, unknown>()
  const crowded: DatasetPartition[] = []
  for (const { where, members } of parts.values()) {
    try {
      const partition = await writePartitionFile(where, members, deps)
      if (partition && isCrowded(partition, deps)) crowded.push(partition)
    } catch (error) {
      for (const { sha } of members) if (!failed.has(sha)) failed.set(sha, error)
    }
  }

  // 3. Per object: its runs, then its commit record.
  for (const { key, sha, rows } of ready) {
    if (failed.has(sha)) {
      items.set(key, { key, ok: false, error: failed.get(sha) })
      continue
    }
    await settle(key, async () => {
      for (const run of rows.runs) await putOnce(() => deps.catalog.putRun(run))
      const runIds = rows.runs.map((run) => run.run_id as string)
      await commit(deps, {
        raw_sha256: sha,
        raw_key: key,
        outcome: 'ingested',
        run_ids: runIds,
        reason: null,
      })
      return { outcome: 'ingested', key, run_ids: runIds, reason: null }
    })
  }

  // 4. After the commits: manifests of the days touched, then compaction of crowded partitions.
  // A failure here is reported on the batch's ingested objects, as `ingestObject` throws after
  // its commit: the redelivery finds them committed.
  try {
    if (deps.manifestBucket !== undefined)
      await publishManifests(
        { ...deps, curatedBucket: deps.manifestBucket },
        [...parts.values()].map((p) => p.where),
      )
    for (const partition of crowded)
      await compactPartition(partition, { ...deps, readParquet: deps.compactAt!.readParquet })
  } catch (error) {
    for (const { key } of ready) if (items.get(key)?.ok) items.set(key, { key, ok: false, error })
  }
  return keys.filter((k, i) => keys.indexOf(k) === i).map((k) => items.get(k) as BatchItem)
}

type Row = Record<string, unknown>

/**
 * Writes and registers one partition's file for `members`, leaving out every object whose rows a
 * listed file already holds (checked inside the conditional write, so a concurrent writer cannot
 * slip in between). The key is derived from the objects it holds: a replay of the same grouping
 * writes the same bytes to the same key. Returns the partition as written, or null if there was
 * nothing left to add.
 */
async function writePartitionFile(
  where: Where,
  members: Array<{ sha: string; rows: Row[] }>,
  deps: IngestDeps,
): Promise<DatasetPartition | null> {
  let pending = members
  while (pending.length > 0) {
    const file = await writeFile(where, pending, deps)
    let overlap = new Set<string>()
    const partition = await updatePartition(deps.catalog, where, async (files) => {
      overlap = new Set()
      if (files.some((f) => f.key === file.key)) return null
      const present = new Set(files.flatMap(sourcesOfFile))
      // A committed object's rows may sit in a compacted file, which lists no sources.
      for (const m of pending)
        if (present.has(m.sha) || (await anyCommitted(deps.catalog, [m.sha]))) overlap.add(m.sha)
      return overlap.size > 0 ? null : [...files, file]
    })
    if (overlap.size === 0) return partition
    // Not deleted: an identical grouping elsewhere may be about to register the same key.
    pending = pending.filter((m) => !overlap.has(m.sha))
  }
  return null
}

/**
 * Writes one Parquet file holding the rows of `members` (one raw object each) for a partition:
 * the object's own key when alone, else a batch key derived from the shas, which it lists as
 * `sources`. Shared with reprocess, which writes one such file per partition and batch.
 */
export async function writeFile(
  where: Where,
  members: Array<{ sha: string; rows: Row[] }>,
  deps: IngestDeps,
): Promise<DatasetFile> {
  const sorted = [...members].sort((a, b) => (a.sha < b.sha ? -1 : 1))
  const rows = sorted.flatMap((m) => m.rows)
  const key =
    sorted.length === 1
      ? curatedKey(where.table, where.platform, where.date, sorted[0].sha)
      : batchKey(
          where.table,
          where.platform,
          where.date,
          createHash('sha256')
            .update(sorted.map((m) => m.sha).join('\n'))
            .digest('hex'),
        )
  const body = deps.parquet.write(where.table, rows)
  await deps.curated.put(key, body, { contentType: 'application/vnd.apache.parquet' })
  return {
    key,
    rows: rows.length,
    bytes: body.byteLength,
    ...(sorted.length > 1 ? { sources: sorted.map((m) => m.sha) } : {}),
  }
}
