import { readFile } from 'node:fs/promises'
import { describeError } from '#core/errors.ts'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import type { Server } from 'node:http'
import { getConnInfo } from '@hono/node-server/conninfo'
import { destroyAwsClients } from '#adapters/aws-clients.ts'
import { createAwsLake } from '#adapters/aws-lake.ts'
import { loadConfig } from '#adapters/config.ts'
import { SAMPLE_LABELS } from '#schemas/labels.ts'
import { createCatalogTable } from '#adapters/dynamodb-run-catalog.ts'
import { startLocalDynamo } from '#local/servers/local-dynamo.ts'
import { startLocalS3 } from '#local/servers/local-s3.ts'
import { localCredentials, privateDir } from '#local/servers/local-credentials.ts'
import { createParquetWriter, readParquetRows } from '#adapters/parquet-writer.ts'
import { defaultScenarioCatalog } from '#core/compare/scenario-catalog.ts'
import { createApi } from '#functions/api/app.ts'
import { swaggerUiAssets, swaggerUiPackageDir } from '#adapters/swagger-ui-assets.ts'
import { resumePendingRepairs } from '#functions/repair/repair-object.ts'
import { purgeExpiredTombstones } from '#functions/repair/audit-log.ts'
import { ensureAdminToken } from './admin-token.ts'
import { localAllowedHosts } from './allowed-hosts.ts'
import { sweepRaw, takeCleanStop, writeCleanStop } from './startup-sweep.ts'
import type { SweepResult } from './startup-sweep.ts'
import { createFileSigner } from '#functions/api/file-signatures.ts'
import { compactAll } from '#functions/compact/compact-all.ts'
import { sweepLake, SWEEP_GRACE_MS } from '#functions/lake/sweep-lake.ts'
import type { IngestDeps } from '#functions/ingest/ingest-object.ts'
import { jsonLog } from '#functions/ingest/run-ingest.ts'
import type { IngestLog } from '#functions/ingest/run-ingest.ts'
import { createIngestWorker } from './ingest-worker.ts'
import { loadSampleData } from './sample-data.ts'
import { serveNotebook } from './serve-notebook.ts'
import { readStackFile, writeStackFile } from './stack-file.ts'
import { startLocalReportJob } from '#local/report-timer.ts'

export interface LocalStackOptions {
  dataDir: string
  /** 8787 by default; 0 picks a free port. */
  port: number
  host: string
  /** Load the bundled lab fixtures when the lake is empty. */
  sampleData: boolean
  /** Loopback GETs without a token (the notebook just works). */
  anonymousLoopbackReads: boolean
  compactEveryMs: number
  /** A request (headers and body) must arrive within this; slow senders get 408 (Node's requestTimeout). */
  requestTimeoutMs: number
  reportEveryMs: number
  /** POSTed a JSON summary when a report flags a regression. */
  reportWebhookUrl?: string
  /** Platforms accepted beyond openstack, kubevirt, baremetal (`--platforms`, `NETLAKE_PLATFORMS`). */
  platforms?: string[]
  /** A user scenario file merged over the built-in catalog. */
  scenariosFile?: string
  /** Tests only: the start-up sweep waits for this before it lists anything. */
  sweepGate?: Promise<void>
  /** Host names accepted beyond the loopback names and the listen address (local/allowed-hosts.ts). */
  allowedHosts?: string[]
  log: IngestLog
}

export const LOCAL_BUCKETS = {
  raw: 'netlake-raw',
  curated: 'netlake-curated',
  reports: 'netlake-reports',
} as const
export const LOCAL_TABLE = 'netlake-catalog'

/** A running local netlake. */
export interface LocalStack {
  url: string
  dataDir: string
  tokenFile: string
  /** Resolves when the start-up sweep is done and every object seen so far is ingested. */
  idle(): Promise<void>
  /**
   * The start-up sweep, run in the background (health is ready before it ends): only the upload
   * dates since the last clean stop, or the whole raw area after a crash or on first start.
   */
  sweep: Promise<SweepResult | null>
  compactNow(): Promise<void>
  close(): Promise<void>
  /** The bundled samples: files stored by this start (0 unless the lake was empty), and whether runs of theirs are in the lake. */
  samples: { loaded: number; present: boolean }
  /** The Host names the API answers for (others get 421). */
  allowedHosts: string[]
}

/**
 * The whole system on one machine: s3rver and dynalite on loopback with data under `dataDir`
 * (0700), closed to anything not signed with this start's key pair (written to the 0600 stack file),
 * the same SDK adapters as in AWS, the ingest worker fed by S3 object events, compaction on a
 * timer, the API and the notebook on one port.
 */
export async function startLocalStack(
  partial: Partial<LocalStackOptions> & { dataDir: string },
): Promise<LocalStack> {
  const options: LocalStackOptions = {
    port: 8787,
    host: '127.0.0.1',
    sampleData: true,
    anonymousLoopbackReads: true,
    compactEveryMs: 5 * 60_000,
    reportEveryMs: 60 * 60_000,
    requestTimeoutMs: 30_000,
    log: jsonLog,
    ...partial,
  }
  await privateDir(options.dataDir)
  const running = await readStackFile(options.dataDir)
  if (typeof running !== 'string') {
    throw new Error(
      `another netlake stack (pid ${running.pid}, ${running.url}) is using ${options.dataDir}; stop it or pick another --data-dir`,
    )
  }
  const closers: Array<() => Promise<void> | void> = []
  const close = async () => {
    for (const closer of closers.reverse()) await closer()
    closers.length = 0
  }
  try {
    // One key pair per start: the embedded servers refuse every request not signed with it.
    const credentials = localCredentials()
    const s3 = await startLocalS3({
      dataDir: join(options.dataDir, 's3'),
      buckets: Object.values(LOCAL_BUCKETS),
      credentials,
    })
    closers.push(() => s3.close())
    const dynamo = await startLocalDynamo({
      dataDir: join(options.dataDir, 'dynamodb'),
      credentials,
    })
    closers.push(() => dynamo.close())
    const lake = createAwsLake(
      loadConfig({
        NETLAKE_RAW_BUCKET: LOCAL_BUCKETS.raw,
        NETLAKE_CURATED_BUCKET: LOCAL_BUCKETS.curated,
        NETLAKE_REPORTS_BUCKET: LOCAL_BUCKETS.reports,
        NETLAKE_TABLE: LOCAL_TABLE,
        NETLAKE_S3_ENDPOINT: s3.endpoint,
        NETLAKE_DYNAMODB_ENDPOINT: dynamo.endpoint,
      }),
      credentials,
    )
    closers.push(() => destroyAwsClients(lake.clients))
    await createCatalogTable(lake.clients.dynamoRaw, LOCAL_TABLE)

    const deps: IngestDeps = {
      raw: lake.raw,
      curated: lake.curated,
      catalog: lake.catalog,
      parquet: await createParquetWriter(),
      clock: { now: () => new Date() },
      compactAt: { files: 256, readParquet: readParquetRows },
      // Hive symlink manifests after each commit, as in AWS: external readers (DuckDB, Spark,
      // Athena-style) read `curated/_symlink/` and never see a compaction half done.
      manifestBucket: LOCAL_BUCKETS.curated,
    }
    const reports = lake.reports
    const tokenFile = join(options.dataDir, 'token')
    await ensureAdminToken(tokenFile, deps)

    const worker = createIngestWorker(deps, {
      maxAttempts: 5,
      backoffMs: 200,
      batchWindowMs: 200,
      deadLetterFile: join(options.dataDir, 'dead-letter.jsonl'),
      log: options.log,
    })
    // Runs after the worker stopped: a clean stop (nothing queued, sweep done) lets the next start
    // sweep only what changed since.
    let swept = false
    closers.push(async () => {
      if (swept && worker.pending() === 0)
        await writeCleanStop(options.dataDir, deps.clock.now()).catch(() => undefined)
    })
    closers.push(() => worker.stop())
    const unsubscribe = s3.onObjectCreated((event) => {
      if (event.bucket === LOCAL_BUCKETS.raw) worker.enqueue(event.key)
    })
    closers.push(unsubscribe)
    // A relabel or delete the last run died in the middle of finishes before anything else.
    await resumePendingRepairs({ ...deps, readParquet: readParquetRows })
    // Objects that arrived while the stack was down (or whose event was lost) are ingested in the
    // background; readiness does not wait for them.
    const since = await takeCleanStop(options.dataDir)
    const sweep = (async () => {
      await options.sweepGate
      const result = await sweepRaw(deps.raw, since, deps.clock.now(), (key) => worker.enqueue(key))
      swept = true
      options.log({
        level: 'info',
        msg: 'startup-sweep',
        ...result,
        prefixes: result.prefixes.length,
      })
      return result
    })().catch((error) => {
      options.log({ level: 'error', msg: 'startup-sweep', error: describeError(error) })
      return null
    })

    let ready = false
    const scenarios = defaultScenarioCatalog(
      options.scenariosFile ? JSON.parse(await readFile(options.scenariosFile, 'utf8')) : undefined,
    )
    const fileSigner = createFileSigner()
    const allowedHosts = localAllowedHosts(options.host, options.allowedHosts)
    const api = createApi({
      ...deps,
      platforms: options.platforms ?? [],
      reports,
      scenarios,
      readParquet: async (bytes) => readParquetRows(bytes),
      fileUrl: async (bucket, key) => fileSigner.sign(`/v1/files/${bucket}/${key}`, 3600),
      fileSigner,
      remoteAddress: (_request, env) =>
        env ? getConnInfo({ env } as never).remote.address : undefined,
      ready: async () => ready,
      docsAssets: swaggerUiAssets([swaggerUiPackageDir()]),
      options: {
        anonymousLoopbackReads: options.anonymousLoopbackReads,
        serveFiles: true,
        corsOrigins: [],
        allowedHosts,
      },
    })
    serveNotebook(api)
    const server = await listen(
      withHeadHeaders(api.fetch),
      options.host,
      options.port,
      options.requestTimeoutMs,
    )
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections() // keep-alive and stalled clients must not hold shutdown
        }),
    )
    const port = (server.address() as AddressInfo).port

    const loaded = options.sampleData ? await loadSampleData(deps) : 0
    const compactDeps = {
      ...deps,
      readParquet: async (bytes: Uint8Array) => readParquetRows(bytes),
    }
    const compactNow = async () => {
      await worker.idle()
      for (const result of await compactAll(compactDeps))
        options.log({ level: 'info', msg: 'compact', ...result })
      await resumePendingRepairs(compactDeps)
      const purged = await purgeExpiredTombstones(deps.raw, new Date())
      if (purged.length > 0)
        options.log({ level: 'info', msg: 'tombstones purged', raw_sha256: purged })
      // Compaction leaves the files it replaced to the sweeper (readers of the old manifest).
      const sweep = await sweepLake(
        { curated: deps.curated, catalog: deps.catalog, curatedBucket: LOCAL_BUCKETS.curated },
        { now: new Date(), graceMs: SWEEP_GRACE_MS },
      )
      if (sweep.republished.length + sweep.deleted.length > 0)
        options.log({
          level: 'info',
          msg: 'sweep',
          republished: sweep.republished.length,
          deleted: sweep.deleted.length,
        })
    }
    const timer = setInterval(
      () =>
        void compactNow().catch((error) =>
          options.log({ level: 'error', msg: 'compact', error: describeError(error) }),
        ),
      options.compactEveryMs,
    )
    timer.unref()
    closers.push(() => clearInterval(timer))
    if (loaded > 0) await worker.idle() // first start: the samples are in before start returns
    const reportJob = startLocalReportJob(
      { curated: deps.curated, reports, catalog: deps.catalog, clock: deps.clock },
      {
        intervalMs: options.reportEveryMs,
        webhookUrl: options.reportWebhookUrl,
        onError: (error) =>
          options.log({ level: 'error', msg: 'report', error: describeError(error) }),
        onReport: (record) =>
          options.log({
            level: 'info',
            msg: 'report',
            report_id: record.report_id,
            regressions: record.regressions,
            improvements: record.improvements,
          }),
      },
    )
    closers.push(() => reportJob.stop())
    closers.push(
      await writeStackFile(options.dataDir, {
        pid: process.pid,
        url: `http://${options.host}:${port}`,
        s3_endpoint: s3.endpoint,
        dynamodb_endpoint: dynamo.endpoint,
        buckets: { ...LOCAL_BUCKETS },
        table: LOCAL_TABLE,
        credentials: {
          access_key_id: credentials.accessKeyId,
          secret_access_key: credentials.secretAccessKey,
        },
      }),
    )
    const present =
      (await deps.catalog.listRuns({ campaign: SAMPLE_LABELS.campaign }, 1)).items.length > 0
    ready = true
    return {
      url: `http://${options.host}:${port}`,
      dataDir: options.dataDir,
      tokenFile,
      idle: async () => {
        await sweep
        await worker.idle()
      },
      sweep,
      compactNow,
      close,
      allowedHosts,
      samples: { loaded, present },
    }
  } catch (error) {
    await close()
    throw error
  }
}

function listen(
  fetch: Fetch,
  hostname: string,
  port: number,
  requestTimeout: number,
): Promise<Server> {
  // Node checks request timeouts every connectionsCheckingInterval: keep it well below the timeout.
  const serverOptions = {
    requestTimeout,
    headersTimeout: Math.min(requestTimeout, 10_000),
    connectionsCheckingInterval: Math.max(100, Math.floor(requestTimeout / 4)),
  }
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port, serverOptions }, () => resolve(server as Server))
    server.once('error', reject)
  })
}

type Fetch = (request: Request, env: unknown) => Response | Promise<Response>

/**
 * HEAD answered as GET without the body, keeping every header. duckdb-wasm sizes remote Parquet
 * files with HEAD, and Hono's own HEAD conversion loses Content-Length on @hono/node-server 2.1.
 */
function withHeadHeaders(fetch: Fetch): Fetch {
  return async (request, env) => {
    if (request.method !== 'HEAD') return fetch(request, env)
    const response = await fetch(
      new Request(request.url, { method: 'GET', headers: request.headers }),
      env,
    )
    await response.body?.cancel()
    return new Response(null, {
      status: response.status,
      headers: Object.fromEntries(response.headers),
    })
  }
}
