import { z } from 'zod'
import { HopSchema } from './scenarios.ts'
import { LabelsSchema } from './labels.ts'

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

/** A page size: an integer from 1 to `max`; a huge, negative, fractional or repeated `limit` is refused by name. */
export const pageLimit = (max: number, fallback: number) => {
  const error = `limit must be an integer from 1 to ${max}`
  return z.coerce
    .number({ error })
    .int({ error })
    .min(1, { error })
    .max(max, { error })
    .default(fallback)
}

const filterValue = z
  .string()
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only')

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
  limit: pageLimit(1000, 100),
  cursor: z.string().max(2048).optional(),
})

/** `GET /v1/reports` query. */
export const ReportsQuerySchema = z.object({
  limit: pageLimit(100, 20),
  cursor: z.string().max(2048).optional(),
})

/** `POST /v1/uploads`: ask for a presigned PUT for a file above the direct-upload limit. */
export const PresignRequestSchema = z
  .object({
    labels: LabelsSchema,
    tool: z.enum(['iperf3', 'qperf']).optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'lowercase hex sha256 of the file'),
    size_bytes: z.number().int().positive(),
    content_type: z
      .enum(['application/json', 'application/x-ndjson', 'text/plain'])
      .default('application/json'),
  })
  .strict()

export const PresignResponseSchema = z.object({
  method: z.literal('PUT'),
  /** Names the staged upload (`raw/staging/<id>`) and, on a mismatch, its quarantine note. */
  upload_id: z.string().optional(),
  url: z.string(),
  raw_key: z.string(),
  headers: z.record(z.string(), z.string()),
  expires_at: z.string(),
})

/** `GET /v1/compare` query. */
export const CompareQuerySchema = z.object({
  baseline: filterValue
    .describe('scenario id of the baseline side (default: matched bare metal)')
    .optional(),
  candidate: filterValue.describe('scenario id of the candidate side'),
  metric: z.enum(['throughput_bps', 'latency_s']).default('throughput_bps'),
  hardware_profile: filterValue.optional(),
  campaign: campaignFilter.optional(),
  allow_key_mismatch: z.enum(['true', 'false']).default('false'),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .describe(
      'seed of the Monte Carlo bootstrap (used only when the exact bootstrap distribution is too large)',
    )
    .optional(),
  band: z.coerce
    .number()
    .gt(0)
    .lt(1)
    .describe(
      'practical band δ for the verdict: ratios within [1 − δ, 1 + δ] count as the same (default 0.05 for throughput, 0.1 for latency)',
    )
    .optional(),
})

/** Per-side descriptive statistics (type-7 quantiles, sample sd). */
export const SampleStatsSchema = z.object({
  n: z.number().int(),
  median: z.number(),
  mean: z.number(),
  p5: z.number(),
  p95: z.number(),
  min: z.number(),
  max: z.number(),
  sd: z.number(),
  cv: z.number().nullable(),
  unstable: z.boolean(),
  unstable_cv_threshold: z.number(),
})

const LimitSchema = z.enum(['cpu', 'ceiling', 'loss', 'unknown'])

/** What limited one run (`functions/core/compare/limited-by.ts` has the thresholds). */
export const RunLimitSchema = z.object({
  run_id: z.string().nullable(),
  limited_by: LimitSchema.describe(
    'first that applies: ceiling (≥ 95% of the line-rate ceiling), cpu (a side ≥ 90% of one core, or both ends pinned to one core and together ≥ 50% of it), loss (≥ 0.1% of segments retransmitted), else unknown',
  ),
  signals: z.array(z.string()),
  sender_cpu_percent: z.number().nullable(),
  receiver_cpu_percent: z.number().nullable(),
  cpu_percent_per_gbps: z
    .number()
    .nullable()
    .describe('(local + remote CPU percent of one core) per Gbit/s of throughput'),
  retransmit_rate: z.number().nullable(),
  ceiling_fraction: z.number().nullable(),
})

/** What limited a set of runs: the label more than half share, else mixed. */
export const SetLimitSchema = z.object({
  limited_by: z.enum(['cpu', 'ceiling', 'loss', 'unknown', 'mixed']),
  counts: z.object({
    cpu: z.number().int(),
    ceiling: z.number().int(),
    loss: z.number().int(),
    unknown: z.number().int(),
  }),
  cpu_percent_per_gbps_median: z.number().nullable(),
  runs: z.array(RunLimitSchema),
})

/** Whether one run measured a steady state (`functions/core/compare/qualify-run.ts`). */
export const RunQualificationSchema = z.object({
  run_id: z.string().nullable(),
  intervals: z.number().int().describe('non-omitted sum intervals the figures rest on'),
  steady: z
    .boolean()
    .nullable()
    .describe(
      'null below 4 intervals; false on a warm-up, a significant trend beyond ±10% or interval CV > 0.1',
    ),
  trend: z
    .number()
    .nullable()
    .describe('OLS slope × measured span / mean: the fitted change across the run (0.1 = +10%)'),
  trend_p_value: z.number().nullable().describe('two-sided t-test of the slope, n − 2 df'),
  interval_cv: z.number().nullable(),
  warmup_s: z
    .number()
    .nullable()
    .describe('seconds at the start below 90% of the later level (median of the second half)'),
  suggested_omit_s: z.number().nullable().describe('the -O to use when a warm-up was seen'),
  retransmits_per_gb: z.number().nullable().describe('sender retransmits per 10⁹ bytes sent'),
  streams: z.number().int().nullable(),
  jain_fairness: z
    .number()
    .nullable()
    .describe("Jain's index of per-stream bytes, -P > 1 only: 1 = equal shares, 1/n = one stream"),
  issues: z.array(z.string()),
})
export type RunQualification = z.infer<typeof RunQualificationSchema>

/** Run qualification of a set. */
export const SetQualificationSchema = z.object({
  with_intervals: z.number().int().describe('runs whose interval rows were available'),
  intervals_unreadable: z
    .number()
    .int()
    .describe(
      'runs whose interval rows are in a Parquet file that cannot be read (`skipped_files`): their qualification is unknown',
    ),
  not_steady: z.number().int(),
  suggested_omit_s: z
    .number()
    .nullable()
    .describe('largest -O suggested by a run of the set, null when none climbs'),
  retransmits_per_gb_median: z.number().nullable(),
  jain_fairness_min: z.number().nullable(),
  runs: z.array(RunQualificationSchema),
})
export type SetQualification = z.infer<typeof SetQualificationSchema>

/** Spearman rank correlation of a set's values with repetition order. */
export const DriftSchema = z.object({
  n: z.number().int(),
  order: z.enum(['repetition', 'time']).describe('repetition label, else started_at'),
  rho: z.number(),
  p_value: z.number().nullable().describe('two-sided, t approximation with n − 2 df (scipy)'),
  drifting: z.boolean().describe('|ρ| ≥ 0.5 and p < 0.05'),
  worst_repetition: z.number().int().nullable(),
  worst_deviation: z
    .number()
    .nullable()
    .describe('the value furthest from the set median, relative to it (−0.27 = 27% low)'),
})
export type Drift = z.infer<typeof DriftSchema>

/** Paired analysis when both sides label their repetitions. */
export const PairedRatioSchema = z.object({
  pairs: z.number().int(),
  repetitions: z.array(z.number().int()),
  estimate: z.number(),
  ci_low: z.number(),
  ci_high: z.number(),
  df: z.number().int(),
  method: z.literal('paired t interval on ln(candidate/baseline) by repetition label'),
})
export type PairedRatio = z.infer<typeof PairedRatioSchema>

/** One side of a comparison. */
export const CompareSideSchema = z.object({
  n: z.number().int().describe("runs with a usable value (status not 'error', finite metric)"),
  excluded: z.number().int(),
  scenarios: z.array(z.string()),
  platforms: z.array(z.string()),
  comparison_keys: z.array(z.string()),
  stats: SampleStatsSchema.nullable(),
  geometric_mean: z.number().nullable().describe('exp(mean of ln values); null with a value ≤ 0'),
  log_sd: z.number().nullable().describe('sample sd of ln values (≈ CV for small spreads)'),
  ceiling_fraction_median: z.number().nullable(),
  ceiling_notes: z
    .array(z.string())
    .describe(
      'distinct ceiling-model warnings of the side (MSS/MTU mismatch, MTU above the link MTU), with the run count',
    ),
  bottleneck: SetLimitSchema.nullable().describe('throughput only'),
  qualification: SetQualificationSchema.nullable().describe('throughput only'),
  drift: DriftSchema.nullable().describe('null below 4 runs or when the order is unknown'),
})

/** The primary figure: GM(candidate) / GM(baseline) with Welch t intervals on ln values. */
export const GeometricMeanRatioSchema = z.object({
  estimate: z.number(),
  ci_low: z.number(),
  ci_high: z.number(),
  confidence: z.number(),
  ci90_low: z.number(),
  ci90_high: z.number(),
  log_difference: z.number(),
  log_se: z.number(),
  df: z.number().nullable().describe('Welch-Satterthwaite; null when both sides are constant'),
  method: z.literal('Welch t interval on log values (ratio of geometric means)'),
})

/**
 * Cross-check: median(candidate) / median(baseline), percentile bootstrap. JSON has no Infinity:
 * an infinite upper bound is `ci_high: null` with `upper_unbounded: true`.
 */
export const MedianRatioSchema = z.object({
  estimate: z.number(),
  ci_low: z.number(),
  ci_high: z.number().nullable().describe('null only when upper_unbounded (+∞)'),
  upper_unbounded: z.boolean(),
  confidence: z.number(),
  method: z.enum(['exact', 'monte-carlo']),
  resamples: z.number().int().nullable(),
  seed: z.number().int().nullable(),
  undefined_share: z
    .number()
    .describe('share of the bootstrap distribution with both medians 0 (0/0), left out'),
})

/** Overhead with its CI, from the primary ratio. */
export const OverheadSchema = z.object({
  definition: z.string(),
  estimate: z.number(),
  ci_low: z.number(),
  ci_high: z.number(),
})

/** Two-sided Mann-Whitney U of candidate vs baseline. */
export const MannWhitneySchema = z.object({
  u: z.number(),
  u_other: z.number(),
  p_value: z.number(),
  method: z.enum(['exact', 'normal']),
  n_x: z.number().int(),
  n_y: z.number().int(),
  ties: z.boolean(),
})

/** SAME / BETTER / WORSE / INCONCLUSIVE against the band [1 − δ, 1 + δ]. */
export const VerdictSchema = z.object({
  verdict: z.enum(['SAME', 'BETTER', 'WORSE', 'INCONCLUSIVE']),
  band: z.number(),
  band_low: z.number(),
  band_high: z.number(),
  p_value: z.number().nullable(),
  holm_p_value: z.number().nullable(),
  reason: z.string(),
  runs_per_side_needed: z.number().int().nullable(),
})

/** Which hops differ between the two sides' scenarios. */
export const HopDiffSchema = z.object({
  a: z.string(),
  b: z.string(),
  identical: z.boolean(),
  only_in_a: z.array(HopSchema),
  only_in_b: z.array(HopSchema),
  changed: z.array(
    z.object({ a: HopSchema, b: HopSchema, fields: z.array(z.enum(['vni', 'udp_port', 'mtu'])) }),
  ),
  summary: z.array(z.string()),
})

/** A lake file a reader left out because it cannot be read, and why (`netlake doctor` lists it). */
export const SkippedFileSchema = z.object({
  key: z.string().describe('the curated object key'),
  reason: z.string(),
})
export type SkippedFile = z.infer<typeof SkippedFileSchema>

/** `GET /v1/compare` answer (and `compareRuns`' result): README "How a comparison is computed". */
export const CompareResultSchema = z.object({
  metric: z.enum(['throughput_bps', 'latency_s']),
  better: z.enum(['higher', 'lower']),
  refused: z.string().nullable(),
  key_mismatch: z.boolean(),
  key_differences: z.array(z.string()),
  baseline: CompareSideSchema,
  candidate: CompareSideSchema,
  ratio: GeometricMeanRatioSchema.nullable().describe(
    'primary: ratio of geometric means, Welch t on logs',
  ),
  ratio_unavailable: z.string().nullable().describe('why ratio is null'),
  median_ratio: MedianRatioSchema.nullable(),
  median_ratio_unavailable: z.string().nullable(),
  point_estimates: z.object({
    ratio_of_geometric_means: z.number().nullable(),
    ratio_of_medians: z.number().nullable(),
  }),
  overhead: OverheadSchema.nullable(),
  mann_whitney: MannWhitneySchema.nullable(),
  paired: PairedRatioSchema.nullable().describe(
    'cross-check when every run on both sides carries a repetition label and ≥ 3 labels are shared',
  ),
  verdict: VerdictSchema,
  hops: HopDiffSchema.nullable(),
  advice: z.array(z.string()),
  skipped_files: z
    .array(SkippedFileSchema)
    .describe(
      "interval files that cannot be read, left out: the ratio and verdict (from the catalog's run rows) stand, the qualification of the runs in them is unknown",
    ),
  method: z.object({
    quantiles: z.string(),
    ratio_ci: z.string(),
    median_ratio_ci: z.string(),
    p_value: z.string(),
    overhead: z.string(),
    verdict: z.string(),
    limited_by: z.string(),
    qualification: z.string(),
    drift: z.string(),
    paired: z.string(),
  }),
})
export type CompareResult = z.infer<typeof CompareResultSchema>

/** `POST /v1/tokens` (admin). */
export const TokenCreateSchema = z
  .object({
    scopes: z.array(z.enum(['collector', 'reader', 'admin'])).min(1),
    label: z.string().max(128).optional(),
    ttl_days: z
      .number()
      .int()
      .positive()
      .max(3650)
      .optional()
      .describe('days until the token expires (default 90: no token lives for ever)'),
  })
  .strict()

/** A token as `GET /v1/tokens` lists it: never the token, never its hash. */
export const TokenListItemSchema = z.object({
  token_id: z.string(),
  scopes: z.array(z.enum(['collector', 'reader', 'admin'])),
  label: z.string().nullable(),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  revoked: z.boolean(),
})

/** `GET /v1/tokens` answer. */
export const TokenListSchema = z.object({ tokens: z.array(TokenListItemSchema) })

/** `DELETE /v1/tokens/{token_id}` path. */
export const TokenIdParamSchema = z.object({
  token_id: z
    .string()
    .regex(/^[0-9a-f]{12}$/, 'a token id is 12 hex digits')
    .describe('the id printed when the token was created (nlk_<id>_...)'),
})

/** `GET /v1/changes` query. */
export const ChangesQuerySchema = z.object({
  scenario: filterValue.describe('scenario id whose history is searched'),
  metric: z.enum(['throughput_bps', 'latency_s']).default('throughput_bps'),
  hardware_profile: filterValue.optional(),
  by: z
    .enum(['campaign', 'run'])
    .default('campaign')
    .describe('one point per campaign (its median) or per run'),
  max_p: z.coerce
    .number()
    .gt(0)
    .lt(1)
    .default(0.001)
    .describe('significance of a change point (after the correction for choosing the best split)'),
  min_magnitude: z.coerce
    .number()
    .min(0)
    .max(10)
    .default(0)
    .describe('smallest relative change reported, e.g. 0.05'),
  previous: z.coerce
    .number()
    .int()
    .min(3)
    .max(1000)
    .default(10)
    .describe('points the latest one is checked against'),
})

/** One detected change point in a series. */
export const ChangePointSchema = z.object({
  index: z.number().int().describe('first point after the change'),
  at: z.string(),
  label: z.string(),
  mean_before: z.number(),
  mean_after: z.number(),
  change: z.number().nullable().describe('mean_after / mean_before − 1'),
  p_value: z.number(),
  q: z.number().describe('E-divisive energy statistic of the split'),
})

/** `GET /v1/changes` answer: change points per comparison key. */
export const ChangesResultSchema = z.object({
  scenario: z.string(),
  metric: z.enum(['throughput_bps', 'latency_s']),
  by: z.enum(['campaign', 'run']),
  max_p_value: z.number(),
  min_magnitude: z.number(),
  method: z.string(),
  series: z.array(
    z.object({
      comparison_key: z.string(),
      untimed_runs: z.number().int().describe('runs without started_at or collected_at, left out'),
      older_points_left_out: z.number().int().describe('points beyond the newest 2,000, left out'),
      points: z.array(
        z.object({ label: z.string(), at: z.string(), value: z.number(), n: z.number().int() }),
      ),
      change_points: z.array(ChangePointSchema),
      latest: z
        .object({
          latest: z.number(),
          previous_n: z.number().int(),
          previous_mean: z.number(),
          previous_sd: z.number(),
          change: z.number().nullable(),
          p_value: z.number(),
        })
        .nullable(),
    }),
  ),
  advice: z.array(z.string()),
})
export type ChangesResult = z.infer<typeof ChangesResultSchema>
