import { z } from 'zod'
import { LabelsSchema, ToolSchema } from './labels.ts'

/**
 * The upload envelope a collector sends: labels plus the raw tool output as a string, carried
 * verbatim (never re-serialized), so the stored bytes are exactly what the tool printed.
 */
export const UploadEnvelopeSchema = z
  .object({
    labels: LabelsSchema,
    tool: ToolSchema.optional(),
    raw: z.string().min(1, 'raw tool output is empty'),
  })
  .strict()
export type UploadEnvelope = z.infer<typeof UploadEnvelopeSchema>

/** What the raw store keeps beside the raw bytes (`raw/...json.labels.json`). */
export const RawSidecarSchema = z.object({
  labels: LabelsSchema,
  tool: ToolSchema.nullable(),
  raw_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  content_type: z.string().nullable(),
  received_at: z.iso.datetime(),
  size_bytes: z.number().int().nonnegative(),
})
export type RawSidecar = z.infer<typeof RawSidecarSchema>

/**
 * What `POST /v1/uploads` promised (`raw/staging/<upload-id>.claim.json`): the sidecar the raw
 * object will get, plus the raw key it will land on once ingest has checked size and sha256.
 */
export const UploadClaimSchema = RawSidecarSchema.extend({
  upload_id: z.string().regex(/^[0-9a-f]{32}$/),
  raw_key: z.string(),
})
export type UploadClaim = z.infer<typeof UploadClaimSchema>
