import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib'
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway'
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2'
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations'
import * as logs from 'aws-cdk-lib/aws-logs'
import type { Construct } from 'constructs'
import type { NetlakeConfig } from '../config.ts'
import { NetlakeFunction, SWAGGER_UI_ASSETS } from '../constructs/netlake-function.ts'
import { RepairFunction } from '../constructs/repair-function.ts'
import { acknowledge } from '../nag.ts'
import { type DataStack, RAW_PREFIX } from './data-stack.ts'

export interface ApiStackProps extends StackProps {
  config: NetlakeConfig
  data: DataStack
}

/** Headers a browser may send to the API. */
export const CORS_ALLOW_HEADERS = ['authorization', 'content-type', 'if-none-match']

/** One JSON line per request, with HTTP API context variables. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    ip: '$context.identity.sourceIp',
    time: '$context.requestTime',
    method: '$context.httpMethod',
    path: '$context.path',
    routeKey: '$context.routeKey',
    status: '$context.status',
    bytes: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationError: '$context.integrationErrorMessage',
  }),
)

/**
 * The HTTP API: one Lambda (the Hono app) behind API Gateway v2 with CORS, stage throttling and
 * access logs. The function may upload raw objects and read the lake, never delete from it;
 * relabel, delete and the audit log are routed to the repair function, which alone may change it.
 */
export class ApiStack extends Stack {
  readonly api: NetlakeFunction
  readonly repair: RepairFunction
  readonly httpApi: apigw.HttpApi
  readonly stage: apigw.HttpStage

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props)
    const { config, data } = props

    this.api = new NetlakeFunction(this, 'Api', {
      entry: 'functions/api/handler.ts',
      code: config.bundle ? 'bundle' : 'inline',
      assets: SWAGGER_UI_ASSETS,
      logRetentionDays: config.logRetentionDays,
      description: 'netlake HTTP API (Hono)',
      memorySize: 1024,
      timeout: Duration.seconds(29),
    })
      // read: HEAD before an upload (dedupe); put: uploads, sidecars and presigned PUTs.
      .bindBucket('raw', data.raw, 'readPut', `${RAW_PREFIX}*`)
      .bindBucket('curated', data.curated, 'read')
      .bindBucket('reports', data.reports, 'read')
      .bindTable(data.table, 'readWrite')
    // Uploads accept these platforms (the known three and any the deployment adds).
    this.api.fn.addEnvironment('NETLAKE_PLATFORMS', config.platforms.join(','))

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      apiName: `netlake-${config.stage}`,
      description: 'netlake results upload and analytics API',
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration('Handler', this.api.fn, {
        payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      }),
      corsPreflight: {
        allowOrigins: config.corsOrigins,
        allowMethods: [
          apigw.CorsHttpMethod.GET,
          apigw.CorsHttpMethod.HEAD,
          apigw.CorsHttpMethod.POST,
          apigw.CorsHttpMethod.PUT,
          apigw.CorsHttpMethod.DELETE,
          apigw.CorsHttpMethod.OPTIONS,
        ],
        allowHeaders: CORS_ALLOW_HEADERS,
        exposeHeaders: ['etag', 'location'],
        maxAge: Duration.hours(1),
      },
    })
    // The API answers only for its own domain (the Host check refuses any other name with 421).
    const apiHost = `${this.httpApi.apiId}.execute-api.${this.region}.${this.urlSuffix}`
    this.api.fn.addEnvironment('NETLAKE_ALLOWED_HOSTS', apiHost)
    this.repair = new RepairFunction(this, 'Repair', {
      code: config.bundle ? 'bundle' : 'inline',
      logRetentionDays: config.logRetentionDays,
      raw: data.raw,
      curated: data.curated,
      reports: data.reports,
      table: data.table,
      platforms: config.platforms,
      resumeSchedule: config.compactSchedule,
      timeZone: config.scheduleTimeZone,
    }).serveRoutes(this.httpApi, apiHost)
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
    })
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.apiRateLimit, burstLimit: config.apiBurstLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    })
    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.apiEndpoint })
    for (const route of this.httpApi.node.findAll()) {
      if (route instanceof apigw.HttpRoute) {
        acknowledge(
          route,
          'The API authenticates in the application: hashed bearer tokens with scopes in the ' +
            'catalog (collector, reader, admin); health and docs routes are public by design.',
          'AwsSolutions-APIG4',
        )
      }
    }
  }
}
