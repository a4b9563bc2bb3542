import { CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib'
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2'
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront'
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins'
import * as s3 from 'aws-cdk-lib/aws-s3'
import type { Construct } from 'constructs'
import type { NetlakeConfig } from '../config.ts'
import { NetlakeBucket } from '../constructs/netlake-bucket.ts'
import { acknowledge } from '../nag.ts'

export interface WebStackProps extends StackProps {
  config: NetlakeConfig
  httpApi: apigw.IHttpApi
}

/** Paths CloudFront forwards to the API instead of the notebook bucket. */
export const API_PATHS = ['/v1/*', '/openapi.json'] as const

/**
 * The notebook: static files in a private bucket read through CloudFront with origin access
 * control, and the API behind the same distribution under `/v1/*` (same origin: no CORS needed).
 * The site bucket lives here, not in the data stack, because OAC writes its bucket policy and a
 * cross-stack policy would form a reference cycle; its content is rebuilt from `analytics/`.
 */
export class WebStack extends Stack {
  readonly site: s3.Bucket
  readonly logs: s3.Bucket
  readonly distribution: cloudfront.Distribution

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props)
    const { config } = props

    // CloudFront standard logging delivers with ACLs, hence object-writer ownership here only.
    this.logs = new NetlakeBucket(this, 'LogsBucket', {
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(config.accessLogDays) }],
    }).bucket
    acknowledge(
      this.logs,
      'Receives the CloudFront and site access logs; logging it into itself would loop.',
      'AwsSolutions-S1',
    )
    this.site = new NetlakeBucket(this, 'SiteBucket', { accessLogs: this.logs }).bucket

    const apiDomain = Fn.select(2, Fn.split('/', props.httpApi.apiEndpoint))
    const apiOrigin = new origins.HttpOrigin(apiDomain, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    })
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    }

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `netlake ${config.stage} notebook + API`,
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.site),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        compress: true,
      },
      additionalBehaviors: Object.fromEntries(API_PATHS.map((path) => [path, apiBehavior])),
    })
    new CfnOutput(this, 'NotebookUrl', {
      value: `https://${this.distribution.distributionDomainName}`,
    })
    new CfnOutput(this, 'SiteBucketName', { value: this.site.bucketName })
    new CfnOutput(this, 'DistributionId', { value: this.distribution.distributionId })
    acknowledge(
      this.distribution,
      'A shared benchmark notebook for any location; no geographic restriction is wanted.',
      'AwsSolutions-CFR1',
    )
    acknowledge(
      this.distribution,
      'API Gateway stage throttling and token auth guard the API; a WAF web ACL (about $5/month ' +
        'plus rules) is left to deployments that need it.',
      'AwsSolutions-CFR2',
    )
    acknowledge(
      this.distribution,
      'No custom domain is configured, so the default *.cloudfront.net certificate is used and ' +
        'CloudFront fixes its minimum viewer TLS version.',
      'AwsSolutions-CFR4',
    )
  }
}
