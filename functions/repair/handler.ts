import { handle } from 'hono/aws-lambda'
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda'
import { loadConfig } from '#adapters/config.ts'
import { createAwsLake } from '#adapters/aws-lake.ts'
import { createParquetWriter, readParquetRows } from '#adapters/parquet-writer.ts'
import { createLambdaApi } from '#functions/api/lambda-app.ts'
import { resumePendingRepairs } from './repair-object.ts'

/** A scheduler event (`infra/constructs/job-schedule.ts`). */
interface ScheduledJob {
  source: 'netlake.scheduler'
  job: string
}

const serve = handle(createLambdaApi({ repair: true }))

/**
 * The repair function. From API Gateway: `PATCH /v1/raw/{sha256}/labels`, `DELETE
 * /v1/raw/{sha256}` and `GET /v1/audit`, served by the same Hono app as the API (same auth, errors
 * and contract) but with this function's grants. From the scheduler (`resume-repairs`): finishes
 * every relabel or delete a timeout or crash left pending. Tombstones expire by the raw bucket's
 * lifecycle rule, not here.
 */
export async function handler(event: LambdaEvent | ScheduledJob, context: LambdaContext) {
  if ((event as ScheduledJob).source === 'netlake.scheduler') {
    const config = loadConfig(process.env)
    const lake = createAwsLake(config)
    const done = await resumePendingRepairs({
      raw: lake.raw,
      curated: lake.curated,
      catalog: lake.catalog,
      parquet: await createParquetWriter(),
      readParquet: readParquetRows,
      clock: { now: () => new Date() },
      manifestBucket: config.curatedBucket,
    })
    console.log(JSON.stringify({ level: 'info', msg: 'resume-repairs', finished: done }))
    return { finished: done.length }
  }
  return serve(event as LambdaEvent, context)
}
