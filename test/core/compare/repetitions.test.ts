import { describe, expect, it } from 'vitest'
import { driftOfRuns, pairedRatio, ranks, spearman } from '#core/compare/repetitions.ts'
import { tcpRun } from './run-fixtures.ts'

const runsOf = (values: number[], labelled = true) =>
  values.map((throughput_bps, i) =>
    tcpRun({
      run_id: `r${i}`,
      throughput_bps,
      repetition: labelled ? i + 1 : null,
      started_at: `2026-03-01T10:0${i}:00.000Z`,
    }),
  )

describe('spearman', () => {
  it('matches scipy.stats.spearmanr, ties included', () => {
    // Prepare
    const order = [1, 2, 3, 4, 5, 6]

    // Act
    const rising = spearman(order, [9.1, 9.4, 9.0, 9.8, 10.2, 10.1])
    const tied = spearman(order, [5, 3, 4, 3, 6, 1])

    // Assess: spearmanr(...) → (0.7714285714285715, 0.07239650145772594), (−0.3188740696088466, 0.537900560470205)
    expect(rising.rho).toBeCloseTo(0.7714285714285715, 14)
    expect(rising.p_value).toBeCloseTo(0.07239650145772594, 10)
    expect(tied.rho).toBeCloseTo(-0.3188740696088466, 14)
    expect(tied.p_value).toBeCloseTo(0.537900560470205, 10)
    expect(ranks([5, 3, 4, 3, 6, 1])).toEqual([5, 2.5, 4, 2.5, 6, 1])
  })
})

describe('driftOfRuns', () => {
  it('flags a set whose throughput falls with every repetition and names the worst one', () => {
    // Prepare: repetition 6 is 27 % below the median
    const runs = runsOf([9.6e9, 9.5e9, 9.4e9, 9.3e9, 9.1e9, 6.8e9])

    // Act
    const drift = driftOfRuns(runs, 'throughput_bps')!

    // Assess: perfectly monotone: ρ = −1, p = 0
    expect(drift.order).toBe('repetition')
    expect(drift.rho).toBe(-1)
    expect(drift.p_value).toBe(0)
    expect(drift.drifting).toBe(true)
    expect(drift.worst_repetition).toBe(6)
    expect(drift.worst_deviation).toBeCloseTo(6.8 / 9.35 - 1, 12)
  })

  it('falls back to time order without labels and says nothing below 4 runs', () => {
    // Prepare
    const runs = runsOf([9.1e9, 9.4e9, 9.0e9, 9.8e9, 10.2e9, 10.1e9], false)

    // Act
    const drift = driftOfRuns(runs, 'throughput_bps')!
    const few = driftOfRuns(runs.slice(0, 3), 'throughput_bps')

    // Assess: same values as the scipy case above, not significant
    expect(drift.order).toBe('time')
    expect(drift.p_value).toBeCloseTo(0.07239650145772594, 10)
    expect(drift.drifting).toBe(false)
    expect(few).toBeNull()
  })
})

describe('pairedRatio', () => {
  it('pairs by repetition label and matches a paired t interval on log ratios (scipy)', () => {
    // Prepare: candidate order differs from baseline order; labels pair them
    const baseline = runsOf([9.5e9, 9.7e9, 9.4e9, 9.9e9])
    const candidate = runsOf([8.1e9, 8.4e9, 7.9e9, 8.6e9]).reverse()

    // Act
    const paired = pairedRatio(baseline, candidate, 'throughput_bps')!

    // Assess: exp(mean ± t(0.975, 3) · sd/√4) of ln(c/b) = 0.85686, [0.83629, 0.87793]
    expect(paired.pairs).toBe(4)
    expect(paired.repetitions).toEqual([1, 2, 3, 4])
    expect(paired.estimate).toBeCloseTo(0.8568560449328892, 12)
    expect(paired.ci_low).toBeCloseTo(0.8362871828115958, 10)
    expect(paired.ci_high).toBeCloseTo(0.8779308075362905, 10)
  })

  it('does not pair when a side lacks labels, repeats one, or shares fewer than 3', () => {
    // Prepare
    const labelled = runsOf([9.5e9, 9.7e9, 9.4e9, 9.9e9])
    const unlabelled = runsOf([8.1e9, 8.4e9, 7.9e9, 8.6e9], false)
    const repeated = runsOf([8.1e9, 8.4e9, 7.9e9, 8.6e9]).map((r) => ({ ...r, repetition: 1 }))

    // Act
    const results = [
      pairedRatio(labelled, unlabelled, 'throughput_bps'),
      pairedRatio(labelled, repeated, 'throughput_bps'),
      pairedRatio(labelled, labelled.slice(0, 2), 'throughput_bps'),
    ]

    // Assess
    expect(results).toEqual([null, null, null])
  })
})
