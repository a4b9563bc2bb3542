import { loadConfig } from '#adapters/config.ts'
import { createAwsLake } from '#adapters/aws-lake.ts'
import { createParquetWriter, readParquetRows } from '#adapters/parquet-writer.ts'
import { defaultScenarioCatalog } from '#core/compare/scenario-catalog.ts'
import { swaggerUiAssets, swaggerUiPackageDir } from '#adapters/swagger-ui-assets.ts'
import { createApi, type ApiApp } from './app.ts'

/** How long presigned dataset and report URLs stay valid (the notebook re-fetches the manifest). */
const PRESIGN_SECONDS = 3600

/**
 * The Hono app as a Lambda serves it, from the function's environment. `repair: true` is the
 * repair function (API Gateway routes relabel, delete and the audit log to it; its role alone may
 * rewrite curated Parquet and write the repair records): it opens a Parquet writer on the first
 * repair. The API function passes false: it cannot rewrite anything, and answers those routes 501
 * should they ever reach it.
 */
export function createLambdaApi(options: { repair: boolean }): ApiApp {
  const config = loadConfig(process.env)
  const lake = createAwsLake(config)
  const stores = { raw: lake.raw, curated: lake.curated, reports: lake.reports }
  return createApi({
    ...stores,
    catalog: lake.catalog,
    platforms: config.platforms,
    clock: { now: () => new Date() },
    scenarios: defaultScenarioCatalog(),
    readParquet: readParquetRows,
    // The wasm writer loads on the first relabel or delete only.
    openParquetWriter: options.repair ? createParquetWriter : undefined,
    manifestBucket: config.curatedBucket,
    fileUrl: (bucket, key) => stores[bucket].presignGet(key, PRESIGN_SECONDS),
    // the bundle carries swagger-ui.css and swagger-ui-bundle.js beside index.mjs (api-stack.ts)
    docsAssets: swaggerUiAssets([import.meta.dirname, swaggerUiPackageDir()]),
    // Behind API Gateway every route needs a token; CORS is answered by API Gateway.
    // Requests must name the deployment's own domain in Host (DNS-rebinding guard).
    options: {
      anonymousLoopbackReads: false,
      serveFiles: false,
      allowedHosts: config.allowedHosts,
    },
  })
}
