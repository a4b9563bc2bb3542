import { z } from 'zod'

/*
 * The records the catalog stores besides run summaries (which are `runs` rows, schemas/tables.ts).
 * Adapters parse what they read back with these, so an item written by another version, or by
 * hand, fails at the boundary with the field named instead of deep inside a handler.
 */

const isoInstant = z.iso.datetime({ offset: true })

/** Outcome of ingesting one raw object, kept so replays are no-ops and rejections are visible. */
export const IngestRecordSchema = z.object({
  raw_sha256: z.string().min(1),
  raw_key: z.string().min(1),
  outcome: z.enum(['ingested', 'quarantined']),
  run_ids: z.array(z.string()),
  reason: z.string().nullable(),
  parser_version: z.string(),
  at: isoInstant,
})
export type IngestRecord = z.infer<typeof IngestRecordSchema>

/** The canonical tables a partition belongs to. */
export const DatasetTableSchema = z.enum(['runs', 'intervals', 'metrics'])

/** A curated Parquet file registered in the dataset manifest. */
export const DatasetFileSchema = z.object({
  key: z.string().min(1),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /**
   * The raw objects (sha256) whose rows a batch file holds, when it holds more than one; absent
   * for a one-object file (its key names the sha) and for a compacted file (committed objects only).
   */
  sources: z.array(z.string().regex(/^[0-9a-f]{64}$/)).optional(),
})
export type DatasetFile = z.infer<typeof DatasetFileSchema>

/**
 * The files of one Hive partition (`curated/<table>/platform=<p>/date=<d>/`), held in ONE catalog
 * item so that compaction switches a partition's file list in a single conditional write: readers
 * see either the small files or the compacted one, never both.
 */
export const DatasetPartitionSchema = z.object({
  table: DatasetTableSchema,
  platform: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a YYYY-MM-DD date'),
  /** Optimistic-concurrency counter: 1 for a new partition, +1 on every write. */
  version: z.number().int().positive(),
  files: z.array(DatasetFileSchema),
})
export type DatasetPartition = z.infer<typeof DatasetPartitionSchema>

/** Who may do what with a token. */
export const TokenScopeSchema = z.enum(['collector', 'reader', 'admin'])

/** Hashed API token with scopes (the token itself is never stored). */
export const TokenRecordSchema = z.object({
  token_id: z.string().min(1),
  hash: z.string().min(1),
  scopes: z.array(TokenScopeSchema),
  label: z.string().nullable(),
  created_at: isoInstant,
  expires_at: isoInstant.nullable(),
  revoked: z.boolean(),
})
export type TokenRecord = z.infer<typeof TokenRecordSchema>

/** A generated comparison report and where its renderings are. */
export const ReportRecordSchema = z.object({
  report_id: z.string().min(1),
  window_from: z.string(),
  window_to: z.string(),
  created_at: isoInstant,
  keys: z.object({ html: z.string(), md: z.string(), json: z.string() }),
  regressions: z.number().int().nonnegative(),
  improvements: z.number().int().nonnegative(),
})
export type ReportRecord = z.infer<typeof ReportRecordSchema>
