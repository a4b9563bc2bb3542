import { Duration, Stack, type StackProps } from 'aws-cdk-lib'
import * as kms from 'aws-cdk-lib/aws-kms'
import * as sns from 'aws-cdk-lib/aws-sns'
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions'
import type { Construct } from 'constructs'
import type { NetlakeConfig } from '../config.ts'
import { JobSchedule } from '../constructs/job-schedule.ts'
import { DUCKDB_WASM, NetlakeFunction, QUERY_DIR } from '../constructs/netlake-function.ts'
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
      assets: [...DUCKDB_WASM, QUERY_DIR],
      environment: { NETLAKE_DUCKDB_DIST: '/var/task' },
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
