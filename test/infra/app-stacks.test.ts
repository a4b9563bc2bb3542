import { Match } from 'aws-cdk-lib/assertions'
import { describe, expect, it } from 'vitest'
import { API_PATHS } from '../../infra/stacks/web-stack.ts'
import { REPORT_ARCHITECTURE } from '../../infra/stacks/report-stack.ts'
import { INGEST_BATCH_SIZE } from '../../infra/stacks/pipeline-stack.ts'
import { TABLE_NAMES } from '#core/partition-rows.ts'
import { SYMLINK_INPUT_FORMAT } from '../../infra/constructs/lake-catalog.ts'
import { athenaQueries } from '../../infra/stacks/query-stack.ts'
import { REPAIR_ROUTES } from '../../infra/constructs/repair-function.ts'
import { manifestKey, manifestTablePrefix } from '#functions/lake/symlink-manifest.ts'
import { logicalId, synthInline, template } from './helpers.ts'

const { stacks } = synthInline({
  compactSchedule: 'rate(7 minutes)',
  reportSchedule: 'cron(15 4 ? * MON *)',
  scheduleTimeZone: 'Europe/Berlin',
  logRetentionDays: 14,
  alarmEmail: 'ops@example.org',
  corsOrigins: ['https://notebook.example.org'],
  apiRateLimit: 20,
  apiBurstLimit: 40,
})
const pipeline = template(stacks.pipeline)
const report = template(stacks.report)
const api = template(stacks.api)
const web = template(stacks.web)
const query = template(stacks.query)
const functionStacks = [pipeline, report, api]

describe('functions', () => {
  it('run Node.js 22 on arm64 (the report on x86_64, for its native DuckDB binary) with their own log group kept for the configured days', () => {
    // Prepare
    const all = (type: string) =>
      functionStacks.flatMap((t) => Object.values(t.findResources(type)))
    const functions = all('AWS::Lambda::Function')
    const logGroups = all('AWS::Logs::LogGroup')

    // Act
    const settings = functions.map((f) => [f.Properties.Runtime, f.Properties.Architectures])
    const reportFn =
      report.findResources('AWS::Lambda::Function')[logicalId(stacks.report.report.fn)]

    // Assess
    expect(functions).toHaveLength(6) // ingest, compact, reprocess, report, api, repair
    expect(settings.filter(([, arch]) => arch[0] === 'arm64')).toHaveLength(5)
    expect(settings.map(([runtime]) => runtime)).toEqual(functions.map(() => 'nodejs22.x'))
    expect(reportFn.Properties.Architectures).toEqual([REPORT_ARCHITECTURE])
    for (const f of functions) expect(f.Properties.LoggingConfig.LogGroup).toBeDefined()
    expect(logGroups).toHaveLength(8) // the 6 functions', the API access log, the fan-out's
    for (const g of logGroups) expect(g.Properties.RetentionInDays).toBe(14)
  })

  it('publish every name the shared config requires, and the topic to the report only', () => {
    // Prepare
    const fns = {
      ingest: stacks.pipeline.ingest,
      report: stacks.report.report,
      api: stacks.api.api,
    }
    const required = [
      'NETLAKE_CURATED_BUCKET',
      'NETLAKE_RAW_BUCKET',
      'NETLAKE_REPORTS_BUCKET',
      'NETLAKE_TABLE',
    ]

    // Act
    const vars = (t: ReturnType<typeof template>, fn: (typeof fns)['api']) =>
      Object.keys(
        t.findResources('AWS::Lambda::Function')[logicalId(fn.fn)].Properties.Environment.Variables,
      ).sort()

    // Assess
    expect(vars(pipeline, fns.ingest)).toEqual(required)
    expect(vars(pipeline, stacks.pipeline.compact)).toEqual(required)
    expect(vars(pipeline, stacks.pipeline.reprocess.fn)).toEqual(required)
    // the API also accepts the deployment's platforms (netlake:platforms) at upload, and answers
    // only for its own domain (NETLAKE_ALLOWED_HOSTS)
    expect(vars(api, fns.api)).toEqual(
      [...required, 'NETLAKE_ALLOWED_HOSTS', 'NETLAKE_PLATFORMS'].sort(),
    )
    expect(vars(report, fns.report)).toEqual([...required, 'NETLAKE_REPORT_TOPIC_ARN'].sort())
    expect(vars(api, stacks.api.repair.repair)).toEqual(
      [...required, 'NETLAKE_ALLOWED_HOSTS', 'NETLAKE_PLATFORMS'].sort(),
    )
  })
})

describe('pipeline', () => {
  it('feeds ingest from the queue with partial batch failures', () => {
    // Prepare
    const fnId = logicalId(stacks.pipeline.ingest.fn)

    // Act
    const mappings = Object.values(pipeline.findResources('AWS::Lambda::EventSourceMapping'))

    // Assess
    expect(mappings).toHaveLength(1)
    expect(mappings[0].Properties).toMatchObject({
      FunctionName: { Ref: fnId },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumBatchingWindowInSeconds: 5,
    })
    // A full batch of one day and platform: one Parquet file per table for all its uploads,
    // well under the target of 1 file per 5 uploads.
    const batchSize = mappings[0].Properties.BatchSize as number
    expect(batchSize).toBe(INGEST_BATCH_SIZE)
    expect(TABLE_NAMES.length / batchSize).toBeLessThanOrEqual(1 / 10)
    expect(JSON.stringify(mappings[0].Properties.EventSourceArn)).toContain(
      logicalId(stacks.data.ingestQueue),
    )
  })

  it('alarms on any message in the dead-letter queue and notifies the alarm email', () => {
    // Prepare
    const dlqId = logicalId(stacks.data.ingestDlq)

    // Act
    const alarms = Object.values(pipeline.findResources('AWS::CloudWatch::Alarm'))

    // Assess
    expect(alarms).toHaveLength(1)
    const alarm = alarms[0].Properties
    expect(alarm).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: logicalId(stacks.pipeline.alarmTopic) }],
    })
    expect(JSON.stringify(alarm.Dimensions)).toContain(dlqId)
    pipeline.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.org',
    })
  })

  it('schedules compaction and the report with the configured expressions', () => {
    // Prepare
    const compactFn = logicalId(stacks.pipeline.compact.fn)
    const reportFn = logicalId(stacks.report.report.fn)

    // Act
    const [compact] = Object.values(pipeline.findResources('AWS::Scheduler::Schedule'))
    const [rep] = Object.values(report.findResources('AWS::Scheduler::Schedule'))

    // Assess
    expect(compact.Properties).toMatchObject({
      ScheduleExpression: 'rate(7 minutes)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'ENABLED',
      Target: { Arn: { 'Fn::GetAtt': [compactFn, 'Arn'] } },
    })
    expect(rep.Properties).toMatchObject({
      ScheduleExpression: 'cron(15 4 ? * MON *)',
      Target: { Arn: { 'Fn::GetAtt': [reportFn, 'Arn'] } },
    })
    expect(JSON.parse(rep.Properties.Target.Input)).toMatchObject({ job: 'report' })
  })

  it('encrypts the regression topic and lets only the report function publish to it', () => {
    // Prepare
    const topicId = logicalId(stacks.report.regressionTopic)

    // Act
    const topic = report.findResources('AWS::SNS::Topic')[topicId]

    // Assess
    expect(JSON.stringify(topic.Properties.KmsMasterKeyId)).toContain('alias/aws/sns')
    report.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(stacks.report.report.role) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish', Effect: 'Allow', Resource: { Ref: topicId } }),
        ]),
      },
    })
  })
})

describe('api', () => {
  it('allows CORS from the configured origins only, and throttles the stage', () => {
    // Prepare
    const [httpApi] = Object.values(api.findResources('AWS::ApiGatewayV2::Api'))

    // Act
    const cors = httpApi.Properties.CorsConfiguration

    // Assess
    expect(cors.AllowOrigins).toEqual(['https://notebook.example.org'])
    expect(cors.AllowHeaders).toEqual(expect.arrayContaining(['authorization', 'content-type']))
    expect(cors.AllowMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT']))
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('requestId'),
      },
    })
  })

  it('routes relabel, delete and the audit log to the repair function, everything else to the API function', () => {
    // Prepare
    const fnId = logicalId(stacks.api.api.fn)
    const repairId = logicalId(stacks.api.repair.repair.fn)

    // Act
    const integrations = api.findResources('AWS::ApiGatewayV2::Integration')
    const routes = Object.values(api.findResources('AWS::ApiGatewayV2::Route'))
    const target = (route: (typeof routes)[number]) => {
      const ref = route.Properties.Target['Fn::Join'][1][1].Ref as string
      return integrations[ref].Properties.IntegrationUri['Fn::GetAtt'][0] as string
    }
    const byKey = Object.fromEntries(routes.map((r) => [r.Properties.RouteKey, target(r)]))

    // Assess
    expect(Object.keys(integrations)).toHaveLength(2)
    for (const i of Object.values(integrations))
      expect(i.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      })
    expect(byKey).toEqual({
      $default: fnId,
      'PATCH /v1/raw/{sha256}/labels': repairId,
      'DELETE /v1/raw/{sha256}': repairId,
      'GET /v1/audit': repairId,
    })
    expect(REPAIR_ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      Object.keys(byKey)
        .filter((k) => k !== '$default')
        .sort(),
    )
  })

  it('finishes pending repairs on the compaction schedule', () => {
    // Prepare
    const repairId = logicalId(stacks.api.repair.repair.fn)

    // Act
    const schedules = Object.values(api.findResources('AWS::Scheduler::Schedule'))

    // Assess
    expect(schedules).toHaveLength(1)
    expect(schedules[0].Properties).toMatchObject({
      ScheduleExpression: 'rate(7 minutes)',
      Target: { Arn: { 'Fn::GetAtt': [repairId, 'Arn'] } },
    })
    expect(JSON.parse(schedules[0].Properties.Target.Input)).toMatchObject({
      source: 'netlake.scheduler',
      job: 'resume-repairs',
    })
  })
})

describe('web', () => {
  it('serves the notebook bucket through origin access control and /v1/* from the API', () => {
    // Prepare
    const [dist] = Object.values(web.findResources('AWS::CloudFront::Distribution'))

    // Act
    const config = dist.Properties.DistributionConfig
    const origins = config.Origins as Array<Record<string, unknown>>
    const s3Origin = origins.find((o) => 'S3OriginConfig' in o)
    const apiOrigin = origins.find((o) => 'CustomOriginConfig' in o)

    // Assess
    expect(config.DefaultRootObject).toBe('index.html')
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https')
    expect(s3Origin?.OriginAccessControlId).toBeDefined()
    expect(JSON.stringify(s3Origin?.DomainName)).toContain(logicalId(stacks.web.site))
    expect(JSON.stringify(apiOrigin?.DomainName)).toContain(logicalId(stacks.api.httpApi))
    expect(apiOrigin?.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    })
    const behaviors = config.CacheBehaviors as Array<Record<string, unknown>>
    expect(behaviors.map((b) => b.PathPattern)).toEqual([...API_PATHS])
    for (const b of behaviors) {
      expect(b.TargetOriginId).toBe(apiOrigin?.Id)
      expect(b.AllowedMethods).toContain('POST')
    }
  })

  it('lets only this distribution read the site bucket', () => {
    // Prepare
    const distId = logicalId(stacks.web.distribution)

    // Act
    const policies = Object.values(web.findResources('AWS::S3::BucketPolicy')).filter(
      (p) => p.Properties.Bucket.Ref === logicalId(stacks.web.site),
    )

    // Assess
    expect(policies).toHaveLength(1)
    const statements = policies[0].Properties.PolicyDocument.Statement as Array<Record<string, any>>
    const read = statements.find((s) => s.Principal?.Service === 'cloudfront.amazonaws.com')
    expect(read?.Action).toBe('s3:GetObject')
    expect(JSON.stringify(read?.Condition)).toContain(distId)
  })
})

describe('query', () => {
  it('reads the curated tables through the symlink manifests, partitioned by date only, so no platform is hidden', () => {
    // Prepare
    const tables = Object.values(query.findResources('AWS::Glue::Table'))

    // Act
    const inputs = tables.map((t) => t.Properties.TableInput)
    const byName = Object.fromEntries(inputs.map((input) => [input.Name, input]))

    // Assess
    expect(Object.keys(byName).sort()).toEqual(['intervals', 'metrics', 'runs'])
    for (const [name, input] of Object.entries(byName) as Array<[string, any]>) {
      // One manifest per day lists every platform's committed files: the location the
      // publisher writes (manifestKey) is the one the template projects.
      const template = JSON.stringify(input.Parameters['storage.location.template'])
      const written = manifestKey(name as 'runs', '2026-11-26').replace('/manifest', '/')
      expect(template).toContain(`/${written.replace('2026-11-26', '${date}')}`)
      expect(JSON.stringify(input.StorageDescriptor.Location)).toContain(
        `/${manifestTablePrefix(name as 'runs')}`,
      )
      expect(input.StorageDescriptor.InputFormat).toBe(SYMLINK_INPUT_FORMAT)
      expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toContain('ParquetHiveSerDe')
      expect(input.PartitionKeys).toEqual([{ Name: 'date', Type: 'string' }])
      // No projected key other than date: nothing enumerates (and so hides) platforms.
      const projected = Object.keys(input.Parameters).filter((k) =>
        /^projection\.[^.]+\.type$/.test(k),
      )
      expect(projected).toEqual(['projection.date.type'])
    }
    const runs = byName.runs
    expect(runs.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.date.type': 'date',
      'projection.date.format': 'yyyy-MM-dd',
    })
    const columns = runs.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)
    expect(columns).toEqual(expect.arrayContaining(['platform_label', 'run_date', 'scenario']))
    expect(columns).not.toContain('date')
  })

  it('ships the comparisons in Athena SQL as named queries, free of DuckDB-only syntax', () => {
    // Prepare
    const files = athenaQueries()
    const glue = Object.values(query.findResources('AWS::Glue::Table')).find(
      (t) => t.Properties.TableInput.Name === 'runs',
    )!.Properties.TableInput
    const known = new Set([
      ...glue.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name),
      ...glue.PartitionKeys.map((c: { Name: string }) => c.Name),
    ])

    // Act
    const named = Object.values(query.findResources('AWS::Athena::NamedQuery')).map(
      (q) => q.Properties,
    )

    // Assess
    expect(files.map((f) => f.name)).toEqual([
      'tcp-latency-by-scenario',
      'tcp-medians-by-platform-scenario',
      'tcp-throughput-by-scenario',
    ])
    expect(named.map((q) => q.QueryString).sort()).toEqual(files.map((f) => f.sql).sort())
    for (const q of named) {
      expect(JSON.stringify(q.WorkGroup)).toContain(logicalId(stacks.query.workGroup))
      expect(q.Database).toBe('netlake_test')
    }
    for (const { name, sql } of files) {
      const code = sql.replace(/--.*$/gm, '')
      // What Trino rejects: $n parameters, :: casts, GROUP/ORDER BY ALL, DuckDB-only quantiles
      expect(code, name).not.toMatch(/\$\d|::|\bBY\s+ALL\b|quantile_cont|\bmedian\(|_where\(/i)
      // Every runs column it names is a column (or the partition key) of the Glue table
      for (const column of ['platform_label', 'scenario', 'tool', 'test', 'status', 'role', 'date'])
        if (new RegExp(`\\b${column}\\b`).test(code))
          expect(known.has(column), `${name}: ${column}`).toBe(true)
      expect(code, name).toMatch(/\bFROM runs\b/)
    }
  })

  it('encrypts Athena results and enforces the workgroup settings', () => {
    // Prepare
    const [wg] = Object.values(query.findResources('AWS::Athena::WorkGroup'))

    // Act
    const config = wg.Properties.WorkGroupConfiguration

    // Assess
    expect(config.EnforceWorkGroupConfiguration).toBe(true)
    expect(config.ResultConfiguration.EncryptionConfiguration).toEqual({
      EncryptionOption: 'SSE_S3',
    })
    expect(JSON.stringify(config.ResultConfiguration.OutputLocation)).toContain(
      logicalId(stacks.data.athenaResults),
    )
  })
})
