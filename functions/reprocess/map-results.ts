import { parseRawKey } from '#core/object-keys.ts'
import {
  MapRunManifestSchema,
  MapRunResultFileSchema,
  ReprocessBatchInputSchema,
  ReprocessBatchReportSchema,
} from '#schemas/reprocess-map.ts'
import { addReport, failBatch, newTally, type ReprocessTally } from './reprocess-lake.ts'
import type { RawItem } from './rederive-batch.ts'

/** The raw objects among a batch's keys (sidecars and other keys under raw/ are not objects). */
export function rawItemsOf(keys: string[]): RawItem[] {
  const items: RawItem[] = []
  for (const key of keys) {
    const parsed = parseRawKey(key)
    if (parsed) items.push({ key, sha256: parsed.sha256, date: parsed.date })
  }
  return items
}

/**
 * Builds the reprocess tally from a Map Run's ResultWriter output: every SUCCEEDED child's output
 * is a batch report; every FAILED or PENDING child's input names objects that were not
 * re-derived, counted as failed (their current files are kept). `read` returns an object's text
 * from the results bucket. Throws a typed zod error naming the field if a file is not what Step
 * Functions writes.
 */
export async function tallyMapRun(
  manifestText: string,
  read: (key: string) => Promise<string>,
): Promise<ReprocessTally> {
  const manifest = MapRunManifestSchema.parse(JSON.parse(manifestText))
  const tally = newTally()
  for (const { Key } of manifest.ResultFiles.SUCCEEDED)
    for (const child of MapRunResultFileSchema.parse(JSON.parse(await read(Key))))
      addReport(tally, ReprocessBatchReportSchema.parse(JSON.parse(child.Output ?? 'null')))
  const unfinished = [
    ...manifest.ResultFiles.FAILED.map((f) => ({ ...f, why: 'its batch failed' })),
    ...manifest.ResultFiles.PENDING.map((f) => ({ ...f, why: 'its batch did not run' })),
  ]
  for (const { Key, why } of unfinished)
    for (const child of MapRunResultFileSchema.parse(JSON.parse(await read(Key)))) {
      const input = ReprocessBatchInputSchema.parse(JSON.parse(child.Input ?? 'null'))
      const error = [why, child.Error, child.Cause].filter(Boolean).join(': ')
      failBatch(tally, rawItemsOf(input.Items.map((i) => i.key)), error)
    }
  return tally
}
