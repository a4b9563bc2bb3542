import { loadScenarioCatalog } from '#schemas/scenarios.ts'
import type { Hop, Scenario, ScenarioCatalog } from '#schemas/scenarios.ts'
import builtIn from '#schemas/scenario-catalog.json' with { type: 'json' }

export { loadScenarioCatalog, ScenarioCatalogError } from '#schemas/scenarios.ts'

let builtInCatalog: ScenarioCatalog | null = null

/**
 * The built-in catalog (`schemas/scenario-catalog.json`), optionally merged with a user file.
 * The built-in one alone is validated once and shared, frozen (a compare or an ingest asks often).
 */
export function defaultScenarioCatalog(extra?: unknown): ScenarioCatalog {
  if (extra !== undefined) return loadScenarioCatalog(builtIn, extra)
  builtInCatalog ??= deepFreeze(loadScenarioCatalog(builtIn))
  return builtInCatalog
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

/** The scenario with this id, or undefined. */
export function findScenario(catalog: ScenarioCatalog, id: string | null): Scenario | undefined {
  return id === null ? undefined : catalog.scenarios.find((s) => s.id === id)
}

/** A hop that differs in a protocol setting between two scenarios. */
export interface ChangedHop {
  a: Hop
  b: Hop
  fields: Array<'vni' | 'udp_port' | 'mtu'>
}

/** Which hops differ between two scenarios' paths. */
export interface HopDiff {
  a: string
  b: string
  identical: boolean
  /** Hops on a's path that b's path does not have. */
  only_in_a: Hop[]
  /** Hops on b's path that a's path does not have. */
  only_in_b: Hop[]
  /** Hops of the same kind at matching positions whose VNI, UDP port or MTU differ. */
  changed: ChangedHop[]
  /** One line per difference: `- kind name @node (details)`, `+ ...`, `~ ...`. */
  summary: string[]
}

const SETTINGS = ['vni', 'udp_port', 'mtu'] as const

/**
 * Diffs two paths: hops are aligned by kind with a longest common subsequence (names and node
 * names are deployment details, so a bridge on compute1 matches a bridge on compute2); aligned
 * hops whose VNI, UDP port or MTU differ are reported as changed.
 */
export function diffHops(a: Scenario, b: Scenario): HopDiff {
  const pairs = alignByKind(a.hops, b.hops)
  const matchedA = new Set(pairs.map(([i]) => i))
  const matchedB = new Set(pairs.map(([, j]) => j))
  const only_in_a = a.hops.filter((_, i) => !matchedA.has(i))
  const only_in_b = b.hops.filter((_, j) => !matchedB.has(j))
  const changed: ChangedHop[] = []
  for (const [i, j] of pairs) {
    const fields = SETTINGS.filter((f) => a.hops[i][f] !== b.hops[j][f])
    if (fields.length > 0) changed.push({ a: a.hops[i], b: b.hops[j], fields })
  }
  const summary = [
    ...only_in_a.map((h) => `- ${describeHop(h)} (only in ${a.id})`),
    ...only_in_b.map((h) => `+ ${describeHop(h)} (only in ${b.id})`),
    ...changed.map(
      (c) =>
        `~ ${c.a.kind} ${c.a.name}: ${c.fields.map((f) => `${f} ${c.a[f] ?? '?'} → ${c.b[f] ?? '?'}`).join(', ')}`,
    ),
  ]
  return {
    a: a.id,
    b: b.id,
    identical: summary.length === 0,
    only_in_a,
    only_in_b,
    changed,
    summary,
  }
}

/** `vxlan vxlan-101 @compute1 (VNI 101, UDP 4789, MTU 1450)`. */
export function describeHop(hop: Hop): string {
  const details = [
    hop.vni !== undefined ? `VNI ${hop.vni}` : null,
    hop.udp_port !== undefined ? `UDP ${hop.udp_port}` : null,
    hop.mtu !== undefined ? `MTU ${hop.mtu}` : null,
  ].filter((d) => d !== null)
  const where = hop.node ? ` @${hop.node}` : ''
  return `${hop.kind} ${hop.name}${where}${details.length ? ` (${details.join(', ')})` : ''}`
}

/** Index pairs of a longest common subsequence of the two kind sequences. */
function alignByKind(a: Hop[], b: Hop[]): Array<[number, number]> {
  const n = a.length
  const m = b.length
  const table = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i][j] =
        a[i].kind === b[j].kind
          ? table[i + 1][j + 1] + 1
          : Math.max(table[i + 1][j], table[i][j + 1])
    }
  }
  const pairs: Array<[number, number]> = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (a[i].kind === b[j].kind) {
      pairs.push([i, j])
      i++
      j++
    } else if (table[i + 1][j] >= table[i][j + 1]) i++
    else j++
  }
  return pairs
}
