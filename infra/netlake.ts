import { type App, type Environment, Tags } from 'aws-cdk-lib'
import type { NetlakeConfig } from './config.ts'
import { ApiStack } from './stacks/api-stack.ts'
import { DataStack } from './stacks/data-stack.ts'
import { PipelineStack } from './stacks/pipeline-stack.ts'
import { QueryStack } from './stacks/query-stack.ts'
import { ReportStack } from './stacks/report-stack.ts'
import { WebStack } from './stacks/web-stack.ts'

/** The deployed stacks, by role. */
export interface NetlakeStacks {
  data: DataStack
  pipeline: PipelineStack
  report: ReportStack
  api: ApiStack
  web: WebStack
  query: QueryStack
}

/**
 * Add every netlake stack for one stage to an app. Stacks are named `netlake-<stage>-<role>`;
 * only `data` holds state, the others can be destroyed and redeployed freely.
 */
export function addNetlakeStacks(
  app: App,
  config: NetlakeConfig,
  env?: Environment,
): NetlakeStacks {
  const name = (role: string) => `netlake-${config.stage}-${role}`
  const common = { env, config }
  const data = new DataStack(app, name('data'), {
    ...common,
    description: 'netlake stateful resources (retained): buckets, catalog table, ingest queue',
    terminationProtection: config.stage === 'prod',
  })
  const pipeline = new PipelineStack(app, name('pipeline'), {
    ...common,
    data,
    description: 'netlake ingest and compaction functions, DLQ alarm',
  })
  const report = new ReportStack(app, name('report'), {
    ...common,
    data,
    description: 'netlake scheduled report and regression topic',
  })
  const api = new ApiStack(app, name('api'), { ...common, data, description: 'netlake HTTP API' })
  const web = new WebStack(app, name('web'), {
    ...common,
    httpApi: api.httpApi,
    description: 'netlake notebook (CloudFront + S3) with the API under /v1/*',
  })
  const query = new QueryStack(app, name('query'), {
    ...common,
    data,
    description: 'netlake Glue tables and Athena workgroup over curated Parquet',
  })
  Tags.of(app).add('project', 'netlake')
  Tags.of(app).add('netlake:stage', config.stage)
  return { data, pipeline, report, api, web, query }
}
