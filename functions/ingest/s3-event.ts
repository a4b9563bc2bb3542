/**
 * Object keys of an S3 event notification delivered through SQS. S3 URL-encodes keys in events
 * (spaces as `+`). The test event S3 sends when a notification is configured has no records.
 */
export function s3KeysOfMessage(body: string): string[] {
  const message = JSON.parse(body) as {
    Event?: string
    Records?: Array<{ eventName?: string; s3?: { object?: { key?: string } } }>
  }
  if (message.Event === 's3:TestEvent') return []
  return (message.Records ?? [])
    .filter((r) => r.eventName?.startsWith('ObjectCreated') && r.s3?.object?.key)
    .map((r) => decodeURIComponent((r.s3?.object?.key as string).replace(/\+/g, ' ')))
}
