import { createHash } from 'node:crypto'
import { ObjectExistsError } from '#functions/ports.ts'
import type { ObjectInfo, ObjectStore, PresignBind, PutOptions } from '#functions/ports.ts'
import { compareKeys, toBytes } from '#adapters/object-bodies.ts'

interface MemoryEntry {
  bytes: Uint8Array
  info: ObjectInfo
  contentType: string | null
  metadata: Record<string, string>
}

/** A memory `ObjectStore` with an inspectable backing map, for tests. */
export interface MemoryObjectStore extends ObjectStore {
  /** Number of stored objects. */
  readonly size: number
}

/** S3-style quoted hex MD5 ETag of a body. */
function etagOf(bytes: Uint8Array): string {
  return `"${createHash('md5').update(bytes).digest('hex')}"`
}

/**
 * An in-memory `ObjectStore` with the same semantics as the S3 adapter: `ifAbsent` raises
 * `ObjectExistsError`, `get`/`head` return null for missing keys, `list` yields in UTF-8 key order,
 * deleting a missing key is fine. Presigned URLs are `memory://<bucket>/<key>` and not fetchable.
 */
export function createMemoryObjectStore(bucket = 'memory'): MemoryObjectStore {
  const objects = new Map<string, MemoryEntry>()

  return {
    get size() {
      return objects.size
    },
    async put(key: string, body: Uint8Array | string, options: PutOptions = {}) {
      if (options.ifAbsent && objects.has(key)) throw new ObjectExistsError(key)
      const bytes = toBytes(body)
      const size = bytes.byteLength
      const info: ObjectInfo = { key, size, etag: etagOf(bytes), lastModified: new Date() }
      objects.set(key, {
        bytes,
        info,
        contentType: options.contentType ?? null,
        metadata: Object.fromEntries(
          Object.entries(options.metadata ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
        ),
      })
      return { ...info }
    },
    async get(key: string) {
      const found = objects.get(key)
      return found ? new Uint8Array(found.bytes) : null
    },
    async getWithMetadata(key: string) {
      const found = objects.get(key)
      return found ? { bytes: new Uint8Array(found.bytes), metadata: { ...found.metadata } } : null
    },
    async head(key: string) {
      const found = objects.get(key)
      return found ? { ...found.info } : null
    },
    async *list(prefix: string) {
      const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort(compareKeys)
      for (const key of keys) {
        const found = objects.get(key)
        if (found) yield { ...found.info }
      }
    },
    async delete(key: string) {
      objects.delete(key)
    },
    async presignPut(key: string, expiresInS: number, contentType?: string, bind?: PresignBind) {
      const query = new URLSearchParams({ method: 'PUT', expires: String(expiresInS) })
      if (contentType) query.set('contentType', contentType)
      if (bind) query.set('size', String(bind.sizeBytes))
      if (bind) query.set('sha256', bind.sha256)
      return `memory://${bucket}/${encodeURI(key)}?${query}`
    },
    async presignGet(key: string, expiresInS: number) {
      return `memory://${bucket}/${encodeURI(key)}?method=GET&expires=${expiresInS}`
    },
  }
}
