import { Match } from 'aws-cdk-lib/assertions'
import { describe, expect, it } from 'vitest'
import { CATALOG_TABLE } from '#schemas/catalog-table.ts'
import { MAX_RECEIVE_COUNT } from '../../infra/stacks/data-stack.ts'
import { logicalId, synthInline, template } from './helpers.ts'
import { TOMBSTONE_PREFIX, TOMBSTONE_RETENTION_DAYS } from '#core/repair-keys.ts'

const TLS_KEY = 'aws:SecureTransport'
/** Tripwire: these must never change once deployed (renaming a construct replaces the resource). */
const STATEFUL_IDS = [
  'AccessLogsBucket9935880A',
  'RawBucketF4E29A3F',
  'CuratedBucket226458B4',
  'ReportsBucketCC96E0C8',
  'AthenaResultsBucketC7AF1B5F',
  'CatalogTableF8EA09BD',
  'IngestQueue2280FF4E',
  'IngestDeadLetterQueue48D59084',
]
const { stacks } = synthInline({ rawNoncurrentVersionDays: 45 })
const data = template(stacks.data)
const web = template(stacks.web)

describe('data stack', () => {
  it('encrypts, blocks public access on and retains every bucket, in every stack', () => {
    // Prepare
    const buckets = {
      ...data.findResources('AWS::S3::Bucket'),
      ...web.findResources('AWS::S3::Bucket'),
    }

    // Act
    const entries = Object.values(buckets)

    // Assess
    expect(entries).toHaveLength(7)
    for (const bucket of entries) {
      expect(bucket.DeletionPolicy).toBe('Retain')
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
      ])
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      })
    }
  })

  it('denies non-TLS requests on every bucket', () => {
    // Prepare
    const policies = {
      ...data.findResources('AWS::S3::BucketPolicy'),
      ...web.findResources('AWS::S3::BucketPolicy'),
    }

    // Act
    const tlsDenied = Object.values(policies).filter((p) =>
      (p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>).some(
        (s) =>
          s.Effect === 'Deny' &&
          s.Action === 's3:*' &&
          JSON.stringify(s.Condition) === JSON.stringify({ Bool: { [TLS_KEY]: 'false' } }),
      ),
    )

    // Assess
    expect(tlsDenied).toHaveLength(7)
  })

  it('versions the raw bucket only, expires its old versions after the configured days and tombstones after their retention', () => {
    // Prepare
    const rawId = logicalId(stacks.data.raw)

    // Act
    const versioned = Object.keys(
      data.findResources('AWS::S3::Bucket', {
        Properties: { VersioningConfiguration: { Status: 'Enabled' } },
      }),
    )

    // Assess
    expect(versioned).toEqual([rawId])
    data.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            NoncurrentVersionExpiration: { NoncurrentDays: 45 },
            Status: 'Enabled',
          }),
          // deleted objects' kept bytes go after the retention the repair code promises
          Match.objectLike({
            Prefix: TOMBSTONE_PREFIX,
            ExpirationInDays: TOMBSTONE_RETENTION_DAYS,
            Status: 'Enabled',
          }),
        ]),
      },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: logicalId(stacks.data.accessLogs) },
      },
    })
  })

  it('creates the catalog table as schemas/catalog-table.ts says, on demand with PITR', () => {
    // Prepare
    const gsis = Object.values(CATALOG_TABLE.indexes)

    // Act
    const tables = data.findResources('AWS::DynamoDB::Table')

    // Assess
    expect(Object.keys(tables)).toHaveLength(1)
    const [table] = Object.values(tables)
    expect(table.DeletionPolicy).toBe('Retain')
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      KeySchema: [
        { AttributeName: CATALOG_TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: CATALOG_TABLE.sortKey, KeyType: 'RANGE' },
      ],
    })
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(
      gsis.map((g) => ({
        IndexName: g.name,
        KeySchema: [
          { AttributeName: g.partitionKey, KeyType: 'HASH' },
          { AttributeName: g.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    )
  })

  it('sends raw/ object events to an encrypted queue with a dead-letter queue', () => {
    // Prepare
    const queueId = logicalId(stacks.data.ingestQueue)
    const dlqId = logicalId(stacks.data.ingestDlq)

    // Act
    const queues = data.findResources('AWS::SQS::Queue')

    // Assess
    expect(queues[queueId].DeletionPolicy).toBe('Retain')
    expect(queues[dlqId].DeletionPolicy).toBe('Retain')
    expect(queues[queueId].Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        maxReceiveCount: MAX_RECEIVE_COUNT,
      },
    })
    data.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: logicalId(stacks.data.raw) },
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'raw/' }] } },
            QueueArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          },
        ],
      },
    })
  })

  it('keeps the logical ids of stateful resources (a change would replace them)', () => {
    // Prepare
    const d = stacks.data
    const stateful = [d.accessLogs, d.raw, d.curated, d.reports, d.athenaResults, d.table]

    // Act
    const ids = [...stateful, d.ingestQueue, d.ingestDlq].map(logicalId)

    // Assess
    expect(ids).toEqual(STATEFUL_IDS)
  })
})
