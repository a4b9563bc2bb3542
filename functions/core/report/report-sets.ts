import type { CompareMetric, CompareResult } from '#core/compare/index.ts'
import { TABLES } from '#schemas/tables.ts'
import type { RunRow } from '#schemas/tables.ts'
import { BOTTLENECK_COLUMNS } from './report-model.ts'
import type { BottleneckColumns, GroupId, RatioCi, WindowRunRow } from './report-model.ts'
import { appendTo } from '#core/append-to.ts'

/** Grouping the report's run rows into comparable sets, and the glue to the compare core. */

/** Seed of every bootstrap in a report, so a rerun gives the same intervals. */
export const REPORT_SEED = 20_191_001

/** The report's metrics and the tool that measures each. */
export const METRICS: Array<{ metric: CompareMetric; tool: string }> = [
  { metric: 'throughput_bps', tool: 'iperf3' },
  { metric: 'latency_s', tool: 'qperf' },
]

/** The ratio of a comparison without its bookkeeping. */
export function ratioOf(result: CompareResult): RatioCi | null {
  return result.ratio
    ? {
        estimate: result.ratio.estimate,
        ci_low: result.ratio.ci_low,
        ci_high: result.ratio.ci_high,
      }
    : null
}

// Built from the schema here rather than `#core/rows.ts` (which hashes with node:crypto), so the
// notebook can bundle this module and compute overheads exactly as the report and the API do.
const EMPTY_RUN = Object.fromEntries(
  Object.keys(TABLES.runs.shape).map((name) => [name, null]),
) as unknown as RunRow

/** A run with the given columns, every other one null (as `emptyRunRow`). */
export function runRowWith(columns: Partial<RunRow>): RunRow {
  return { ...EMPTY_RUN, ...columns }
}

/** A query row's bottleneck columns, each null when the query did not bring it. */
export function bottleneckColumnsOf(row: BottleneckColumns): BottleneckColumns {
  return Object.fromEntries(BOTTLENECK_COLUMNS.map((name) => [name, row[name] ?? null]))
}

/** A query row as the `RunRow` the compare core takes (other columns null). */
export function toRunRow(row: WindowRunRow): RunRow {
  return {
    ...EMPTY_RUN,
    ...bottleneckColumnsOf(row),
    run_id: row.run_id,
    tool: row.tool,
    test: row.test,
    status: row.status,
    platform: row.platform,
    scenario: row.scenario,
    hardware_profile: row.hardware_profile,
    comparison_key: row.comparison_key,
    throughput_bps: row.throughput_bps,
    latency_s: row.latency_s,
    ceiling_fraction: row.ceiling_fraction,
  }
}

const SEP = '\u0000'

/** Rows by platform, scenario and hardware profile (a key from `idOf`). */
export function groupRows(rows: WindowRunRow[]): Map<string, WindowRunRow[]> {
  const groups = new Map<string, WindowRunRow[]>()
  for (const row of rows) {
    const key = [row.platform ?? '(none)', row.scenario ?? '(none)', row.hardware_profile].join(SEP)
    appendTo(groups, key, row)
  }
  return groups
}

/** The group a `groupRows` key stands for. */
export function idOf(key: string, metric: CompareMetric): GroupId {
  const [platform, scenario, hardware_profile] = key.split(SEP)
  return { metric, platform, scenario, hardware_profile }
}

const PLATFORM_ORDER = ['baremetal', 'openstack', 'kubevirt']
const rank = (p: string) =>
  PLATFORM_ORDER.includes(p) ? PLATFORM_ORDER.indexOf(p) : PLATFORM_ORDER.length

/** Group keys in report order: bare metal, OpenStack, KubeVirt, then by scenario. */
export function sortKeys(keys: string[]): string[] {
  return keys.sort((a, b) => compareIds(idOf(a, 'throughput_bps'), idOf(b, 'throughput_bps')))
}

/** Groups in report order: throughput first, then as `compareIds`. */
export function sortGroups<T extends GroupId>(groups: T[]): T[] {
  return groups.sort((a, b) =>
    a.metric === b.metric ? compareIds(a, b) : a.metric === 'throughput_bps' ? -1 : 1,
  )
}

/** Report order of two groups. */
export function compareIds(a: GroupId, b: GroupId): number {
  return (
    rank(a.platform) - rank(b.platform) ||
    a.scenario.localeCompare(b.scenario) ||
    a.hardware_profile.localeCompare(b.hardware_profile)
  )
}
