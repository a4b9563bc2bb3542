import { handle } from 'hono/aws-lambda'
import { loadConfig } from '#adapters/config.ts'
import { createAwsLake } from '#adapters/aws-lake.ts'
import { createParquetWriter, readParquetRows } from '#adapters/parquet-writer.ts'
import { defaultScenarioCatalog } from '#core/compare/scenario-catalog.ts'
import { swaggerUiAssets, swaggerUiPackageDir } from '#adapters/swagger-ui-assets.ts'
import { createApi } from './app.ts'

/** How long presigned dataset and report URLs stay valid (the notebook re-fetches the manifest). */
const PRESIGN_SECONDS = 3600

function createLambdaApp() {
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
    // Relabel and delete rewrite Parquet; the wasm writer loads on the first one only.
    openParquetWriter: createParquetWriter,
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

/** API Gateway HTTP API (payload v2) → the same Hono app the local stack serves. */
export const handler = handle(createLambdaApp())
