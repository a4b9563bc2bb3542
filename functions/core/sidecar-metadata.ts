/**
 * A raw object's labels sidecar carried as the object's own S3 user metadata, so an upload is one
 * PUT instead of two. S3 allows 2 KB of user metadata (the UTF-8 bytes of every key and value);
 * a sidecar that does not fit stays a separate `<raw key>.labels.json` object. Pure.
 */

/** The metadata key (S3 returns keys lowercase; the adapters send it as is). */
export const SIDECAR_METADATA_KEY = 'netlake-sidecar'

/** S3's limit on user-defined metadata per object, bytes. */
export const MAX_USER_METADATA_BYTES = 2048

/**
 * The metadata that carries `sidecar` (base64url JSON: header-safe whatever the labels hold), or
 * null when it does not fit in S3's 2 KB and must be written as a separate object.
 */
export function sidecarMetadata(sidecar: unknown): Record<string, string> | null {
  const value = toBase64Url(new TextEncoder().encode(JSON.stringify(sidecar)))
  if (SIDECAR_METADATA_KEY.length + value.length > MAX_USER_METADATA_BYTES) return null
  return { [SIDECAR_METADATA_KEY]: value }
}

/**
 * The JSON a `sidecarMetadata` value holds (to validate with `RawSidecarSchema`); undefined when
 * the metadata carries none; throws `SyntaxError` on a value that is not base64url JSON.
 */
export function sidecarFromMetadata(metadata: Record<string, string>): unknown {
  const value = metadata[SIDECAR_METADATA_KEY]
  if (value === undefined) return undefined
  return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(value)))
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i])
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

function fromBase64Url(value: string): Uint8Array {
  let binary: string
  try {
    binary = atob(value.replaceAll('-', '+').replaceAll('_', '/'))
  } catch {
    throw new SyntaxError('metadata value is not base64url')
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}
