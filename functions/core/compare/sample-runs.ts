import { SAMPLE_LABELS } from '#schemas/labels.ts'

/** One side of a comparison after the bundled samples were set aside. */
export interface OwnRuns<T> {
  runs: T[]
  /** How many bundled sample runs were left out. */
  samplesLeftOut: number
}

/**
 * The bundled samples (campaign `netlake-sample`) take part in a comparison only while nothing
 * else matches, or when chosen with a campaign filter: as soon as a user's own runs of the
 * scenario exist, they alone are compared, so one sample run can never tip a user's 5 vs 5 into a
 * key mismatch or into a mixed set. Pure.
 */
export function preferOwnRuns<T extends { campaign?: string | null }>(
  runs: T[],
  campaignChosen: boolean,
): OwnRuns<T> {
  if (campaignChosen) return { runs, samplesLeftOut: 0 }
  const own = runs.filter((run) => run.campaign !== SAMPLE_LABELS.campaign)
  if (own.length === 0) return { runs, samplesLeftOut: 0 }
  return { runs: own, samplesLeftOut: runs.length - own.length }
}
