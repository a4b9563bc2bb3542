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
