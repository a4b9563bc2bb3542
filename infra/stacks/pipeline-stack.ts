import { Duration, Stack, type StackProps } from 'aws-cdk-lib'
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch'
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions'
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources'
import * as sns from 'aws-cdk-lib/aws-sns'
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions'
import type { Construct } from 'constructs'
import type { NetlakeConfig } from '../config.ts'
import { JobSchedule } from '../constructs/job-schedule.ts'
import { NetlakeFunction, PARQUET_WASM } from '../constructs/netlake-function.ts'
import { acknowledge, acknowledgeMatching } from '../nag.ts'
import {
  type DataStack,
  INGEST_TIMEOUT,
  QUARANTINE_PREFIX,
  RAW_PREFIX,
  RAW_STAGING_PREFIX,
} from './data-stack.ts'

/**
 * Raw objects per ingest invocation. The batch writer makes one Parquet file per partition and
 * table per batch, so a full batch of one day and platform writes 3 files for 50 uploads (0.06
 * per upload; a batch of 10 would write 0.3). Above 10, SQS needs a batching window.
 */
export const INGEST_BATCH_SIZE = 50
/** How long Lambda gathers messages into one batch before invoking ingest. */
export const INGEST_BATCHING_WINDOW = Duration.seconds(5)

export interface PipelineStackProps extends StackProps {
  config: NetlakeConfig
  data: DataStack
}

/**
 * The data path: the ingest function fed by the raw-object queue, the scheduled compaction job,
 * and the operational alarm on the dead-letter queue.
 */
export class PipelineStack extends Stack {
  readonly ingest: NetlakeFunction
  readonly compact: NetlakeFunction
  readonly alarmTopic: sns.Topic
  readonly dlqAlarm: cloudwatch.Alarm

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props)
    const { config, data } = props
    const code = config.bundle ? 'bundle' : 'inline'

    this.ingest = new NetlakeFunction(this, 'Ingest', {
      entry: 'functions/ingest/handler.ts',
      code,
      logRetentionDays: config.logRetentionDays,
      description: 'netlake ingest: raw object -> Parquet in curated/ + catalog',
      memorySize: 1536,
      timeout: INGEST_TIMEOUT,
      assets: [PARQUET_WASM],
    })
      .bindBucket('raw', data.raw, 'read')
      .grantPutUnder(data.raw, `${QUARANTINE_PREFIX}*`)
      // Presigned uploads land in raw/staging/; ingest checks size and sha256, promotes the bytes
      // into raw/date=*/ (a conditional create in code) and deletes the staged copy. Nothing may
      // delete under raw/date=*: stored raw bytes stay immutable.
      .grantPutUnder(data.raw, `${RAW_PREFIX}date=*`)
      .grantDeleteUnder(data.raw, `${RAW_STAGING_PREFIX}*`)
      .bindBucket('curated', data.curated, 'readPut')
      .nameBucket('reports', data.reports)
      .bindTable(data.table, 'readWrite')
    acknowledgeMatching(
      this.ingest.role,
      'AwsSolutions-IAM5',
      /^Resource::.+\/raw\/(date=|staging\/)\*$/,
      'Ingest promotes checked presigned uploads: put under raw/date=* (content-addressed keys, ' +
        'created only if absent in code) and delete under raw/staging/* (the staged copy).',
    )
    this.ingest.fn.addEventSource(
      new sources.SqsEventSource(data.ingestQueue, {
        batchSize: INGEST_BATCH_SIZE,
        maxBatchingWindow: INGEST_BATCHING_WINDOW,
        reportBatchItemFailures: true,
      }),
    )

    this.compact = new NetlakeFunction(this, 'Compact', {
      entry: 'functions/compact/handler.ts',
      code,
      logRetentionDays: config.logRetentionDays,
      description: 'netlake compaction: merge small curated Parquet files',
      memorySize: 2048,
      timeout: Duration.minutes(15),
      assets: [PARQUET_WASM],
    })
      .nameBucket('raw', data.raw)
      .bindBucket('curated', data.curated, 'readWriteDelete')
      .nameBucket('reports', data.reports)
      .bindTable(data.table, 'readWrite')
    new JobSchedule(this, 'CompactSchedule', {
      fn: this.compact.fn,
      expression: config.compactSchedule,
      timeZone: config.scheduleTimeZone,
      job: 'compact',
    })

    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `netlake ${config.stage} alarms`,
      enforceSSL: true,
    })
    acknowledge(
      this.alarmTopic,
      'CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed aws/sns key, ' +
        'and the messages carry only alarm metadata (no data): a customer key is not worth it.',
      'AwsSolutions-SNS2',
    )
    if (config.alarmEmail) {
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail))
    }
    this.dlqAlarm = new cloudwatch.Alarm(this, 'IngestDeadLetterAlarm', {
      alarmDescription: 'Raw objects failed ingest 5 times and wait in the dead-letter queue',
      metric: data.ingestDlq.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    })
    this.dlqAlarm.addAlarmAction(new actions.SnsAction(this.alarmTopic))
  }
}
