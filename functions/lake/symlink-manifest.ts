import type { DatasetPartition, ObjectStore, RunCatalog } from '#functions/ports.ts'

/**
 * Hive symlink manifests: what external readers (Athena, and any listing reader told to use them)
 * read instead of listing the data folders. One manifest object per table and day,
 * `curated/_symlink/<table>/date=<d>/manifest`, lists the committed files of every platform that
 * day, one `s3://bucket/key` per line (Hive `SymlinkTextInputFormat`, as Delta Lake's Athena
 * integration writes them). It is derived from the catalog, netlake's own source of truth, and
 * replaced with one PUT after each catalog commit (ingest, compaction), so a reader sees either
 * the old or the new file set of a day, never both and never half. The `_` prefix keeps Hive-style
 * readers of `curated/` from taking it for a table.
 */

/** Where the manifests live inside the curated bucket. */
export const SYMLINK_PREFIX = 'curated/_symlink/'

/** The manifest folder of one table (the Glue table's location). */
export function manifestTablePrefix(table: DatasetPartition['table']): string {
  return `${SYMLINK_PREFIX}${table}/`
}

/** The manifest object of one table and day. */
export function manifestKey(table: DatasetPartition['table'], date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`)
  return `${manifestTablePrefix(table)}date=${date}/manifest`
}

/** Manifest text: one URI per line, sorted, newline-terminated (empty day: empty text). */
export function manifestBody(bucket: string, keys: readonly string[]): string {
  return [...keys]
    .sort()
    .map((key) => `s3://${bucket}/${key}\n`)
    .join('')
}

/** The object keys a manifest lists (lines of `s3://<bucket>/<key>`). */
export function manifestKeys(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const m = /^s3:\/\/[^/]+\/(.+)$/.exec(line)
      if (!m) throw new RangeError(`not an s3:// URI in a manifest: ${line}`)
      return m[1]
    })
}

/** What publishing needs: the curated store, the catalog and the bucket name for the URIs. */
export interface ManifestDeps {
  curated: ObjectStore
  catalog: RunCatalog
  /** Name of the curated bucket, as the manifest URIs name it. */
  curatedBucket: string
}

/** The committed files of one table and day across every platform, from the catalog. */
async function committedKeys(
  catalog: RunCatalog,
  table: DatasetPartition['table'],
  date: string,
): Promise<string[]> {
  const partitions = (await catalog.listPartitions(table)).filter((p) => p.date === date)
  return partitions.flatMap((p) => p.files.map((f) => f.key)).sort()
}

const MAX_ROUNDS = 10

/**
 * Rewrite the manifest of `table` on `date` from the catalog. Call after the catalog commit.
 * A PUT of a file set read just before another writer's commit could land after that writer's
 * manifest, so each publisher re-reads the catalog after its PUT and writes again until what it
 * wrote is still the catalog's set: the last manifest written always matches the last commit.
 */
export async function publishManifest(
  deps: ManifestDeps,
  table: DatasetPartition['table'],
  date: string,
): Promise<string[]> {
  let keys = await committedKeys(deps.catalog, table, date)
  for (let round = 0; round < MAX_ROUNDS; round++) {
    await deps.curated.put(manifestKey(table, date), manifestBody(deps.curatedBucket, keys), {
      contentType: 'text/plain',
    })
    const now = await committedKeys(deps.catalog, table, date)
    if (now.join('\n') === keys.join('\n')) return keys
    keys = now
  }
  throw new Error(`manifest ${manifestKey(table, date)} kept changing under ${MAX_ROUNDS} rewrites`)
}

/** Publish the manifests of the given partitions (each table and day once). */
export async function publishManifests(
  deps: ManifestDeps,
  partitions: ReadonlyArray<Pick<DatasetPartition, 'table' | 'date'>>,
): Promise<void> {
  const seen = new Set<string>()
  for (const p of partitions) {
    const id = `${p.table}/${p.date}`
    if (seen.has(id)) continue
    seen.add(id)
    await publishManifest(deps, p.table, p.date)
  }
}

/** The keys the current manifest of `table` on `date` lists (none when there is no manifest). */
export async function readManifest(
  curated: ObjectStore,
  table: DatasetPartition['table'],
  date: string,
): Promise<string[]> {
  const bytes = await curated.get(manifestKey(table, date))
  return bytes === null ? [] : manifestKeys(new TextDecoder().decode(bytes))
}
