/**
 * The upload path of `POST /v1/results` (`storeUpload` plus the route's envelope sniffing), one
 * stage at a time, serially, with the round trips the path no longer makes timed for comparison, against the running local stack's s3rver and dynalite (endpoints from
 * `<data dir>/stack.json`). The PUTs go to the reports bucket, so nothing here triggers ingest.
 */
import { readFileSync } from 'node:fs'
import { createAwsClients, destroyAwsClients } from '#adapters/aws-clients.ts'
import { createDynamoDbRunCatalog } from '#adapters/dynamodb-run-catalog.ts'
import { createS3ObjectStore } from '#adapters/s3-object-store.ts'
import { normalizeRaw } from '#core/normalize-raw.ts'
import { rawKey, sidecarKey } from '#core/object-keys.ts'
import { sha256Hex } from '#core/rows.ts'
import { sidecarMetadata } from '#core/sidecar-metadata.ts'
import { validateLabels } from '#functions/api/labels-from-request.ts'
import { stackFilePath } from '#local/stack-file.ts'
import type { StackFile } from '#local/stack-file.ts'
import { median, percentile } from '../lib/stats.ts'

/** Median and p99 ms per stage over `n` distinct documents. */
export type StageTimes = Array<{ stage: string; p50: number; p99: number }>

/** Times each stage of an upload `n` times (distinct bodies: `variant(i)`). */
export async function timeUploadStages(
  dataDir: string,
  variant: (i: number) => Uint8Array,
  n: number,
): Promise<StageTimes> {
  const info = JSON.parse(readFileSync(stackFilePath(dataDir), 'utf8')) as StackFile
  const clients = createAwsClients({
    region: 'us-east-1',
    s3Endpoint: info.s3_endpoint,
    dynamoDbEndpoint: info.dynamodb_endpoint,
    credentials: {
      accessKeyId: info.credentials.access_key_id,
      secretAccessKey: info.credentials.secret_access_key,
    },
  })
  const store = createS3ObjectStore(clients.s3, info.buckets.reports)
  const catalog = createDynamoDbRunCatalog(clients.dynamo, info.table)
  const labels = validateLabels({ platform: 'openstack', scenario: 'os-s1' })
  const times = new Map<string, number[]>()
  const time = async <T>(stage: string, work: () => T | Promise<T>): Promise<T> => {
    const started = performance.now()
    const result = await work()
    ;(times.get(stage) ?? times.set(stage, []).get(stage)!).push(performance.now() - started)
    return result
  }
  try {
    for (let i = 0; i < n; i++) {
      const bytes = variant(i)
      await time('route: decode + JSON.parse (envelope sniffing)', () =>
        JSON.parse(new TextDecoder().decode(bytes)),
      )
      const sha = await time('sha256', () => sha256Hex(bytes))
      const context = {
        raw_key: null,
        raw_sha256: sha,
        labels,
        tool: null,
        received_at: new Date().toISOString(),
      }
      const check = await time('normalizeRaw verdictOnly (validation, the API now)', () =>
        normalizeRaw(bytes, context, { verdictOnly: true }),
      )
      await time('normalizeRaw full (what ingest builds; the API did before)', () =>
        normalizeRaw(bytes, context),
      )
      if (!check.ok) throw new Error(`variant ${i} does not normalize: ${check.error.message}`)
      const key = rawKey('2026-11-26', sha, 'json')
      const metadata = sidecarMetadata({ labels, size_bytes: bytes.byteLength }) ?? undefined
      await time('S3 PUT raw, create-only, labels as metadata (103 KB)', () =>
        store.put(key, bytes, {
          contentType: 'application/json',
          ifAbsent: true,
          absentChecked: true,
          metadata,
        }),
      )
      await time(
        'DynamoDB GetItem ingest record (the earlier-day duplicate check, before the PUT)',
        () => catalog.getIngestRecord(sha),
      )
      await time('(before: S3 HEAD raw key)', () => store.head(key))
      await time('(before: S3 PUT sidecar)', () =>
        store.put(sidecarKey(key), JSON.stringify({ labels, size_bytes: bytes.byteLength }), {
          contentType: 'application/json',
        }),
      )
    }
  } finally {
    destroyAwsClients(clients)
  }
  const skip = Math.min(20, Math.floor(n / 5)) // warm-up
  return [...times].map(([stage, values]) => ({
    stage,
    p50: median(values.slice(skip)),
    p99: percentile(values.slice(skip), 99),
  }))
}
