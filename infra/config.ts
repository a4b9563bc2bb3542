import { RetentionDays } from 'aws-cdk-lib/aws-logs'
import { z } from 'zod'

const RETENTION_DAYS = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'),
)

const SCHEDULE = /^(rate|cron|at)\(.+\)$/
const SCHEDULE_HINT = 'rate(...), cron(...) or at(...)'

/**
 * Deployment settings, read once from CDK context (`cdk.json` or `-c netlake:key=value`) and
 * validated here so constructs receive plain typed props and never read `process.env`.
 */
export const NetlakeConfigSchema = z.object({
  /** Stage name, part of every stack name: `netlake-<stage>-data`. */
  stage: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,19}$/, 'lowercase letters, digits, dashes')
    .default('dev'),
  /** CloudWatch Logs retention for every function and the API access log, in days. */
  logRetentionDays: z.coerce
    .number()
    .int()
    .refine((d) => RETENTION_DAYS.has(d), 'a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, ...)')
    .default(30),
  /** EventBridge Scheduler expression for compaction: `rate(...)`, `cron(...)` or `at(...)`. */
  compactSchedule: z.string().regex(SCHEDULE, SCHEDULE_HINT).default('rate(1 hour)'),
  /** EventBridge Scheduler expression for the comparison report. */
  reportSchedule: z.string().regex(SCHEDULE, SCHEDULE_HINT).default('cron(0 6 * * ? *)'),
  /** IANA time zone the schedules are evaluated in. */
  scheduleTimeZone: z.string().default('UTC'),
  /** Email subscribed to operational alarms (DLQ depth) and regression notifications. */
  alarmEmail: z.email().optional(),
  /** `true`: bundle each handler with esbuild (deployable). `false`: placeholders (synth only). */
  bundle: z
    .preprocess((v) => (typeof v === 'string' ? v !== 'false' : v), z.boolean())
    .default(true),
  /** Origins allowed by the API's CORS preflight and the curated bucket's CORS (range reads). */
  corsOrigins: z.array(z.string().min(1)).min(1).default(['*']),
  /** Platforms uploads accept (`NETLAKE_PLATFORMS` of the API); Athena partitions by date only. */
  platforms: z.array(z.string().min(1)).min(1).default(['openstack', 'kubevirt', 'baremetal']),
  /** API Gateway stage throttling: steady requests per second and burst. */
  apiRateLimit: z.coerce.number().positive().default(50),
  apiBurstLimit: z.coerce.number().int().positive().default(100),
  /** Days before non-current raw object versions expire (raw objects are never overwritten). */
  rawNoncurrentVersionDays: z.coerce.number().int().positive().default(90),
  /** Days S3 server access logs and CloudFront logs are kept. */
  accessLogDays: z.coerce.number().int().positive().default(365),
  /** Days Athena query results are kept. */
  athenaResultDays: z.coerce.number().int().positive().default(30),
  /** Athena per-query scan limit, bytes. */
  athenaBytesScannedCutoff: z.coerce.number().int().min(10_000_000).default(10_000_000_000),
})
export type NetlakeConfig = z.infer<typeof NetlakeConfigSchema>
/** What callers may pass; everything with a default may be left out. */
export type NetlakeConfigInput = z.input<typeof NetlakeConfigSchema>

const CONTEXT_PREFIX = 'netlake:'

/** Validate a config, naming every bad key in one error. */
export function parseConfig(input: NetlakeConfigInput): NetlakeConfig {
  const result = NetlakeConfigSchema.safeParse(input)
  if (!result.success) {
    const problems = result.error.issues.map(
      (i) => `${CONTEXT_PREFIX}${i.path.join('.')}: ${i.message}`,
    )
    throw new Error(`invalid netlake context:\n  ${problems.join('\n  ')}`)
  }
  return result.data
}

/** Read `netlake:*` context keys (JSON arrays may be passed as comma-separated strings). */
export function readConfig(tryGetContext: (key: string) => unknown): NetlakeConfig {
  const input: Record<string, unknown> = {}
  for (const key of Object.keys(NetlakeConfigSchema.shape)) {
    let value = tryGetContext(CONTEXT_PREFIX + key)
    if (value === undefined) continue
    if (isListKey(key) && typeof value === 'string') value = value.split(',').map((s) => s.trim())
    input[key] = value
  }
  return parseConfig(input as NetlakeConfigInput)
}

function isListKey(key: string): boolean {
  return key === 'corsOrigins' || key === 'platforms'
}
