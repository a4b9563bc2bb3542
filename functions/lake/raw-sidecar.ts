import { VersionedSidecarSchema } from '#schemas/repair.ts'
import type { VersionedSidecar } from '#schemas/repair.ts'
import { sidecarKey } from '#core/object-keys.ts'
import { sidecarFromMetadata } from '#core/sidecar-metadata.ts'
import type { ObjectStore } from '#functions/ports.ts'

/**
 * Where a raw object's labels are: the `<raw key>.labels.json` object when there is one (uploads
 * before labels went into metadata, labels too large for metadata, presigned uploads, labels
 * changed by repair), else the raw object's own metadata. The sidecar object wins, so a relabel
 * (which writes it) overrides the labels the bytes were stored with.
 */
export function sidecarOf(
  sidecarBytes: Uint8Array | null,
  metadata: Record<string, string> | null,
  key: string,
): VersionedSidecar | string {
  let json: unknown
  if (sidecarBytes !== null) {
    try {
      json = JSON.parse(new TextDecoder().decode(sidecarBytes))
    } catch (error) {
      return `labels sidecar is not JSON: ${(error as Error).message}`
    }
  } else {
    try {
      json = metadata === null ? undefined : sidecarFromMetadata(metadata)
    } catch (error) {
      return `labels metadata of ${key} is not base64url JSON: ${(error as Error).message}`
    }
    if (json === undefined)
      return `labels sidecar ${sidecarKey(key)} is missing (and ${key} carries no labels metadata)`
  }
  const parsed = VersionedSidecarSchema.safeParse(json) // a relabelled sidecar carries its version
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return `labels sidecar field '${issue.path.join('.')}' is invalid: ${issue.message}`
  }
  return parsed.data
}

/**
 * The raw object's bytes and labels in two concurrent GETs (the object with its metadata, and
 * the sidecar object), or null when the raw object does not exist. The labels are a reason
 * string when missing or invalid (see `sidecarOf`).
 */
export async function readRawObject(
  key: string,
  raw: ObjectStore,
): Promise<{ bytes: Uint8Array; sidecar: VersionedSidecar | string } | null> {
  const [object, sidecarBytes] = await Promise.all([
    raw.getWithMetadata(key),
    raw.get(sidecarKey(key)),
  ])
  if (object === null) return null
  return { bytes: object.bytes, sidecar: sidecarOf(sidecarBytes, object.metadata, key) }
}

/** Only the labels of a raw object (sidecar first; the object's metadata only without one). */
export async function readRawSidecar(
  key: string,
  raw: ObjectStore,
): Promise<VersionedSidecar | string> {
  const sidecarBytes = await raw.get(sidecarKey(key))
  if (sidecarBytes !== null) return sidecarOf(sidecarBytes, null, key)
  const object = await raw.getWithMetadata(key)
  return sidecarOf(null, object?.metadata ?? null, key)
}
