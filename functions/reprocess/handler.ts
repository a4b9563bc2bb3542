import { loadConfig } from '#adapters/config.ts'
import { createAwsLake } from '#adapters/aws-lake.ts'
import { createParquetWriter } from '#adapters/parquet-writer.ts'
import type { IngestDeps } from '#functions/ingest/ingest-object.ts'
import type { ObjectStore } from '#functions/ports.ts'
import { ReprocessBatchInputSchema, ReprocessSwitchEventSchema } from '#schemas/reprocess-map.ts'
import type { ReprocessBatchReport } from '#schemas/reprocess-map.ts'
import { rawItemsOf, tallyMapRun } from './map-results.ts'
import { rederiveBatch } from './rederive-batch.ts'
import { reportOfBatch, switchPartitions, type ReprocessSummary } from './reprocess-lake.ts'

/**
 * The AWS reprocess fan-out's function (infra/constructs/reprocess-fan-out.ts), one handler for
 * the two steps of its state machine:
 * - `{ Items: [{ key }] }` (a Distributed Map batch over raw/): re-derive those raw objects, one
 *   Parquet file per partition for the batch, listed nowhere yet; returns the batch report;
 * - `{ job: 'reprocess-switch', map: { ResultWriterDetails } }`: read every batch's report from the
 *   Map Run's results, switch each partition once, publish the manifests, write `summary.json`
 *   beside the results and return the summary (the first failures only; the file has them all).
 */
export type ReprocessEvent =
  | { Items: Array<{ key: string }> }
  | { job: 'reprocess-switch'; map: { ResultWriterDetails: { Bucket: string; Key: string } } }

interface Ready {
  deps: IngestDeps & { manifestBucket: string }
  reports: ObjectStore
  reportsBucket: string
}

let ready: Promise<Ready> | undefined

async function createReady(): Promise<Ready> {
  const config = loadConfig(process.env)
  const lake = createAwsLake(config)
  return {
    deps: {
      raw: lake.raw,
      curated: lake.curated,
      catalog: lake.catalog,
      parquet: await createParquetWriter(),
      clock: { now: () => new Date() },
      manifestBucket: config.curatedBucket,
    },
    reports: lake.reports,
    reportsBucket: config.reportsBucket,
  }
}

/** Step Functions → one step of the reprocess (see `ReprocessEvent`). */
export async function handler(
  event: ReprocessEvent,
): Promise<
  ReprocessBatchReport | (ReprocessSummary & { failed_count: number; summary_key: string })
> {
  ready ??= createReady()
  const { deps, reports, reportsBucket } = await ready
  if ('Items' in event) {
    const { Items } = ReprocessBatchInputSchema.parse(event)
    const report = reportOfBatch(await rederiveBatch(rawItemsOf(Items.map((i) => i.key)), deps))
    log({ msg: 'reprocess-batch', objects: report.items.length, files: report.files.length })
    return report
  }
  const { map } = ReprocessSwitchEventSchema.parse(event)
  const { Bucket, Key } = map.ResultWriterDetails
  if (Bucket !== reportsBucket)
    throw new Error(`map results are in ${Bucket}, not in the reports bucket ${reportsBucket}`)
  const text = async (key: string) => {
    const bytes = await reports.get(key)
    if (!bytes) throw new Error(`map result ${key} is missing from ${Bucket}`)
    return new TextDecoder().decode(bytes)
  }
  const tally = await tallyMapRun(await text(Key), text)
  const summary = await switchPartitions(deps, tally)
  const summaryKey = Key.replace(/[^/]*$/, 'summary.json')
  await reports.put(summaryKey, JSON.stringify(summary, null, 2), {
    contentType: 'application/json',
  })
  log({ msg: 'reprocess-switch', ...summary, failed: summary.failed.length })
  // The state output stays small (256 KiB at most): the first failures here, all in summary.json.
  return {
    ...summary,
    failed: summary.failed.slice(0, FAILED_IN_OUTPUT),
    failed_count: summary.failed.length,
    summary_key: summaryKey,
  }
}

/** Failures named in the state machine's output; `summary.json` names them all. */
export const FAILED_IN_OUTPUT = 50

function log(fields: Record<string, unknown>): void {
  console.log(JSON.stringify({ level: 'info', ...fields }))
}
