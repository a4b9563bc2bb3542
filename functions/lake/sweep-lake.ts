import type { DatasetPartition } from '#functions/ports.ts'
import {
  type ManifestDeps,
  manifestKey,
  manifestKeys,
  publishManifest,
  SYMLINK_PREFIX,
} from './symlink-manifest.ts'

const TABLES: DatasetPartition['table'][] = ['runs', 'intervals', 'metrics']

/** Unlisted curated files (and their day's manifest) must be this old before a sweep deletes them. */
export const SWEEP_GRACE_MS = 6 * 3_600_000

/** What one sweep did. */
export interface SweepResult {
  /** Manifests rewritten because they no longer matched the catalog (a publish that never ran). */
  republished: string[]
  /** Curated files removed: listed by neither the catalog nor a manifest, past the grace period. */
  deleted: string[]
  /** Unlisted files left for a later sweep because they (or their day's manifest) are too recent. */
  waiting: string[]
}

/**
 * The lake's garbage collector. Compaction leaves the files it replaced in place, and an ingest
 * that died before its catalog commit leaves its files behind: external readers never see them
 * (they read the manifests), but they cost storage. A sweep first repairs every manifest that
 * disagrees with the catalog (a crash between a commit and its publish), then deletes each curated
 * file that neither lists, once the file and its day's manifest are both older than `graceMs`, so
 * a reader that fetched the previous manifest just before the switch can still read its files and
 * an ingest still in flight (files written, commit pending) is never swept.
 */
export async function sweepLake(
  deps: ManifestDeps,
  options: { now: Date; graceMs: number },
): Promise<SweepResult> {
  const result: SweepResult = { republished: [], deleted: [], waiting: [] }
  const cutoff = options.now.getTime() - options.graceMs
  for (const table of TABLES) {
    const partitions = await deps.catalog.listPartitions(table)
    const catalogKeys = new Map<string, Set<string>>()
    for (const p of partitions) {
      const day = catalogKeys.get(p.date) ?? new Set<string>()
      for (const f of p.files) day.add(f.key)
      catalogKeys.set(p.date, day)
    }
    const manifests = new Map<string, { keys: Set<string>; at: number }>()
    for await (const object of deps.curated.list(`${SYMLINK_PREFIX}${table}/`)) {
      const date = /date=(\d{4}-\d{2}-\d{2})\/manifest$/.exec(object.key)?.[1]
      if (!date) continue
      const bytes = await deps.curated.get(object.key)
      if (bytes === null) continue
      const keys = new Set(manifestKeys(new TextDecoder().decode(bytes)))
      manifests.set(date, { keys, at: object.lastModified?.getTime() ?? options.now.getTime() })
    }
    for (const date of new Set([...catalogKeys.keys(), ...manifests.keys()])) {
      const want = [...(catalogKeys.get(date) ?? [])].sort().join('\n')
      const have = [...(manifests.get(date)?.keys ?? [])].sort().join('\n')
      if (want === have) continue
      const keys = await publishManifest(deps, table, date)
      manifests.set(date, { keys: new Set(keys), at: options.now.getTime() })
      result.republished.push(manifestKey(table, date))
    }
    for await (const object of deps.curated.list(`curated/${table}/`)) {
      if (!object.key.endsWith('.parquet')) continue
      const date = /\/date=(\d{4}-\d{2}-\d{2})\//.exec(object.key)?.[1]
      if (!date) continue
      if (catalogKeys.get(date)?.has(object.key) || manifests.get(date)?.keys.has(object.key))
        continue
      const fileAt = object.lastModified?.getTime() ?? options.now.getTime()
      const manifestAt = manifests.get(date)?.at ?? 0
      if (fileAt > cutoff || manifestAt > cutoff) {
        result.waiting.push(object.key)
        continue
      }
      await deps.curated.delete(object.key)
      result.deleted.push(object.key)
    }
  }
  return result
}
