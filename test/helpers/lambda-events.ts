import { readFileSync } from 'node:fs'

/** One SQS record of the ingest queue (only what handlers read is typed). */
export interface SqsRecord {
  messageId: string
  body: string
  [field: string]: unknown
}

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/lambda/${name}`, import.meta.url), 'utf8'))

/** S3's key encoding in notifications: URL-encoded, space as `+`, `/` kept. */
const encodeKey = (key: string) => encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+')

/**
 * The recorded SQS record of an S3 ObjectCreated notification, for `bucket`/`key` instead of the
 * sample ones (the rest of the record as AWS sends it).
 */
export function sqsObjectCreated(bucket: string, key: string, messageId: string): SqsRecord {
  const [record] = fixture('sqs-s3-object-created.json').Records
  const body = JSON.parse(record.body)
  body.Records[0].s3.bucket = {
    ...body.Records[0].s3.bucket,
    name: bucket,
    arn: `arn:aws:s3:::${bucket}`,
  }
  body.Records[0].s3.object.key = encodeKey(key)
  return { ...record, messageId, body: JSON.stringify(body) }
}

/** The recorded `s3:TestEvent` SQS record. */
export function sqsS3TestEvent(messageId: string): SqsRecord {
  return { ...fixture('sqs-s3-test-event.json').Records[0], messageId }
}

/** The recorded EventBridge Scheduler input of the report function. */
export function schedulerReportEvent(): Record<string, string> {
  return fixture('scheduler-report.json')
}
