import type { Labels } from '#schemas/labels.ts'
import type { NormalizedRows } from '#schemas/parse-result.ts'
import type { RunRow } from '#schemas/tables.ts'
import { comparisonKey } from './compare/comparison-key.ts'
import { lineRateCeiling } from './compare/ceiling.ts'

/**
 * Flattens the upload's labels onto every run, fixes the partition date and computes what
 * depends on labels and measurements together: the comparison key and the line-rate ceiling.
 */
export function applyLabels(
  rows: NormalizedRows,
  labels: Labels | undefined,
  receivedAt: string | null,
): NormalizedRows {
  for (const run of rows.runs) {
    if (labels) flattenLabels(run, labels)
    run.date = partitionDate(run.collected_at, run.started_at, receivedAt)
    run.comparison_key = comparisonKey(run)
    const ceiling = lineRateCeiling(run)
    run.ceiling_bps = ceiling.ceiling_bps
    run.ceiling_fraction = ceiling.ceiling_fraction
    for (const warning of ceiling.warnings)
      rows.warnings.push({ ...warning, document_index: run.document_index ?? undefined })
  }
  return rows
}

/**
 * The one partition-date rule, the same for every tool: the UTC day of the `collected_at` label
 * (set by `collect` and `push`), else of the tool's own timestamp (iperf3's `start.timestamp`;
 * qperf prints none), else of the upload time. So the iperf3 and qperf files of one repetition
 * land on the same day and in the same report window.
 */
export function partitionDate(
  collectedAt: string | null,
  startedAt: string | null,
  receivedAt: string | null,
): string | null {
  // All three are UTC ISO instants here (labels are normalized in flattenLabels).
  return (collectedAt ?? startedAt ?? receivedAt)?.slice(0, 10) ?? null
}

function flattenLabels(run: RunRow, labels: Labels): void {
  run.platform = labels.platform ?? null
  run.scenario = labels.scenario ?? null
  run.campaign = labels.campaign ?? null
  run.hardware_profile = labels.hardware_profile ?? null
  run.nic_speed_bps = labels.nic_speed_bps ?? null
  run.link_mtu = labels.link_mtu ?? null
  run.mtu = labels.mtu ?? null
  run.source_host = labels.source?.host ?? null
  run.source_node = labels.source?.node ?? null
  run.source_vm = labels.source?.vm ?? null
  run.destination_host = labels.destination?.host ?? null
  run.destination_node = labels.destination?.node ?? null
  run.destination_vm = labels.destination?.vm ?? null
  run.software = labels.software ? JSON.stringify(sortKeys(labels.software)) : null
  run.collector_id = labels.collector_id ?? null
  run.collected_at = labels.collected_at ? new Date(labels.collected_at).toISOString() : null
  run.repetition = labels.repetition ?? null
}

function sortKeys(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => a.localeCompare(b)))
}
