import { AuditRecordSchema, TombstoneSchema } from '#schemas/repair.ts'
import type { AuditRecord } from '#schemas/repair.ts'
import { AUDIT_PREFIX, TOMBSTONE_PREFIX } from '#core/repair-keys.ts'
import type { ObjectStore, Page } from '#functions/ports.ts'

/**
 * The audit log, oldest first: one object per relabel or delete under `audit/`, whose keys sort
 * by time. `cursor` is the last key of the previous page. Unreadable records are skipped.
 */
export async function listAudit(
  raw: ObjectStore,
  options: { limit: number; cursor?: string | null; sha256?: string },
): Promise<Page<AuditRecord>> {
  const items: AuditRecord[] = []
  let last: string | null = null
  for await (const object of raw.list(AUDIT_PREFIX)) {
    if (options.cursor && object.key <= options.cursor) continue
    if (items.length === options.limit) return { items, cursor: last }
    const bytes = await raw.get(object.key)
    if (bytes === null) continue
    let parsed
    try {
      parsed = AuditRecordSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)))
    } catch {
      continue
    }
    last = object.key
    if (!parsed.success) continue
    if (options.sha256 && parsed.data.raw_sha256 !== options.sha256) continue
    items.push(parsed.data)
  }
  return { items, cursor: null }
}

/** Removes the kept bytes of deleted objects whose retention has passed; returns their shas. */
export async function purgeExpiredTombstones(raw: ObjectStore, now: Date): Promise<string[]> {
  const notes: string[] = []
  for await (const object of raw.list(TOMBSTONE_PREFIX))
    if (object.key.endsWith('.json')) notes.push(object.key)
  const purged: string[] = []
  for (const key of notes) {
    const bytes = await raw.get(key)
    if (bytes === null) continue
    let parsed
    try {
      parsed = TombstoneSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)))
    } catch {
      continue
    }
    if (!parsed.success || parsed.data.retain_until > now.toISOString()) continue
    await raw.delete(parsed.data.bytes_key)
    await raw.delete(key)
    purged.push(parsed.data.raw_sha256)
  }
  return purged
}
