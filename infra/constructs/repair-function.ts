import { Duration } from 'aws-cdk-lib'
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2'
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations'
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import * as iam from 'aws-cdk-lib/aws-iam'
import type * as s3 from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import { AUDIT_PREFIX, LABELS_PREFIX, PENDING_PREFIX, TOMBSTONE_PREFIX } from '#core/repair-keys.ts'
import { acknowledgeMatching } from '../nag.ts'
import { JobSchedule } from './job-schedule.ts'
import { type CodeMode, NetlakeFunction, PARQUET_WASM } from './netlake-function.ts'

/** The API routes served by the repair function instead of the API function. */
export const REPAIR_ROUTES = [
  { path: '/v1/raw/{sha256}/labels', method: apigw.HttpMethod.PATCH },
  { path: '/v1/raw/{sha256}', method: apigw.HttpMethod.DELETE },
  { path: '/v1/audit', method: apigw.HttpMethod.GET },
] as const

/** Where a raw object's labels sidecar lives: the only thing under `raw/` repairs rewrite. */
export const SIDECAR_KEYS = 'raw/date=*/*.labels.json'

export interface RepairFunctionProps {
  code: CodeMode
  logRetentionDays: number
  raw: s3.IBucket
  curated: s3.IBucket
  reports: s3.IBucket
  table: dynamodb.ITable
  /** Platforms a relabel accepts (the API's `NETLAKE_PLATFORMS`). */
  platforms: string[]
  /** How often pending repairs (a timeout or crash mid-way) are finished. */
  resumeSchedule: string
  timeZone: string
}

/**
 * Relabel and delete, apart from the API: one function that alone holds what a repair needs
 * (rewrite curated Parquet, replace a labels sidecar, write label versions, pending markers,
 * tombstones and audit records, move a deleted object's bytes to `tombstone/`), served at the
 * repair routes of the HTTP API by the same Hono app, so the API function keeps its upload-and-read
 * role. It may delete a stored raw object only with `s3:DeleteObject` (in the versioned raw bucket a
 * delete marker; the bytes stay a noncurrent version, and a tombstone copy is written first), never
 * an object version; bytes are destroyed only by the bucket's lifecycle rules (tombstone retention,
 * noncurrent-version expiry). Audit records can be written, never deleted. A schedule finishes
 * repairs a timeout left pending.
 */
export class RepairFunction extends Construct {
  readonly repair: NetlakeFunction
  readonly schedule: JobSchedule

  constructor(scope: Construct, id: string, props: RepairFunctionProps) {
    super(scope, id)
    const { raw } = props
    this.repair = new NetlakeFunction(this, 'Repair', {
      entry: 'functions/repair/handler.ts',
      code: props.code,
      logRetentionDays: props.logRetentionDays,
      description: 'netlake repair: relabel and delete (routes of the HTTP API), audit log',
      memorySize: 1536,
      // API Gateway waits 30 s at most; a longer repair is finished by the schedule.
      timeout: Duration.seconds(29),
      assets: [PARQUET_WASM],
    })
      // read: the bytes and the labels sidecar it re-derives from
      .bindBucket('raw', raw, 'read', 'raw/*')
      .bindBucket('curated', props.curated, 'readPut')
      .nameBucket('reports', props.reports)
      .bindTable(props.table, 'readWrite')
    const role = this.repair.role
    for (const prefix of [PENDING_PREFIX, LABELS_PREFIX, TOMBSTONE_PREFIX, AUDIT_PREFIX]) {
      raw.grantRead(role, `${prefix}*`)
      raw.grantPut(role, `${prefix}*`)
    }
    raw.grantPut(role, SIDECAR_KEYS)
    raw.grantPut(role, 'quarantine/*') // a relabel whose labels the object no longer parses with
    // Delete markers only (no s3:DeleteObjectVersion): the raw object and sidecar after their
    // tombstone copy, the marker when done, and a purge's label versions and tombstone.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:DeleteObject'],
        resources: ['raw/date=*', PENDING_PREFIX, LABELS_PREFIX, TOMBSTONE_PREFIX].map((keys) =>
          raw.arnForObjects(keys.endsWith('/') ? `${keys}*` : keys),
        ),
      }),
    )
    this.repair.fn.addEnvironment('NETLAKE_PLATFORMS', props.platforms.join(','))
    acknowledgeMatching(
      role,
      'AwsSolutions-IAM5',
      /^Resource::.+\/raw\/date=\*(\/\*\.labels\.json)?$/,
      'The repair function rewrites labels sidecars (raw/date=*/*.labels.json only) and moves a ' +
        'deleted object to tombstone/ with s3:DeleteObject alone on raw/date=* (a delete marker ' +
        'in the versioned bucket; object versions cannot be deleted).',
    )
    this.schedule = new JobSchedule(this, 'ResumeSchedule', {
      fn: this.repair.fn,
      expression: props.resumeSchedule,
      timeZone: props.timeZone,
      job: 'resume-repairs',
    })
  }

  /** Serve the repair routes of `httpApi` (the API function keeps `$default`). */
  serveRoutes(httpApi: apigw.HttpApi, allowedHosts: string): this {
    const integration = new HttpLambdaIntegration('RepairHandler', this.repair.fn, {
      payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
    })
    for (const route of REPAIR_ROUTES)
      httpApi.addRoutes({ path: route.path, methods: [route.method], integration })
    this.repair.fn.addEnvironment('NETLAKE_ALLOWED_HOSTS', allowedHosts)
    return this
  }
}
