import type { Tool } from '#schemas/labels.ts'

/** A scenario to measure: its id and the host to test against. */
export interface ScenarioTarget {
  scenario: string
  target: string
}

/** One slot of the plan: a scenario, its repetition number, and the tools to run in it. */
export interface PlannedRun extends ScenarioTarget {
  /** 0-based position in the plan. */
  index: number
  repetition: number
  tools: Tool[]
}

/** mulberry32: a small seeded PRNG, enough for shuffling; returns numbers in [0, 1). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Fisher-Yates shuffle of a copy. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

/**
 * Interleaves repetitions of several scenarios in a seeded random order, one block per repetition
 * (each block runs every scenario once, in its own shuffled order), so slow drift of the machine or
 * network spreads over all scenarios instead of looking like a scenario effect. Same seed, same plan.
 */
export function planRuns(
  scenarios: readonly ScenarioTarget[],
  repeat: number,
  tools: Tool[],
  seed: number,
): PlannedRun[] {
  const random = createRandom(seed)
  const plan: PlannedRun[] = []
  for (let repetition = 0; repetition < repeat; repetition++) {
    for (const s of shuffle(scenarios, random)) {
      plan.push({
        index: plan.length,
        scenario: s.scenario,
        target: s.target,
        repetition,
        tools: [...tools],
      })
    }
  }
  return plan
}

/**
 * `--scenario ID=HOST` / `--scenario ID` (with `--target HOST`) → scenario targets. Returns an error
 * message instead when a scenario has no target or an id repeats.
 */
export function parseScenarioFlags(
  values: readonly string[],
  defaultTarget: string | undefined,
): ScenarioTarget[] | string {
  const seen = new Set<string>()
  const out: ScenarioTarget[] = []
  for (const value of values) {
    const eq = value.indexOf('=')
    const scenario = (eq === -1 ? value : value.slice(0, eq)).trim()
    const target = (eq === -1 ? defaultTarget : value.slice(eq + 1).trim()) || undefined
    if (!scenario) return `--scenario '${value}' has no scenario id`
    if (!target)
      return `--scenario ${scenario} has no target: use --scenario ${scenario}=HOST or --target HOST`
    if (seen.has(scenario)) return `--scenario ${scenario} is given twice`
    seen.add(scenario)
    out.push({ scenario, target })
  }
  return out
}

/** The platform a well-known scenario id implies (os-* openstack, kv-* kubevirt, baseline baremetal). */
export function platformForScenario(scenario: string): string | null {
  if (/^os-/i.test(scenario)) return 'openstack'
  if (/^kv-/i.test(scenario)) return 'kubevirt'
  if (/^(baseline|bm-)/i.test(scenario)) return 'baremetal'
  return null
}
