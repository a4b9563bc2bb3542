/** Comparing scenarios honestly (DESIGN.md §4): re-exports only. */
export { comparisonKey, explainKeyMismatch } from './comparison-key.ts'
export { lineRateCeiling } from './ceiling.ts'
export { OVERHEAD_DEFINITION, compareRuns, matchBaseline } from './compare-runs.ts'
export type {
  CompareInput,
  CompareMetric,
  CompareResult,
  CompareSide,
  Overhead,
} from './compare-runs.ts'
export {
  defaultScenarioCatalog,
  diffHops,
  findScenario,
  loadScenarioCatalog,
} from './scenario-catalog.ts'
export type { HopDiff } from './scenario-catalog.ts'
export { describeSample, median, quantile } from './stats.ts'
export type { SampleStats } from './stats.ts'
export { mannWhitneyU } from './mann-whitney.ts'
export { medianRatioInterval } from './bootstrap.ts'
export type { MedianRatio } from './bootstrap.ts'
export { geometricMeanRatio, MIN_RUNS_FOR_INTERVAL } from './welch-log.ts'
export type { GeometricMeanRatio } from './welch-log.ts'
export { applyHolm, DEFAULT_BANDS, holmAdjust, judgeRatio, runsPerSideNeeded } from './verdict.ts'
export type { Verdict, VerdictLabel } from './verdict.ts'
export { limitOfRun, limitOfSet } from './limited-by.ts'
export { jainIndex, qualifyRun, qualifySet } from './qualify-run.ts'
export { driftOfRuns, pairedRatio, spearman } from './repetitions.ts'
export type { Limit, RunLimit, SetLimit } from './limited-by.ts'
export { tCdf, tQuantile } from './student-t.ts'
export { detectChangePoints, latestVsPrevious } from './change-points.ts'
export type { ChangePoint, LatestCheck } from './change-points.ts'
export { changesOfRuns } from './change-series.ts'
