import { z } from 'zod'
import { LabelsSchema } from './labels.ts'
import { RawSidecarSchema } from './envelope.ts'

/*
 * Repairing stored results: relabel and delete. Raw bytes never change; labels are a versioned
 * record beside them, every repair is an audit record, and a pending marker makes a repair that
 * died half-way finish on the next sweep, start or reprocess.
 */

const isoInstant = z.iso.datetime({ offset: true })
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256')

/** The label names a relabel may set or unset (every upload label). */
export const LABEL_NAMES = Object.keys(LabelsSchema.shape) as Array<keyof typeof LabelsSchema.shape>

/** `PATCH /v1/raw/{sha256}/labels`: labels to set and labels to remove. */
export const RelabelRequestSchema = z
  .object({
    set: z.record(z.string(), z.unknown()).default({}),
    unset: z.array(z.string()).default([]),
  })
  .strict()
export type RelabelRequest = z.infer<typeof RelabelRequestSchema>

/** The current labels sidecar, with its version and who wrote it (absent on version 1). */
export const VersionedSidecarSchema = RawSidecarSchema.extend({
  labels_version: z.number().int().positive().optional(),
  labeled_by: z.string().nullable().optional(),
  labeled_at: isoInstant.optional(),
})
export type VersionedSidecar = z.infer<typeof VersionedSidecarSchema>

/** One kept label version: `labels/<sha>/v<NNNNNN>.json` in the raw store. */
export const LabelVersionSchema = z.object({
  raw_sha256: sha256,
  version: z.number().int().positive(),
  labels: LabelsSchema,
  by: z.string().nullable(),
  at: isoInstant,
})
export type LabelVersion = z.infer<typeof LabelVersionSchema>

/** Where an object's rows were (or will be): a curated partition. */
export const PartitionRefSchema = z.object({
  table: z.enum(['runs', 'intervals', 'metrics']),
  platform: z.string(),
  date: z.string(),
})

/** A deleted raw object, kept until `retain_until` (`tombstone/<sha>.json` beside its bytes). */
export const TombstoneSchema = z.object({
  raw_sha256: sha256,
  raw_key: z.string(),
  bytes_key: z.string(),
  sidecar: z.unknown(),
  deleted_at: isoInstant,
  deleted_by: z.string().nullable(),
  retain_until: isoInstant,
})
export type Tombstone = z.infer<typeof TombstoneSchema>

/** One relabel or delete: who, when, what changed (`audit/<at>-<id>.json`). */
export const AuditRecordSchema = z.object({
  audit_id: z.string(),
  action: z.enum(['relabel', 'delete']),
  raw_sha256: sha256,
  raw_key: z.string(),
  run_ids: z.array(z.string()),
  by: z.string().nullable(),
  at: isoInstant,
  labels_version: z.number().int().positive().nullable(),
  previous_labels: z.record(z.string(), z.unknown()).nullable(),
  labels: z.record(z.string(), z.unknown()).nullable(),
  purge: z.boolean(),
  retain_until: isoInstant.nullable(),
})
export type AuditRecord = z.infer<typeof AuditRecordSchema>

/** A repair in flight (`pending/<sha>.json`): written first, removed last. */
export const PendingRepairSchema = z.object({
  op: z.enum(['relabel', 'delete']),
  raw_sha256: sha256,
  raw_key: z.string(),
  /** The runs the object had before the repair, and the partitions holding their rows. */
  run_ids: z.array(z.string()),
  partitions: z.array(PartitionRefSchema),
  /** The audit record the repair writes when it has finished. */
  audit: AuditRecordSchema,
  purge: z.boolean().default(false),
  retain_until: isoInstant.nullable().default(null),
})
export type PendingRepair = z.infer<typeof PendingRepairSchema>

/** `PATCH /v1/raw/{sha256}/labels` answer. */
export const RelabelResultSchema = z.object({
  raw_sha256: sha256,
  raw_key: z.string(),
  labels_version: z.number().int().positive(),
  labels: LabelsSchema,
  run_ids: z.array(z.string()),
  audit_id: z.string(),
})
export type RelabelResult = z.infer<typeof RelabelResultSchema>

/** `DELETE /v1/raw/{sha256}` answer. */
export const DeleteResultSchema = z.object({
  raw_sha256: sha256,
  raw_key: z.string(),
  run_ids: z.array(z.string()),
  purged: z.boolean(),
  retain_until: isoInstant.nullable(),
  audit_id: z.string(),
})
export type DeleteResult = z.infer<typeof DeleteResultSchema>

/** `GET /v1/audit` answer, oldest first. */
export const AuditPageSchema = z.object({
  items: z.array(AuditRecordSchema),
  cursor: z.string().nullable(),
})
