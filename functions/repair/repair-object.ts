import { randomBytes } from 'node:crypto'
import type { Labels } from '#schemas/labels.ts'
import { PendingRepairSchema } from '#schemas/repair.ts'
import type {
  AuditRecord,
  PendingRepair,
  RelabelRequest,
  Tombstone,
  VersionedSidecar,
} from '#schemas/repair.ts'
import { applyLabelChange } from '#core/relabel.ts'
import { parseRawKey, partitionValue, sidecarKey } from '#core/object-keys.ts'
import { auditKey, labelVersionKey, pendingKey, tombstoneKeys } from '#core/repair-keys.ts'
import { labelVersionPrefix, PENDING_PREFIX, TOMBSTONE_RETENTION_DAYS } from '#core/repair-keys.ts'
import { PARSER_VERSION } from '#core/rows.ts'
import { TABLE_NAMES } from '#core/partition-rows.ts'
import { ObjectExistsError } from '#functions/ports.ts'
import type { Clock, DatasetPartition, ObjectStore } from '#functions/ports.ts'
import { deriveObject, writeQuarantineNote } from '#functions/ingest/derive-object.ts'
import { readRawSidecar, sidecarOf } from '#functions/lake/raw-sidecar.ts'
import { rewriteObjectPartitions } from './rewrite-partitions.ts'
import type { RewriteDeps } from './rewrite-partitions.ts'

/** What a relabel or delete needs: the ingest path's stores plus a Parquet reader. */
export interface RepairDeps extends RewriteDeps {
  raw: ObjectStore
  clock: Clock
  /** Audit ids; random unless a test pins them. */
  newId?: () => string
}

/** A repair that cannot be made, with the HTTP status and field that say why. */
export interface RepairRefusal {
  ok: false
  status: 404 | 409 | 422
  code: string
  message: string
  field?: string
}

/** How long a deleted object's bytes are kept unless purged. */
export const DEFAULT_RETENTION_DAYS = TOMBSTONE_RETENTION_DAYS

type Where = Pick<DatasetPartition, 'table' | 'platform' | 'date'>

/**
 * Relabels one stored object: keeps the current label version, writes the new one beside the raw
 * bytes (which never change), then re-derives the object's rows through the ingest path so the
 * catalog and the curated Parquet hold the new labels and nothing of the old. A pending marker is
 * written first and removed last; `resumePendingRepairs` finishes a relabel that died in between.
 * Run ids stay (they derive from the bytes); partitions move when platform or the date changes.
 */
export async function relabelObject(
  sha256: string,
  change: RelabelRequest,
  who: string | null,
  deps: RepairDeps,
  checkLabels: (labels: Labels) => void = () => undefined,
): Promise<
  | {
      ok: true
      raw_key: string
      labels: Labels
      labels_version: number
      run_ids: string[]
      audit_id: string
    }
  | RepairRefusal
> {
  const found = await findObject(sha256, deps)
  if (!found.ok) return found
  const { record, sidecar } = found
  const version = sidecar.labels_version ?? 1
  const next = applyLabelChange(sidecar.labels, change)
  if (!next.ok)
    return {
      ok: false,
      status: 422,
      code: 'validation',
      message: `${next.field}: ${next.message}`,
      field: next.field,
    }
  checkLabels(next.labels)
  if (!next.changed)
    return {
      ok: true,
      raw_key: record.raw_key,
      labels: sidecar.labels,
      labels_version: version,
      run_ids: record.run_ids,
      audit_id: '',
    }
  const at = deps.clock.now().toISOString()
  const audit: AuditRecord = {
    audit_id: newId(deps),
    action: 'relabel',
    raw_sha256: sha256,
    raw_key: record.raw_key,
    run_ids: record.run_ids,
    by: who,
    at,
    labels_version: version + 1,
    previous_labels: sidecar.labels,
    labels: next.labels,
    purge: false,
    retain_until: null,
  }
  const pending: PendingRepair = {
    op: 'relabel',
    raw_sha256: sha256,
    raw_key: record.raw_key,
    run_ids: record.run_ids,
    partitions: await partitionsOf(record.run_ids, record.raw_key, deps),
    audit,
    purge: false,
    retain_until: null,
  }
  const begun = await begin(pending, deps)
  if (begun) return begun
  // Every version is kept (version 1 is the upload's); the marker makes this relabel the only one.
  await putJson(deps.raw, labelVersionKey(sha256, version), {
    raw_sha256: sha256,
    version,
    labels: sidecar.labels,
    by: sidecar.labeled_by ?? null,
    at: sidecar.labeled_at ?? sidecar.received_at,
  })
  await putJson(deps.raw, labelVersionKey(sha256, version + 1), {
    raw_sha256: sha256,
    version: version + 1,
    labels: next.labels,
    by: who,
    at,
  })
  const updated: VersionedSidecar = {
    ...sidecar,
    labels: next.labels,
    labels_version: version + 1,
    labeled_by: who,
    labeled_at: at,
  }
  await putJson(deps.raw, sidecarKey(record.raw_key), updated)
  const runIds = await finishRepair(pending, deps)
  return {
    ok: true,
    raw_key: record.raw_key,
    labels: next.labels,
    labels_version: version + 1,
    run_ids: runIds,
    audit_id: audit.audit_id,
  }
}

/**
 * Deletes one stored object: its runs leave the catalog and its rows the curated Parquet (the same
 * conditional partition switch), and the raw bytes move to `tombstone/` for `retentionDays` (or
 * are gone at once with `purge`). The same bytes can then be pushed again as new.
 */
export async function deleteObject(
  sha256: string,
  options: { purge: boolean; retentionDays?: number },
  who: string | null,
  deps: RepairDeps,
): Promise<
  | { ok: true; raw_key: string; run_ids: string[]; retain_until: string | null; audit_id: string }
  | RepairRefusal
> {
  const found = await findObject(sha256, deps)
  if (!found.ok) return found
  const { record, sidecar } = found
  const now = deps.clock.now()
  const retainUntil = options.purge
    ? null
    : new Date(
        now.getTime() + (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * 86_400_000,
      ).toISOString()
  const audit: AuditRecord = {
    audit_id: newId(deps),
    action: 'delete',
    raw_sha256: sha256,
    raw_key: record.raw_key,
    run_ids: record.run_ids,
    by: who,
    at: now.toISOString(),
    labels_version: sidecar.labels_version ?? 1,
    previous_labels: sidecar.labels,
    labels: null,
    purge: options.purge,
    retain_until: retainUntil,
  }
  const pending: PendingRepair = {
    op: 'delete',
    raw_sha256: sha256,
    raw_key: record.raw_key,
    run_ids: record.run_ids,
    partitions: await partitionsOf(record.run_ids, record.raw_key, deps),
    audit,
    purge: options.purge,
    retain_until: retainUntil,
  }
  const begun = await begin(pending, deps)
  if (begun) return begun
  await finishRepair(pending, deps)
  return {
    ok: true,
    raw_key: record.raw_key,
    run_ids: record.run_ids,
    retain_until: retainUntil,
    audit_id: audit.audit_id,
  }
}

/**
 * Finishes every repair a crash left half-done (start-up, the compaction timer, reprocess): each
 * step is idempotent, so a repair finished twice ends the same as once. Returns the shas done.
 */
export async function resumePendingRepairs(deps: RepairDeps): Promise<string[]> {
  const done: string[] = []
  const keys: string[] = []
  for await (const object of deps.raw.list(PENDING_PREFIX)) keys.push(object.key)
  for (const key of keys) {
    const pending = await readJson(deps.raw, key, PendingRepairSchema)
    if (!pending) continue
    await finishRepair(pending, deps)
    done.push(pending.raw_sha256)
  }
  return done
}

/** The steps after the marker: re-derive (relabel) or remove (delete), then audit, then unmark. */
async function finishRepair(pending: PendingRepair, deps: RepairDeps): Promise<string[]> {
  const sha = pending.raw_sha256
  let runIds: string[] = []
  let applied = true
  if (pending.op === 'relabel') {
    const sidecar = await readLabels(deps.raw, pending.raw_key)
    // Died before the new version was written: nothing changed, nothing to audit.
    applied = (sidecar?.labels_version ?? 1) >= (pending.audit.labels_version ?? 1)
    if (applied) runIds = await rederive(pending, deps)
  } else await remove(pending, deps)
  if (applied)
    await putJson(deps.raw, auditKey(pending.audit.at, pending.audit.audit_id), pending.audit)
  await deps.raw.delete(pendingKey(sha))
  return runIds
}

async function rederive(pending: PendingRepair, deps: RepairDeps): Promise<string[]> {
  const { raw_sha256: sha, raw_key: key } = pending
  const rawDate = parseRawKey(key)?.date as string
  const derived = await deriveObject(key, sha, rawDate, deps)
  if (!derived.ok && derived.gone) return [] // deleted meanwhile: the delete removed the rows
  const files = derived.ok ? derived.files : []
  await rewriteObjectPartitions(sha, pending.run_ids, pending.partitions, files, deps)
  const runs = derived.ok ? derived.rows.runs : []
  const runIds = runs.map((run) => run.run_id as string)
  for (const run of runs) await deps.catalog.putRun(run, { overwrite: true })
  for (const id of pending.run_ids) if (!runIds.includes(id)) await deps.catalog.deleteRun(id)
  if (!derived.ok) await writeQuarantineNote(key, sha, derived.reason, deps)
  await deps.catalog.replaceIngestRecord({
    raw_sha256: sha,
    raw_key: key,
    outcome: derived.ok ? 'ingested' : 'quarantined',
    run_ids: runIds,
    reason: derived.ok ? null : derived.reason,
    parser_version: PARSER_VERSION,
    at: deps.clock.now().toISOString(),
  })
  return runIds
}

async function remove(pending: PendingRepair, deps: RepairDeps): Promise<void> {
  const { raw_sha256: sha, raw_key: key } = pending
  const extension = parseRawKey(key)?.extension ?? 'json'
  const where = tombstoneKeys(sha, extension)
  const object = await deps.raw.getWithMetadata(key)
  const bytes = object?.bytes ?? null
  if (!pending.purge && bytes !== null) {
    // Kept first, removed after: a crash in between keeps both copies, never neither.
    const labels = sidecarOf(await deps.raw.get(sidecarKey(key)), object?.metadata ?? null, key)
    await deps.raw.put(where.bytes, bytes, { contentType: 'application/octet-stream' })
    const note: Tombstone = {
      raw_sha256: sha,
      raw_key: key,
      bytes_key: where.bytes,
      sidecar: typeof labels === 'string' ? null : labels, // unreadable labels are not kept
      deleted_at: pending.audit.at,
      deleted_by: pending.audit.by,
      retain_until: pending.retain_until as string,
    }
    await putJson(deps.raw, where.note, note)
  }
  await deps.raw.delete(key)
  await deps.raw.delete(sidecarKey(key))
  await rewriteObjectPartitions(sha, pending.run_ids, pending.partitions, [], deps)
  for (const id of pending.run_ids) await deps.catalog.deleteRun(id)
  await deps.catalog.deleteIngestRecord(sha)
  if (pending.purge) {
    await deps.raw.delete(where.bytes)
    await deps.raw.delete(where.note)
    const versions: string[] = []
    for await (const object of deps.raw.list(labelVersionPrefix(sha))) versions.push(object.key)
    for (const version of versions) await deps.raw.delete(version)
  }
}

/** Writes the marker; if another repair of the object is pending, finishes that one first. */
async function begin(pending: PendingRepair, deps: RepairDeps): Promise<RepairRefusal | null> {
  try {
    await putJson(deps.raw, pendingKey(pending.raw_sha256), pending, true)
    return null
  } catch (error) {
    if (!(error instanceof ObjectExistsError)) throw error
    const stale = await readJson(deps.raw, pendingKey(pending.raw_sha256), PendingRepairSchema)
    if (stale) await finishRepair(stale, deps)
    return conflict(pending.raw_sha256)
  }
}

function conflict(sha: string): RepairRefusal {
  return {
    ok: false,
    status: 409,
    code: 'repair-in-progress',
    message: `another relabel or delete of ${sha} was in progress (now finished); read its labels again and retry`,
    field: 'sha256',
  }
}

/** The object's ingest record and current labels, or why it cannot be repaired. */
async function findObject(sha256: string, deps: RepairDeps) {
  const record = await deps.catalog.getIngestRecord(sha256)
  if (!record)
    return {
      ok: false as const,
      status: 404 as const,
      code: 'not-found',
      message: `no stored object with sha256 ${sha256} (or it is not ingested yet)`,
      field: 'sha256',
    }
  const sidecar = await readLabels(deps.raw, record.raw_key)
  if (!sidecar)
    return {
      ok: false as const,
      status: 404 as const,
      code: 'not-found',
      message: `the labels of ${record.raw_key} are missing or unreadable`,
      field: 'sha256',
    }
  return { ok: true as const, record, sidecar }
}

/** The partitions holding the rows of these runs, from their catalog summaries. */
async function partitionsOf(
  runIds: readonly string[],
  rawKeyOf: string,
  deps: RepairDeps,
): Promise<Where[]> {
  const fallback = parseRawKey(rawKeyOf)?.date as string
  const seen = new Map<string, Where>()
  for (const id of runIds) {
    const run = await deps.catalog.getRun(id)
    if (!run) continue
    const platform = partitionValue(run.platform as string | null)
    const date = (run.date as string | null) ?? fallback
    for (const table of TABLE_NAMES)
      seen.set(`${table}|${platform}|${date}`, { table, platform, date })
  }
  return [...seen.values()]
}

function newId(deps: RepairDeps): string {
  return deps.newId ? deps.newId() : randomBytes(8).toString('hex')
}

async function putJson(store: ObjectStore, key: string, value: unknown, ifAbsent = false) {
  await store.put(key, JSON.stringify(value, null, 2), {
    contentType: 'application/json',
    ifAbsent,
  })
}

/**
 * The current labels of a raw object, read as ingest reads them (`readRawSidecar`: the sidecar
 * object, else the labels stored in its metadata); null when missing or unreadable.
 */
async function readLabels(store: ObjectStore, rawKey: string): Promise<VersionedSidecar | null> {
  const sidecar = await readRawSidecar(rawKey, store)
  return typeof sidecar === 'string' ? null : sidecar
}

async function readJson<T>(
  store: ObjectStore,
  key: string,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
): Promise<T | null> {
  const bytes = await store.get(key)
  if (bytes === null) return null
  try {
    const parsed = schema.safeParse(JSON.parse(new TextDecoder().decode(bytes)))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
