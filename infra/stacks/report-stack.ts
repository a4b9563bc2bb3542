import { Duration, Stack, type StackProps } from 'aws-cdk-lib'
import * as kms from 'aws-cdk-lib/aws-kms'
import * as sns from 'aws-cdk-lib/aws-sns'
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions'
import type { Construct } from 'constructs'
import type { NetlakeConfig } from '../config.ts'
import { JobSchedule } from '../constructs/job-schedule.ts'
import { duckdbNative, NetlakeFunction, QUERY_DIR } from '../constructs/netlake-function.ts'

/**
 * The report runs native DuckDB. Its Linux binary is a per-architecture npm package and only the
 * x64 one is installed here (npm installs the host's), so the report runs on x86_64; switching to
 * arm64 is `REPORT_ARCHITECTURE = 'arm64'` once @duckdb/node-bindings-linux-arm64 is installed
 * (the synth fails loudly until then).
 */
export const REPORT_ARCHITECTURE = 'x86_64' as const
import type { DataStack } from './data-stack.ts'

export interface ReportStackProps extends StackProps {
  config: NetlakeConfig
  data: DataStack
}

/** The scheduled comparison report and the topic it announces regressions on. */
export class ReportStack extends Stack {
  readonly report: NetlakeFunction
  readonly regressionTopic: sns.Topic

  constructor(scope: Construct, id: string, props: ReportStackProps) {
    super(scope, id, props)
    const { config, data } = props

    this.regressionTopic = new sns.Topic(this, 'RegressionTopic', {
      displayName: `netlake ${config.stage} regressions`,
      enforceSSL: true,
      masterKey: kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    })
    if (config.alarmEmail) {
      this.regressionTopic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail))
    }

    this.report = new NetlakeFunction(this, 'Report', {
      entry: 'functions/report/handler.ts',
      code: config.bundle ? 'bundle' : 'inline',
      logRetentionDays: config.logRetentionDays,
      description: 'netlake report: comparison SQL + regression rules -> reports/',
      memorySize: 2048,
      timeout: Duration.minutes(5),
      assets: [QUERY_DIR],
      architecture: REPORT_ARCHITECTURE,
      nativeModules: duckdbNative(REPORT_ARCHITECTURE),
    })
      .nameBucket('raw', data.raw)
      .bindBucket('curated', data.curated, 'read')
      .bindBucket('reports', data.reports, 'readPut')
      .bindTable(data.table, 'readWrite')
      .bindReportTopic(this.regressionTopic)
    new JobSchedule(this, 'ReportSchedule', {
      fn: this.report.fn,
      expression: config.reportSchedule,
      timeZone: config.scheduleTimeZone,
      job: 'report',
    })
  }
}
