import type { HistorySeries } from './history-charts.ts'
import type { CompareMetric, SampleStats } from '#core/compare/index.ts'
import type { DateRange } from './report-window.ts'
import type { Verdict } from './regression-rule.ts'

/**
 * The report as data: `report.json` is this object, and the HTML and Markdown renderers read only
 * from it, so the three files always show the same figures.
 */

/** A row of `sql/queries/report-runs-in-window.sql`. */
export interface WindowRunRow {
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
export interface BaselineSampleRow {
  platform: string
  scenario: string
  hardware_profile: string | null
  comparison_key: string | null
  role: 'scenario' | 'baseline'
  run_id: string
  throughput_bps: number
}

/** A 95% interval of a ratio of medians. */
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
  note: string | null
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
  /** median(KubeVirt) / median(OpenStack); null when refused or without data. */
  ratio: RatioCi | null
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
  platforms: PlatformPairSummary[]
  /** Per-run histories over the current and previous windows with their change points. */
  history?: HistorySeries[]
  /** Files left out because they cannot be read: the figures are over the rest. */
  skipped_files: SkippedFileNote[]
  /** Plain-language call-outs: regressions, unstable sets, key mismatches, failed runs. */
  notes: string[]
  method: Record<string, string>
}
