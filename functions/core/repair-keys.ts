/**
 * Where repairs keep their records in the raw store, outside `raw/` so no object event turns
 * them into ingest work: label versions, pending repairs, tombstones and the audit log.
 */

/** A kept label version: `labels/<sha>/v000002.json` (zero-padded so keys sort by version). */
export function labelVersionKey(sha256: string, version: number): string {
  return `labels/${sha256}/v${String(version).padStart(6, '0')}.json`
}

/** Every kept label version of one object. */
export function labelVersionPrefix(sha256: string): string {
  return `labels/${sha256}/`
}

/** A repair in flight: written first, removed when the repair has finished. */
export function pendingKey(sha256: string): string {
  return `pending/${sha256}.json`
}

export const PENDING_PREFIX = 'pending/'
/** The key prefixes repair records live under (the repair function's grants in infra). */
export const LABELS_PREFIX = 'labels/'
/** Days a deleted object's bytes are kept under `tombstone/` unless purged (the AWS lifecycle rule too). */
export const TOMBSTONE_RETENTION_DAYS = 30
export const TOMBSTONE_PREFIX = 'tombstone/'
export const AUDIT_PREFIX = 'audit/'

/** A deleted object's note and its kept bytes. */
export function tombstoneKeys(sha256: string, extension: string): { note: string; bytes: string } {
  return { note: `tombstone/${sha256}.json`, bytes: `tombstone/${sha256}.${extension}` }
}

/** An audit record: `audit/<ISO instant>-<id>.json`, so listing the prefix is chronological. */
export function auditKey(at: string, auditId: string): string {
  return `audit/${at}-${auditId}.json`
}
