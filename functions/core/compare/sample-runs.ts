import { SAMPLE_LABELS } from '#schemas/labels.ts'

/** One side of a comparison after the bundled samples were set aside (or chosen). */
export interface OwnRuns<T> {
  runs: T[]
  /** How many bundled sample runs were left out. */
  samplesLeftOut: number
  /** True when the side holds bundled samples only. */
  samplesOnly: boolean
}

const isSample = (run: { campaign?: string | null }) => run.campaign === SAMPLE_LABELS.campaign

/**
 * The bundled samples (campaign `netlake-sample`) take part in a comparison only while nothing
 * else matches, or when chosen with a campaign filter: as soon as a user's own runs exist, they
 * alone are compared, so one sample run can never tip a user's 5 vs 5 into a key mismatch or a
 * mixed set. For the baseline side, pass the candidate side's `samplesOnly` as `likeSamples`: a
 * comparison of samples takes sample baselines, a comparison of the user's runs takes the user's.
 * Pure.
 */
export function preferOwnRuns<T extends { campaign?: string | null }>(
  runs: T[],
  campaignChosen: boolean,
  likeSamples = false,
): OwnRuns<T> {
  const samplesOnly = (kept: T[]) => kept.length > 0 && kept.every(isSample)
  if (campaignChosen) return { runs, samplesLeftOut: 0, samplesOnly: samplesOnly(runs) }
  if (likeSamples) {
    const samples = runs.filter(isSample)
    if (samples.length > 0) return { runs: samples, samplesLeftOut: 0, samplesOnly: true }
  }
  const own = runs.filter((run) => !isSample(run))
  if (own.length === 0) return { runs, samplesLeftOut: 0, samplesOnly: samplesOnly(runs) }
  return { runs: own, samplesLeftOut: runs.length - own.length, samplesOnly: false }
}
