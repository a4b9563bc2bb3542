import type { NormalizedRows } from '#schemas/parse-result.ts'
import type { IntervalRow, MetricRow, RunRow, TableName } from '#schemas/tables.ts'
import { partitionValue } from './object-keys.ts'

/** Rows of one Hive partition (platform + date), ready to be written as one file per table. */
export interface PartitionRows {
  platform: string
  date: string
  tables: { runs: RunRow[]; intervals: IntervalRow[]; metrics: MetricRow[] }
}

/**
 * Groups normalized rows by the partition of their run. Intervals and metrics follow their run,
 * so a join never crosses partitions it does not have to.
 */
export function partitionRows(rows: NormalizedRows, fallbackDate: string): PartitionRows[] {
  const byRun = new Map<string, PartitionRows>()
  const byPartition = new Map<string, PartitionRows>()
  for (const run of rows.runs) {
    const platform = partitionValue(run.platform)
    const date = run.date ?? fallbackDate
    const id = `${platform}/${date}`
    let part = byPartition.get(id)
    if (!part) {
      part = { platform, date, tables: { runs: [], intervals: [], metrics: [] } }
      byPartition.set(id, part)
    }
    part.tables.runs.push(run)
    byRun.set(run.run_id as string, part)
  }
  for (const interval of rows.intervals)
    byRun.get(interval.run_id as string)?.tables.intervals.push(interval)
  for (const metric of rows.metrics) byRun.get(metric.run_id as string)?.tables.metrics.push(metric)
  return [...byPartition.values()]
}

/** Table names in write order. */
export const TABLE_NAMES: TableName[] = ['runs', 'intervals', 'metrics']
