import { OpenAPIHono, z } from '@hono/zod-openapi'
import { cors } from 'hono/cors'
import type {
  Clock,
  ObjectStore,
  ParquetWriter,
  RunCatalog,
  TokenRecord,
} from '#functions/ports.ts'
import type { ScenarioCatalog } from '#schemas/scenarios.ts'
import type { FileSigner } from './file-signatures.ts'
import { MAX_RAW_BYTES } from '#core/decode-raw.ts'
import { asApiError, errorBody, renderError } from './errors.ts'
import { errorResponses, limitHeaders, validationHook } from './contract.ts'
import { createRateLimiter } from './rate-limit.ts'
import { allowedHostsCheck } from './host-check.ts'
import { singleQueryParams } from './query-params.ts'
import type { AuthOptions } from './auth.ts'
import { registerResultRoutes } from './results.routes.ts'
import { registerRunRoutes } from './runs.routes.ts'
import { registerDatasetRoutes } from './datasets.routes.ts'
import { registerCompareRoutes } from './compare.routes.ts'
import { registerReportRoutes } from './reports.routes.ts'
import { registerTokenRoutes } from './tokens.routes.ts'
import { registerTokenAdminRoutes } from './token-admin.routes.ts'
import { registerDocsRoutes, type DocsAssets } from './docs.routes.ts'
import { registerRepairRoutes } from './repair.routes.ts'
import { describeError } from '#core/errors.ts'

/** Everything the API talks to, passed in (memory twins in tests, S3/DynamoDB elsewhere). */
export interface ApiDeps {
  raw: ObjectStore
  curated: ObjectStore
  reports: ObjectStore
  catalog: RunCatalog
  clock: Clock
  /** Platforms the deployment declares beyond openstack, kubevirt, baremetal (NETLAKE_PLATFORMS). */
  platforms?: readonly string[]
  /** Scenario catalog served by `GET /v1/scenarios` and used by compare. */
  scenarios: ScenarioCatalog
  /** Parquet bytes → rows (for a run's intervals). */
  readParquet: (bytes: Uint8Array) => Promise<Record<string, unknown>[]>
  /** A URL the browser can range-read: presigned in AWS, signed `/v1/files/...` locally. */
  fileUrl: (bucket: 'curated' | 'reports', key: string) => Promise<string>
  /** Local stack: accepts the signatures `fileUrl` puts on `/v1/files/...` URLs. */
  fileSigner?: FileSigner
  remoteAddress?: AuthOptions['remoteAddress']
  /** Health of what the API depends on (local stack: servers up, ingest worker running). */
  ready?: () => Promise<boolean>
  /** The swagger-ui-dist files of the interactive `/docs`; without them `/docs` is a plain page. */
  docsAssets?: DocsAssets
  options?: Partial<ApiOptions>
  /** Relabel and delete rewrite curated Parquet with this writer (or one opened on first use). */
  parquet?: ParquetWriter
  openParquetWriter?: () => Promise<ParquetWriter>
  /** The curated bucket's name when symlink manifests are published (AWS). */
  manifestBucket?: string
}

export interface ApiOptions {
  /** Local stack: loopback GETs need no token. Off in AWS. */
  anonymousLoopbackReads: boolean
  /** Largest body `POST /v1/results` accepts; larger files go through `POST /v1/uploads`. */
  directUploadLimitBytes: number
  /** Per token. */
  rateLimitPerMinute: number
  rateLimitBurst: number
  corsOrigins: string[]
  /** Serve curated/report objects at `/v1/files/...` (local stack; AWS presigns instead). */
  serveFiles: boolean
  /** Runs one comparison reads per side at most, so a request cannot scan the whole catalog. */
  compareMaxRunsPerSide: number
  /** Request headers above this many bytes get 431 with the error document (below Node's 16 KiB). */
  maxHeaderBytes: number
  /** Largest JSON body of `POST /v1/tokens` and `POST /v1/uploads`. */
  maxJsonBodyBytes: number
  /** Host names the API answers for (others get 421); empty checks nothing. */
  allowedHosts: string[]
}

export const DEFAULT_API_OPTIONS: ApiOptions = {
  anonymousLoopbackReads: false,
  directUploadLimitBytes: 8 * 1024 * 1024,
  rateLimitPerMinute: 6000,
  rateLimitBurst: 600,
  corsOrigins: [],
  serveFiles: false,
  compareMaxRunsPerSide: 5000,
  maxHeaderBytes: 12 * 1024,
  maxJsonBodyBytes: 64 * 1024,
  allowedHosts: [],
}

export type ApiEnv = { Variables: { token: TokenRecord | null } }
export type ApiApp = OpenAPIHono<ApiEnv>
export interface ApiContext {
  deps: ApiDeps
  options: ApiOptions
  auth: AuthOptions
}

/** Builds the Hono app; served by @hono/node-server locally and by the Lambda adapter in AWS. */
export function createApi(deps: ApiDeps): ApiApp {
  const options: ApiOptions = { ...DEFAULT_API_OPTIONS, ...deps.options }
  if (options.directUploadLimitBytes > MAX_RAW_BYTES)
    throw new RangeError('directUploadLimitBytes exceeds the core limit')
  const app: ApiApp = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook })
  const context: ApiContext = {
    deps,
    options,
    auth: {
      catalog: deps.catalog,
      now: () => deps.clock.now(),
      limiter: createRateLimiter({
        perMinute: options.rateLimitPerMinute,
        burst: options.rateLimitBurst,
        now: () => deps.clock.now().getTime(),
      }),
      anonymousLoopbackReads: options.anonymousLoopbackReads,
      remoteAddress: deps.remoteAddress ?? (() => undefined),
    },
  }
  app.use(
    '*',
    cors({
      origin: (origin) =>
        options.corsOrigins.includes('*') || options.corsOrigins.includes(origin) ? origin : null,
      allowHeaders: ['Authorization', 'Content-Type', 'Range'],
      exposeHeaders: ['Content-Length', 'Content-Range', 'Accept-Ranges', 'ETag', 'Retry-After'],
      allowMethods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
      maxAge: 600,
    }),
  )
  app.use('*', allowedHostsCheck(options.allowedHosts))
  app.use('*', singleQueryParams())
  app.use('*', limitHeaders(options.maxHeaderBytes))
  app.onError((error, c) => {
    if (!asApiError(error)) {
      console.error(
        JSON.stringify({
          level: 'error',
          msg: 'unhandled',
          path: c.req.path,
          error: describeError(error),
          stack: (error as Error)?.stack,
        }),
      )
    }
    return renderError(c, error)
  })
  app.notFound((c) => c.json(errorBody('not-found', `no route ${c.req.method} ${c.req.path}`), 404))

  const HealthSchema = z.object({ status: z.enum(['ok', 'starting']) })
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/healthz',
    summary: 'Whether the API and what it depends on are up',
    description: 'Needs no token.',
    operationId: 'getHealth',
    tags: ['meta'],
    security: [],
    responses: {
      200: { description: 'ready', content: { 'application/json': { schema: HealthSchema } } },
      503: {
        description: 'still starting',
        content: { 'application/json': { schema: HealthSchema } },
      },
      ...errorResponses([]),
    },
  })
  app.get('/healthz', async (c) => {
    const ready = deps.ready ? await deps.ready().catch(() => false) : true
    return c.json({ status: ready ? 'ok' : 'starting' }, ready ? 200 : 503)
  })
  registerResultRoutes(app, context)
  registerRunRoutes(app, context)
  registerDatasetRoutes(app, context)
  registerCompareRoutes(app, context)
  registerReportRoutes(app, context)
  registerTokenRoutes(app, context)
  registerRepairRoutes(app, context)
  registerTokenAdminRoutes(app, context)
  registerDocsRoutes(app, deps.docsAssets)
  return app
}
