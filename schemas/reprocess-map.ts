import { z } from 'zod'
import { DatasetFileSchema, DatasetTableSchema } from './catalog-records.ts'

/*
 * The AWS reprocess fan-out (infra/constructs/reprocess-fan-out.ts): what one batch invocation of
 * the Distributed Map returns, and the Map Run results Step Functions writes to S3 (ResultWriter:
 * a manifest.json naming SUCCEEDED_n / FAILED_n / PENDING_n JSON files of child executions).
 */

/** One raw object's fate in a batch, compact (a child's output is at most 256 KiB). */
export const ReprocessBatchItemSchema = z.object({
  key: z.string().min(1),
  sha256: z.string().min(1),
  /** `moved`: the bytes did not match their key and were moved aside; `duplicate`: another raw key owns these bytes. */
  outcome: z.enum(['ingested', 'quarantined', 'moved', 'duplicate', 'failed']),
  runs: z.number().int().nonnegative(),
  error: z.string().optional(),
  /** A failed object whose new rows are in the batch's files all the same. */
  rows_written: z.boolean().optional(),
})
export type ReprocessBatchItem = z.infer<typeof ReprocessBatchItemSchema>

/** What one batch of the reprocess returns: each object's fate and the files it wrote. */
export const ReprocessBatchReportSchema = z.object({
  items: z.array(ReprocessBatchItemSchema),
  files: z.array(
    z.object({
      where: z.object({ table: DatasetTableSchema, platform: z.string(), date: z.string() }),
      file: DatasetFileSchema,
    }),
  ),
})
export type ReprocessBatchReport = z.infer<typeof ReprocessBatchReportSchema>

/** The Distributed Map's batch input: the raw keys its ItemSelector kept (`{ key }` per object). */
export const ReprocessBatchInputSchema = z.object({
  Items: z.array(z.object({ key: z.string().min(1) })),
})

const ResultFileList = z.array(z.object({ Key: z.string().min(1) })).default([])

/** `manifest.json` of a Map Run's ResultWriter output. */
export const MapRunManifestSchema = z.object({
  DestinationBucket: z.string().optional(),
  MapRunArn: z.string().optional(),
  ResultFiles: z.object({
    SUCCEEDED: ResultFileList,
    FAILED: ResultFileList,
    PENDING: ResultFileList,
  }),
})
export type MapRunManifest = z.infer<typeof MapRunManifestSchema>

/** One child execution in a ResultWriter file (Transformation NONE): its input, and output or error. */
export const MapRunChildSchema = z.object({
  Status: z.string().optional(),
  Input: z.string().optional(),
  Output: z.string().optional(),
  Error: z.string().optional(),
  Cause: z.string().optional(),
})
export const MapRunResultFileSchema = z.array(MapRunChildSchema)

/** Where the Map state's output says the ResultWriter put its manifest. */
export const ReprocessSwitchEventSchema = z.object({
  job: z.literal('reprocess-switch'),
  map: z.object({
    ResultWriterDetails: z.object({ Bucket: z.string().min(1), Key: z.string().min(1) }),
  }),
})
