import { KEY_PARTS } from '#core/compare/comparison-key.ts'
import { appendTo } from '#core/append-to.ts'

/** What identifies a compared group: its scenario and whatever else may tell two groups apart. */
export interface LabelledGroup {
  scenario: string
  platform?: string | null
  hardware_profile?: string | null
  comparison_key: string | null
}

/**
 * A short label per group that names only what differs between groups: the scenario alone when it
 * is unique, else the scenario plus the platform, hardware profile or comparison-key parts (e.g.
 * `p4` streams, `d30-120` duration class) that vary among the groups of that scenario. Two
 * groups never share a label, so a chart can draw one mark per label without stacking.
 */
export function distinguishingLabels(groups: readonly LabelledGroup[]): string[] {
  const byScenario = new Map<string, number[]>()
  groups.forEach((g, i) => appendTo(byScenario, g.scenario, i))
  const labels = groups.map((g) => g.scenario)
  for (const members of byScenario.values()) {
    if (members.length < 2) continue
    const fields = fieldsOf(members.map((i) => groups[i]))
    const varying = fields[0]
      .map((_, f) => f)
      .filter((f) => new Set(fields.map((v) => v[f])).size > 1)
    for (const [m, i] of members.entries()) {
      labels[i] = [groups[i].scenario, ...varying.map((f) => fields[m][f])].join(' · ')
    }
  }
  const seen = new Map<string, number>()
  return labels.map((label) => {
    const count = (seen.get(label) ?? 0) + 1
    seen.set(label, count)
    return count === 1 ? label : `${label} (${count})`
  })
}

/** Platform, hardware profile, then the key parts except the hardware profile (already shown). */
function fieldsOf(groups: LabelledGroup[]): string[][] {
  return groups.map((g) => {
    const parts = (g.comparison_key ?? '').split('|')
    const keyParts =
      parts.length === KEY_PARTS.length
        ? parts.slice(0, KEY_PARTS.length - 1)
        : [g.comparison_key ?? 'no comparison key', ...Array<string>(KEY_PARTS.length - 2).fill('')]
    return [g.platform ?? '(none)', g.hardware_profile ?? '(none)', ...keyParts]
  })
}

/** The comparison key's differing parts spelled out, for a tooltip: "parallel streams: p4". */
export function describeKey(key: string | null): string {
  if (key === null) return 'no comparison key'
  const parts = key.split('|')
  if (parts.length !== KEY_PARTS.length) return key
  return parts.map((p, i) => `${KEY_PARTS[i]}: ${p}`).join('; ')
}
