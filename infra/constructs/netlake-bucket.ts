import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import * as s3 from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'

export interface NetlakeBucketProps {
  /** Where S3 server access logs go; omit only for the log bucket itself. */
  accessLogs?: s3.IBucket
  versioned?: boolean
  lifecycleRules?: s3.LifecycleRule[]
  cors?: s3.CorsRule[]
  /** Log delivery (CloudFront standard logs) needs ACLs: object writer ownership. */
  objectOwnership?: s3.ObjectOwnership
}

/**
 * An S3 bucket with the netlake defaults: SSE-S3 encryption, TLS-only bucket policy, every
 * public access block on, server access logs, incomplete multipart uploads aborted after 7 days,
 * and RETAIN so a stack deletion never deletes data.
 */
export class NetlakeBucket extends Construct {
  readonly bucket: s3.Bucket

  constructor(scope: Construct, id: string, props: NetlakeBucketProps = {}) {
    super(scope, id)
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: props.objectOwnership ?? s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: props.versioned ?? false,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: props.accessLogs ? `${id.toLowerCase()}/` : undefined,
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        ...(props.lifecycleRules ?? []),
      ],
      cors: props.cors,
      removalPolicy: RemovalPolicy.RETAIN,
    })
  }
}
