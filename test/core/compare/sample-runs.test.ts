import { describe, expect, it } from 'vitest'
import { preferOwnRuns } from '#core/compare/sample-runs.ts'

const run = (id: string, campaign: string | null) => ({ id, campaign })

describe('preferOwnRuns', () => {
  it("leaves the bundled samples out once a side has the user's own runs", () => {
    // Prepare
    const runs = [run('s', 'netlake-sample'), run('a', null), run('b', 'c1')]
    // Act
    const own = preferOwnRuns(runs, false)
    // Assess
    expect(own.runs.map((r) => r.id)).toEqual(['a', 'b'])
    expect(own.samplesLeftOut).toBe(1)
  })

  it('keeps the samples while nothing else matches, or when a campaign is chosen', () => {
    // Prepare
    const samples = [run('s1', 'netlake-sample'), run('s2', 'netlake-sample')]
    // Act
    const alone = preferOwnRuns(samples, false)
    const chosen = preferOwnRuns([...samples, run('a', null)], true)
    // Assess
    expect(alone).toEqual({ runs: samples, samplesLeftOut: 0 })
    expect(chosen.runs.map((r) => r.id)).toEqual(['s1', 's2', 'a'])
  })
})
