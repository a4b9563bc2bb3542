import { z } from 'zod'

/** `POST /v1/results` answer: 202 when stored now, 200 when the same bytes were stored before. */
export const UploadAcceptedSchema = z.object({
  raw_key: z.string(),
  raw_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Content-derived, so known before ingest finishes. */
  run_ids: z.array(z.string()),
  duplicate: z.boolean(),
})
export type UploadAccepted = z.infer<typeof UploadAcceptedSchema>

/** One curated Parquet file the browser can range-read. */
export const DatasetFileRefSchema = z.object({
  url: z.string(),
  key: z.string(),
  platform: z.string(),
  date: z.string(),
  rows: z.number().int(),
  bytes: z.number().int(),
})

/** `GET /v1/datasets`: the Parquet files of each canonical table. */
export const DatasetsManifestSchema = z.object({
  generated_at: z.string(),
  tables: z.object({
    runs: z.array(DatasetFileRefSchema),
    intervals: z.array(DatasetFileRefSchema),
    metrics: z.array(DatasetFileRefSchema),
  }),
})
export type DatasetsManifest = z.infer<typeof DatasetsManifestSchema>

/** Every error the API returns. */
export const ApiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
})
export type ApiError = z.infer<typeof ApiErrorSchema>

const filterValue = z.string().max(128).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only')

/** A campaign filter: a campaign id, or empty (`campaign=`) for the runs without a campaign. */
const campaignFilter = z
  .union([z.literal(''), filterValue])
  .describe('a campaign id; empty (campaign=) selects the runs without a campaign')

/** `GET /v1/runs` query. Values are matched exactly; nothing is ever interpolated into SQL or keys. */
export const RunsQuerySchema = z.object({
  platform: filterValue.optional(),
  scenario: filterValue.optional(),
  campaign: campaignFilter.optional(),
  hardware_profile: filterValue.optional(),
  tool: z.enum(['iperf3', 'qperf']).optional(),
  test: filterValue.optional(),
  status: z.enum(['ok', 'error']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(2048).optional(),
})

/** `POST /v1/uploads`: ask for a presigned PUT for a file above the direct-upload limit. */
export const PresignRequestSchema = z
  .object({
    labels: z.unknown(),
    tool: z.enum(['iperf3', 'qperf']).optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'lowercase hex sha256 of the file'),
    size_bytes: z.number().int().positive(),
    content_type: z.enum(['application/json', 'application/x-ndjson', 'text/plain']).default('application/json'),
  })
  .strict()

export const PresignResponseSchema = z.object({
  method: z.literal('PUT'),
  url: z.string(),
  raw_key: z.string(),
  headers: z.record(z.string(), z.string()),
  expires_at: z.string(),
})

/** `GET /v1/compare` query. */
export const CompareQuerySchema = z.object({
  baseline: filterValue.describe('scenario id of the baseline side (default: matched bare metal)').optional(),
  candidate: filterValue.describe('scenario id of the candidate side'),
  metric: z.enum(['throughput_bps', 'latency_s']).default('throughput_bps'),
  hardware_profile: filterValue.optional(),
  campaign: campaignFilter.optional(),
  allow_key_mismatch: z.enum(['true', 'false']).default('false'),
  seed: z.coerce.number().int().min(0).max(2 ** 31).optional(),
})

/** `POST /v1/tokens` (admin). */
export const TokenCreateSchema = z
  .object({
    scopes: z.array(z.enum(['collector', 'reader', 'admin'])).min(1),
    label: z.string().max(128).optional(),
    ttl_days: z.number().int().positive().max(3650).optional(),
  })
  .strict()
