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
  where: string
  /** The local stack's data folder (undefined on AWS). */
  dataDir?: string
  close(): void
}

/**
 * AWS when `NETLAKE_RAW_BUCKET` & co. are set (credentials from the usual AWS chain), else the
 * running local stack found through `<data dir>/stack.json`. Returns a sentence when neither.
 */
export async function openLake(dataDirOption?: string): Promise<Lake | string> {
  let config: NetlakeConfig
  let where: string
  let credentials: { accessKeyId: string; secretAccessKey: string } | undefined
  let dataDir: string | undefined
  if (process.env.NETLAKE_RAW_BUCKET) {
    config = loadConfig(process.env)
    where = `AWS (${config.rawBucket}, ${config.table})`
  } else {
    dataDir = resolve(dataDirOption ?? process.env.NETLAKE_DATA_DIR ?? '.netlake')
    const stack = await readStackFile(dataDir)
    if (typeof stack === 'string') return stack
    config = loadConfig({
      NETLAKE_RAW_BUCKET: stack.buckets.raw,
      NETLAKE_CURATED_BUCKET: stack.buckets.curated,
      NETLAKE_REPORTS_BUCKET: stack.buckets.reports,
      NETLAKE_TABLE: stack.table,
      NETLAKE_S3_ENDPOINT: stack.s3_endpoint,
      NETLAKE_DYNAMODB_ENDPOINT: stack.dynamodb_endpoint,
    })
    where = `the local stack at ${stack.url} (data in ${dataDir})`
    credentials = {
      accessKeyId: stack.credentials.access_key_id,
      secretAccessKey: stack.credentials.secret_access_key,
    }
  }
  const { clients, ...stores } = createAwsLake(config, credentials)
  return {
    ...stores,
    parquet: await createParquetWriter(),
    readParquet: readParquetRows,
    clock: { now: () => new Date() },
    where,
    dataDir,
    close: () => destroyAwsClients(clients),
  }
}
