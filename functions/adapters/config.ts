import { z } from 'zod'
import { NetlakeError } from '#core/errors.ts'

const nonEmpty = z.string().trim().min(1, 'must not be empty')
const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(z.url({ message: 'must be a URL such as http://127.0.0.1:4569' }).optional())
  .optional()
const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional()

/** `NETLAKE_PLATFORMS=vmware,hyperv`: platforms this deployment accepts beyond the known three. */
export const platformList = z
  .string()
  .trim()
  .transform((v) => (v === '' ? [] : v.split(',').map((p) => p.trim().toLowerCase())))
  .pipe(
    z.array(
      z
        .string()
        .regex(
          /^[a-z0-9][a-z0-9._:-]{0,127}$/,
          'a comma-separated list of platform names (letters, digits, . _ : -)',
        ),
    ),
  )
  .default([])

/** `NETLAKE_ALLOWED_HOSTS=api.example.org,abc.execute-api.eu-west-1.amazonaws.com`: Host names served. */
export const hostList = z
  .string()
  .trim()
  .transform((v) => (v === '' ? [] : v.split(',').map((h) => h.trim().toLowerCase())))
  .pipe(
    z.array(
      z
        .string()
        .regex(
          /^([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/,
          'a comma-separated list of host names without scheme or port',
        ),
    ),
  )
  .default([])

const ConfigEnvSchema = z.object({
  NETLAKE_RAW_BUCKET: nonEmpty,
  NETLAKE_CURATED_BUCKET: nonEmpty,
  NETLAKE_REPORTS_BUCKET: nonEmpty,
  NETLAKE_TABLE: nonEmpty,
  AWS_REGION: z
    .string()
    .trim()
    .transform((v) => (v === '' ? 'us-east-1' : v))
    .default('us-east-1'),
  NETLAKE_S3_ENDPOINT: optionalUrl,
  NETLAKE_DYNAMODB_ENDPOINT: optionalUrl,
  NETLAKE_REPORT_TOPIC_ARN: optional,
  AWS_ACCESS_KEY_ID: optional,
  AWS_SECRET_ACCESS_KEY: optional,
  NETLAKE_PLATFORMS: platformList,
  NETLAKE_ALLOWED_HOSTS: hostList,
})

/** Validated runtime configuration for handlers and the local stack. */
export interface NetlakeConfig {
  rawBucket: string
  curatedBucket: string
  reportsBucket: string
  table: string
  region: string
  /** S3-compatible endpoint (local s3rver); unset in AWS. */
  s3Endpoint: string | undefined
  /** DynamoDB-compatible endpoint (dynalite, DynamoDB Local); unset in AWS. */
  dynamoDbEndpoint: string | undefined
  reportTopicArn: string | undefined
  /**
   * With local endpoints only: the key pair the local servers accept (from AWS_ACCESS_KEY_ID and
   * AWS_SECRET_ACCESS_KEY). In AWS the SDK's provider chain supplies credentials instead.
   */
  credentials?: { accessKeyId: string; secretAccessKey: string }
  /** Platforms accepted beyond openstack, kubevirt, baremetal (`NETLAKE_PLATFORMS`). */
  platforms: string[]
  /** Host names the API answers for (`NETLAKE_ALLOWED_HOSTS`; the stack sets its own domain). */
  allowedHosts: string[]
}

/** Raised when the environment is missing or has an invalid variable; the message names it. */
export class ConfigError extends NetlakeError {
  constructor(
    message: string,
    readonly variables: string[],
  ) {
    super(message)
  }
}

/**
 * Reads and validates the environment once, failing fast with a message naming each bad variable.
 * Call it in `handler.ts` / `local.ts` only; pass the result inward.
 */
export function loadConfig(env: Record<string, string | undefined>): NetlakeConfig {
  const parsed = ConfigEnvSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?')
      const missing = env[name] === undefined
      return { name, text: `${name}: ${missing ? 'is required but not set' : issue.message}` }
    })
    throw new ConfigError(
      `invalid netlake configuration: ${problems.map((p) => p.text).join('; ')}`,
      problems.map((p) => p.name),
    )
  }
  const e = parsed.data
  return {
    rawBucket: e.NETLAKE_RAW_BUCKET,
    curatedBucket: e.NETLAKE_CURATED_BUCKET,
    reportsBucket: e.NETLAKE_REPORTS_BUCKET,
    table: e.NETLAKE_TABLE,
    region: e.AWS_REGION,
    s3Endpoint: e.NETLAKE_S3_ENDPOINT,
    dynamoDbEndpoint: e.NETLAKE_DYNAMODB_ENDPOINT,
    reportTopicArn: e.NETLAKE_REPORT_TOPIC_ARN,
    ...((e.NETLAKE_S3_ENDPOINT || e.NETLAKE_DYNAMODB_ENDPOINT) &&
    e.AWS_ACCESS_KEY_ID &&
    e.AWS_SECRET_ACCESS_KEY
      ? {
          credentials: {
            accessKeyId: e.AWS_ACCESS_KEY_ID,
            secretAccessKey: e.AWS_SECRET_ACCESS_KEY,
          },
        }
      : {}),
    platforms: e.NETLAKE_PLATFORMS,
    allowedHosts: e.NETLAKE_ALLOWED_HOSTS,
  }
}
