import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib'
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import * as s3 from 'aws-cdk-lib/aws-s3'
import * as s3n from 'aws-cdk-lib/aws-s3-notifications'
import * as sqs from 'aws-cdk-lib/aws-sqs'
import type { Construct } from 'constructs'
import { CATALOG_TABLE } from '#schemas/catalog-table.ts'
import { TOMBSTONE_PREFIX, TOMBSTONE_RETENTION_DAYS } from '#core/repair-keys.ts'
import type { NetlakeConfig } from '../config.ts'
import { NetlakeBucket } from '../constructs/netlake-bucket.ts'
import { acknowledge } from '../nag.ts'

/** Key prefix of raw uploads in the raw bucket; only these feed the ingest queue. */
export const RAW_PREFIX = 'raw/'
/** Where presigned uploads land until ingest has checked their size and sha256. */
export const RAW_STAGING_PREFIX = 'raw/staging/'
/** Key prefix of rejected uploads (written by ingest beside the raw bytes). */
export const QUARANTINE_PREFIX = 'quarantine/'
/** Messages are retried this many times before they land in the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5
/** Ingest function timeout; the queue's visibility timeout is six times this. */
export const INGEST_TIMEOUT = Duration.seconds(60)

export interface DataStackProps extends StackProps {
  config: NetlakeConfig
}

/**
 * Everything stateful, retained on deletion, with construct ids that must never change: the raw,
 * curated, reports and Athena-results buckets, their access-log bucket, the DynamoDB catalog and
 * the ingest queue fed by `raw/` object events (kept here so the bucket notification and the queue
 * live in one stack and no cross-stack cycle appears).
 */
export class DataStack extends Stack {
  readonly accessLogs: s3.Bucket
  readonly raw: s3.Bucket
  readonly curated: s3.Bucket
  readonly reports: s3.Bucket
  readonly athenaResults: s3.Bucket
  readonly table: dynamodb.Table
  readonly ingestQueue: sqs.Queue
  readonly ingestDlq: sqs.Queue

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props)
    const { config } = props

    this.accessLogs = new NetlakeBucket(this, 'AccessLogsBucket', {
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(config.accessLogDays) }],
    }).bucket
    acknowledge(
      this.accessLogs,
      'This is the server access log bucket; logging it into itself would loop.',
      'AwsSolutions-S1',
    )

    this.raw = new NetlakeBucket(this, 'RawBucket', {
      accessLogs: this.accessLogs,
      versioned: true,
      lifecycleRules: [
        {
          id: 'expire-noncurrent',
          noncurrentVersionExpiration: Duration.days(config.rawNoncurrentVersionDays),
        },
        // A deleted object's bytes are kept this long (`netlake delete` without --purge).
        {
          id: 'expire-tombstones',
          prefix: TOMBSTONE_PREFIX,
          expiration: Duration.days(TOMBSTONE_RETENTION_DAYS),
        },
      ],
    }).bucket
    this.curated = new NetlakeBucket(this, 'CuratedBucket', {
      accessLogs: this.accessLogs,
      // The notebook reads Parquet with HTTP range requests through presigned URLs.
      cors: [
        {
          allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD],
          allowedOrigins: config.corsOrigins,
          allowedHeaders: ['range', 'if-match', 'if-none-match'],
          exposedHeaders: ['content-range', 'content-length', 'etag', 'accept-ranges'],
          maxAge: 3600,
        },
      ],
    }).bucket
    this.reports = new NetlakeBucket(this, 'ReportsBucket', { accessLogs: this.accessLogs }).bucket
    this.athenaResults = new NetlakeBucket(this, 'AthenaResultsBucket', {
      accessLogs: this.accessLogs,
      lifecycleRules: [
        { id: 'expire-results', expiration: Duration.days(config.athenaResultDays) },
      ],
    }).bucket

    this.table = createCatalogTable(this)

    this.ingestDlq = new sqs.Queue(this, 'IngestDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    })
    this.ingestQueue = new sqs.Queue(this, 'IngestQueue', {
      // SSE-SQS: S3 event notifications cannot publish to a queue encrypted with aws/sqs (KMS).
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(INGEST_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.ingestDlq, maxReceiveCount: MAX_RECEIVE_COUNT },
      removalPolicy: RemovalPolicy.RETAIN,
    })
    this.raw.addEventNotification(
      s3.EventType.OBJECT_CREATED,
      new s3n.SqsDestination(this.ingestQueue),
      { prefix: RAW_PREFIX },
    )
    acknowledgeNotificationHandler(this)

    new CfnOutput(this, 'RawBucketName', { value: this.raw.bucketName })
    new CfnOutput(this, 'CuratedBucketName', { value: this.curated.bucketName })
    new CfnOutput(this, 'ReportsBucketName', { value: this.reports.bucketName })
    new CfnOutput(this, 'CatalogTableName', { value: this.table.tableName })
    new CfnOutput(this, 'IngestDeadLetterQueueUrl', { value: this.ingestDlq.queueUrl })
  }
}

/** The single-table catalog: key schema and GSIs from `schemas/catalog-table.ts`. */
function createCatalogTable(scope: Construct): dynamodb.Table {
  const s = (name: string) => ({ name, type: dynamodb.AttributeType.STRING })
  const table = new dynamodb.Table(scope, 'CatalogTable', {
    partitionKey: s(CATALOG_TABLE.partitionKey),
    sortKey: s(CATALOG_TABLE.sortKey),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  })
  for (const index of Object.values(CATALOG_TABLE.indexes)) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: s(index.partitionKey),
      sortKey: s(index.sortKey),
      projectionType: dynamodb.ProjectionType.ALL,
    })
  }
  return table
}

/** aws-cdk-lib's singleton id for the bucket-notification custom resource handler. */
const NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834'
const BASIC_EXECUTION_ROLE =
  'arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'

/** CDK's bucket-notification custom resource: a fixed handler we do not control. */
function acknowledgeNotificationHandler(stack: Stack): void {
  const handler = stack.node.tryFindChild(NOTIFICATIONS_HANDLER_ID)
  if (!handler) return
  const reason =
    'CDK BucketNotificationsHandler custom resource: AWS-provided code that only calls ' +
    's3:PutBucketNotification at deploy time; its role and runtime are set by aws-cdk-lib.'
  acknowledge(
    handler,
    reason,
    `AwsSolutions-IAM4[Policy::${BASIC_EXECUTION_ROLE}]`,
    'AwsSolutions-IAM5[Resource::*]',
  )
}
