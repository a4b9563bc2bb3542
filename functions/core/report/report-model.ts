import type { HistorySeries } from './history-charts.ts'
import type { CompareMetric, SampleStats, VerdictLabel } from '#core/compare/index.ts'
import type { RunRow } from '#schemas/tables.ts'
import type { DateRange } from './report-window.ts'
import type { Verdict } from './regression-rule.ts'

/**
 * The report as data: `report.json` is this object, and the HTML and Markdown renderers read only
 * from it, so the three files always show the same figures.
 */

/**
 * The run columns `limited_by` rests on (CPU, retransmits, MSS/MTU, NIC speed, hosts, software,
 * ceiling): the report's queries bring them so its bottlenecks are the ones `GET /v1/compare` gives.
 */
export const BOTTLENECK_COLUMNS = [
  'direction',
  'protocol',
  'cpu_local_percent',
  'cpu_remote_percent',
  'retransmits',
  'sender_bytes',
  'tcp_mss_bytes',
  'mtu',
  'link_mtu',
  'nic_speed_bps',
  'source_host',
  'destination_host',
  'software',
  'ceiling_fraction',
] as const

/** The bottleneck columns of a run; absent ones count as null. */
export type BottleneckColumns = Partial<Pick<RunRow, (typeof BOTTLENECK_COLUMNS)[number]>>

/** A row of `sql/queries/report-runs-in-window.sql`. */
export interface WindowRunRow extends BottleneckColumns {
  run_id: string
  tool: string
  test: string | null
  status: string | null
  platform: string | null
  scenario: string | null
  hardware_profile: string
  comparison_key: string | null
  throughput_bps: number | null
  latency_s: number | null
  ceiling_fraction: number | null
  started_at: string | null
  date: string | null
}

/** A row of `sql/queries/tcp-throughput-samples-with-baseline.sql` (the notebook's). */
export interface BaselineSampleRow extends BottleneckColumns {
  platform: string
  scenario: string
  hardware_profile: string | null
  comparison_key: string | null
  role: 'scenario' | 'baseline'
  run_id: string
  throughput_bps: number
}

/** A 95% interval of a ratio (of geometric means, as `GET /v1/compare`'s `ratio`). */
export interface RatioCi {
  estimate: number
  ci_low: number
  ci_high: number
}

/** Where a set of runs belongs: the report's unit of comparison. */
export interface GroupId {
  metric: CompareMetric
  platform: string
  scenario: string
  hardware_profile: string
}

/** Statistics of one group in the report window. */
export interface GroupSummary extends GroupId {
  /** Runs with a usable value. */
  n: number
  /** Runs with status 'error' (counted, left out of the statistics). */
  failed: number
  comparison_keys: string[]
  stats: SampleStats | null
}

/** The change of one group since the previous window(s). */
export interface ChangeSummary extends GroupId {
  previous_n: number
  current_n: number
  previous_median: number | null
  current_median: number | null
  /** current median / previous median with its seeded bootstrap CI; null without data. */
  ratio: RatioCi | null
  verdict: Verdict
  note: string | null
  /** `limited_by` of the current and the previous window's runs (throughput only, else null). */
  limited_by: string | null
  previous_limited_by: string | null
}

/** Overhead of a virtual scenario vs the bare-metal runs sharing its comparison key. */
export interface OverheadSummary {
  platform: string
  scenario: string
  hardware_profile: string
  comparison_key: string | null
  n: number
  baseline_n: number
  scenario_median: number | null
  baseline_median: number | null
  /** The API's overhead and interval; below 3 runs a side the point estimate alone (CI null). */
  overhead: ReportOverhead | null
  /** Ratio of geometric means scenario / bare metal and its 95% CI (null below 3 runs a side). */
  ratio: ReportRatio | null
  /** `verdict.verdict` of `GET /v1/compare` (band ±`band`) and its reason. */
  verdict: VerdictLabel
  verdict_reason: string
  band: number
  /** `candidate.bottleneck.limited_by` and `baseline.bottleneck.limited_by` of the API. */
  limited_by: string | null
  baseline_limited_by: string | null
  /** `bottleneck.cpu_percent_per_gbps_median` of each side: % of one core per Gbit/s. */
  cpu_per_gbps: number | null
  baseline_cpu_per_gbps: number | null
  /** The API's advice on the two sides' bottlenecks (both CPU-bound, or limited differently). */
  limit_advice: string[]
  note: string | null
}

/** A ratio as the report shows it: `ci_low`/`ci_high` null when no interval can be computed. */
export interface ReportRatio {
  estimate: number
  ci_low: number | null
  ci_high: number | null
}

/** An overhead as the report shows it: `ci_low`/`ci_high` null when no interval can be computed. */
export interface ReportOverhead {
  definition: string
  estimate: number
  ci_low: number | null
  ci_high: number | null
}

/** OpenStack vs KubeVirt for a pair of comparable scenarios (KubeVirt / OpenStack). */
export interface PlatformPairSummary {
  label: string
  metric: CompareMetric
  hardware_profile: string
  openstack_scenario: string
  kubevirt_scenario: string
  openstack_n: number
  kubevirt_n: number
  openstack_median: number | null
  kubevirt_median: number | null
  /** Geometric mean KubeVirt / OpenStack with its Welch-log 95% CI; null when refused or n < 3. */
  ratio: RatioCi | null
  /** `verdict.verdict` of compareRuns (KubeVirt as candidate), null when refused or without data. */
  verdict: VerdictLabel | null
  /** `limited_by` of each side (throughput only, else null). */
  openstack_limited_by: string | null
  kubevirt_limited_by: string | null
  refused: string | null
}

/** A curated file the report could not read and left out, and why (`netlake doctor` lists it). */
export interface SkippedFileNote {
  key: string
  reason: string
}

/** The whole report. */
export interface ReportModel {
  schema: 'netlake-report/1'
  report_id: string
  created_at: string
  window: DateRange
  previous: DateRange & { windows: number }
  tolerance: number
  min_n: number
  totals: {
    runs: number
    failed: number
    groups: number
    regressions: number
    improvements: number
  }
  groups: GroupSummary[]
  changes: ChangeSummary[]
  overhead: OverheadSummary[]
  /** Latency vs the window's matched bare-metal latency runs (`limited_by` null: throughput only). */
  latency_overhead: OverheadSummary[]
  platforms: PlatformPairSummary[]
  /** Per-run histories over the current and previous windows with their change points. */
  history?: HistorySeries[]
  /** Files left out because they cannot be read: the figures are over the rest. */
  skipped_files: SkippedFileNote[]
  /** Plain-language call-outs: regressions, unstable sets, key mismatches, failed runs. */
  notes: string[]
  method: Record<string, string>
}
