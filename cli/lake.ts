import { resolve } from 'node:path'
import { loadConfig } from '#adapters/config.ts'
import type { NetlakeConfig } from '#adapters/config.ts'
import { destroyAwsClients } from '#adapters/aws-clients.ts'
import { createAwsLake } from '#adapters/aws-lake.ts'
import { createParquetWriter, readParquetRows } from '#adapters/parquet-writer.ts'
import type { IngestDeps } from '#functions/ingest/ingest-object.ts'
import type { ObjectStore } from '#functions/ports.ts'
import { readStackFile } from '#local/stack-file.ts'

/** The lake a maintenance command works on, with the same adapters the functions use. */
export interface Lake extends IngestDeps {
  reports: ObjectStore
  readParquet: (bytes: Uint8Array) => Promise<Record<string, unknown>[]>
  /** The curated bucket's name (the `s3://` URIs in the symlink manifests). */
  curatedBucket: string
  where: string
  close(): void
}

/** What opens a lake, as plain data a worker thread can receive. */
export interface LakeSpec {
  config: NetlakeConfig
  credentials?: { accessKeyId: string; secretAccessKey: string }
  where: string
}

/**
 * AWS when `NETLAKE_RAW_BUCKET` & co. are set (credentials from the usual AWS chain), else the
 * running local stack found through `<data dir>/stack.json`. Returns a sentence when neither.
 */
export async function findLake(dataDirOption?: string): Promise<LakeSpec | string> {
  if (process.env.NETLAKE_RAW_BUCKET) {
    const config = loadConfig(process.env)
    return { config, where: `AWS (${config.rawBucket}, ${config.table})` }
  }
  const dataDir = resolve(dataDirOption ?? process.env.NETLAKE_DATA_DIR ?? '.netlake')
  const stack = await readStackFile(dataDir)
  if (typeof stack === 'string') return stack
  return {
    config: loadConfig({
      NETLAKE_RAW_BUCKET: stack.buckets.raw,
      NETLAKE_CURATED_BUCKET: stack.buckets.curated,
      NETLAKE_REPORTS_BUCKET: stack.buckets.reports,
      NETLAKE_TABLE: stack.table,
      NETLAKE_S3_ENDPOINT: stack.s3_endpoint,
      NETLAKE_DYNAMODB_ENDPOINT: stack.dynamodb_endpoint,
    }),
    where: `the local stack at ${stack.url} (data in ${dataDir})`,
    credentials: {
      accessKeyId: stack.credentials.access_key_id,
      secretAccessKey: stack.credentials.secret_access_key,
    },
  }
}

/** The lake `findLake` names, opened; a sentence when there is none. */
export async function openLake(dataDirOption?: string): Promise<Lake | string> {
  const spec = await findLake(dataDirOption)
  return typeof spec === 'string' ? spec : openLakeSpec(spec)
}

/** Adapters for a lake spec (in the main thread or a worker). */
export async function openLakeSpec(spec: LakeSpec): Promise<Lake> {
  const { clients, ...stores } = createAwsLake(spec.config, spec.credentials)
  return {
    ...stores,
    parquet: await createParquetWriter(),
    readParquet: readParquetRows,
    curatedBucket: spec.config.curatedBucket,
    clock: { now: () => new Date() },
    where: spec.where,
    close: () => destroyAwsClients(clients),
  }
}
