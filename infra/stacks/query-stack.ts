import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib'
import * as athena from 'aws-cdk-lib/aws-athena'
import type { Construct } from 'constructs'
import type { NetlakeConfig } from '../config.ts'
import { LakeCatalog } from '../constructs/lake-catalog.ts'
import type { DataStack } from './data-stack.ts'

/** The comparisons in Athena's dialect (Trino), shipped as named queries in the workgroup. */
export const ATHENA_QUERY_DIR = join(import.meta.dirname, '../athena')

/** Name → SQL of every file in `infra/athena/`. */
export function athenaQueries(): Array<{ name: string; sql: string }> {
  return readdirSync(ATHENA_QUERY_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({
      name: f.replace(/\.sql$/, ''),
      sql: readFileSync(join(ATHENA_QUERY_DIR, f), 'utf8'),
    }))
}

/** Key prefix of the canonical tables in the curated bucket. */
export const CURATED_PREFIX = 'curated/'

export interface QueryStackProps extends StackProps {
  config: NetlakeConfig
  data: DataStack
}

/**
 * SQL over the lake at a scale beyond one browser: the Glue tables (metadata only, recreated at
 * will) and an Athena workgroup whose results are SSE-S3 encrypted in the data stack's bucket.
 */
export class QueryStack extends Stack {
  readonly catalog: LakeCatalog
  readonly workGroup: athena.CfnWorkGroup

  constructor(scope: Construct, id: string, props: QueryStackProps) {
    super(scope, id, props)
    const { config, data } = props

    const databaseName = `netlake_${config.stage.replace(/-/g, '_')}`
    this.catalog = new LakeCatalog(this, 'LakeCatalog', {
      databaseName,
      curated: data.curated,
      firstDate: '2020-01-01',
    })
    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: `netlake-${config.stage}`,
      description: 'netlake SQL over curated Parquet',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: config.athenaBytesScannedCutoff,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${data.athenaResults.bucketName}/results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    })
    for (const query of athenaQueries()) {
      const named = new athena.CfnNamedQuery(this, `Query-${query.name}`, {
        name: `netlake ${query.name}`,
        description: query.sql
          .split('\n')[0]
          .replace(/^--\s*/, '')
          .slice(0, 1024),
        database: databaseName,
        workGroup: this.workGroup.ref,
        queryString: query.sql,
      })
      named.node.addDependency(this.catalog.database)
    }
    new CfnOutput(this, 'GlueDatabase', { value: databaseName })
    new CfnOutput(this, 'AthenaWorkGroup', { value: this.workGroup.ref })
  }
}
