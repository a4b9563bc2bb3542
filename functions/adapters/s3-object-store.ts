import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3'
import type { S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { ObjectExistsError } from '#functions/ports.ts'
import type {
  ObjectInfo,
  ObjectStore,
  PresignBind,
  PutOptions,
  StoredObject,
} from '#functions/ports.ts'
import { toBytes } from '#adapters/object-bodies.ts'
import { NetlakeError } from '#core/errors.ts'

/** An S3 call failed after the SDK's retries (see aws-clients.ts); `cause` is the SDK error. */
export class ObjectStoreError extends NetlakeError {
  constructor(
    readonly operation: string,
    readonly key: string,
    options: { cause: unknown },
  ) {
    super(`s3 ${operation} ${key} failed: ${describe(options.cause)}`, options)
  }
}

function describe(error: unknown): string {
  if (error instanceof S3ServiceException) {
    return `${error.name} (HTTP ${error.$metadata.httpStatusCode ?? '?'})`
  }
  return error instanceof Error ? error.message : String(error)
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode
}

/** 404 for the key; a missing bucket (NoSuchBucket) is a configuration error, not "absent". */
const isMissing = (error: unknown) =>
  !(error instanceof Error && error.name === 'NoSuchBucket') &&
  (statusOf(error) === 404 ||
    (error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound')))

const isPreconditionFailed = (error: unknown) =>
  statusOf(error) === 412 || (error instanceof Error && error.name === 'PreconditionFailed')

/**
 * An `ObjectStore` on one S3 bucket (or an S3-compatible server: give the client `forcePathStyle`).
 *
 * `ifAbsent`: HEAD first (fails fast with `ObjectExistsError` everywhere; skipped with
 * `absentChecked`, when the caller has just HEADed), then PUT with
 * `If-None-Match: *`, which S3 enforces atomically (412 → `ObjectExistsError`). s3rver 3.7.1
 * ignores that header on PUT; the local stack's front enforces it instead (s3rver-child.cjs).
 */
export function createS3ObjectStore(client: S3Client, bucket: string): ObjectStore {
  async function head(key: string): Promise<ObjectInfo | null> {
    try {
      const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
      return {
        key,
        size: out.ContentLength ?? 0,
        etag: out.ETag ?? null,
        lastModified: out.LastModified ?? null,
      }
    } catch (error) {
      if (isMissing(error)) return null
      throw new ObjectStoreError('head', key, { cause: error })
    }
  }

  async function getWithMetadata(key: string): Promise<StoredObject | null> {
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      const bytes = out.Body ? await out.Body.transformToByteArray() : new Uint8Array()
      return { bytes, metadata: out.Metadata ?? {} }
    } catch (error) {
      if (isMissing(error)) return null
      throw new ObjectStoreError('get', key, { cause: error })
    }
  }

  return {
    head,
    async put(key: string, body: Uint8Array | string, options: PutOptions = {}) {
      if (options.ifAbsent && !options.absentChecked && (await head(key)) !== null)
        throw new ObjectExistsError(key)
      const bytes = toBytes(body)
      try {
        const out = await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: bytes,
            ContentLength: bytes.byteLength,
            ContentType: options.contentType,
            Metadata: options.metadata,
            IfNoneMatch: options.ifAbsent ? '*' : undefined,
          }),
        )
        return { key, size: bytes.byteLength, etag: out.ETag ?? null, lastModified: null }
      } catch (error) {
        if (options.ifAbsent && isPreconditionFailed(error)) {
          throw new ObjectExistsError(key, { cause: error })
        }
        throw new ObjectStoreError('put', key, { cause: error })
      }
    },
    async get(key: string) {
      return (await getWithMetadata(key))?.bytes ?? null
    },
    getWithMetadata,
    async *list(prefix: string) {
      let token: string | undefined
      do {
        let out
        try {
          out = await client.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
          )
        } catch (error) {
          throw new ObjectStoreError('list', prefix, { cause: error })
        }
        for (const item of out.Contents ?? []) {
          if (item.Key === undefined) continue
          yield {
            key: item.Key,
            size: item.Size ?? 0,
            etag: item.ETag ?? null,
            lastModified: item.LastModified ?? null,
          }
        }
        token = out.IsTruncated ? out.NextContinuationToken : undefined
        if (out.IsTruncated && !token) {
          throw new ObjectStoreError('list', prefix, {
            cause: new Error('truncated listing without a continuation token'),
          })
        }
      } while (token)
    },
    async delete(key: string) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))
      } catch (error) {
        if (isMissing(error)) return
        throw new ObjectStoreError('delete', key, { cause: error })
      }
    },
    async presignPut(key: string, expiresInS: number, contentType?: string, bind?: PresignBind) {
      if (!bind) {
        const command = new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType })
        return getSignedUrl(client, command, { expiresIn: expiresInS })
      }
      const command = new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        ContentType: contentType,
        ContentLength: bind.sizeBytes,
        ChecksumSHA256: Buffer.from(bind.sha256, 'hex').toString('base64'),
      })
      // Signed as headers (not hoisted into the query), so a client cannot drop or change them.
      return getSignedUrl(client, command, {
        expiresIn: expiresInS,
        signableHeaders: new Set(['content-type', 'content-length', 'x-amz-checksum-sha256']),
        unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
      })
    },
    async presignGet(key: string, expiresInS: number) {
      const command = new GetObjectCommand({ Bucket: bucket, Key: key })
      return getSignedUrl(client, command, { expiresIn: expiresInS })
    },
  }
}
