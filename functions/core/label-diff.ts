import type { Labels } from '#schemas/labels.ts'

/** One label whose stored and offered values differ (dotted names for maps: `software.kernel`). */
export interface LabelDifference {
  label: string
  stored: string | number | null
  offered: string | number | null
}

/**
 * The labels that differ between what is stored for some raw bytes and what an upload offers for
 * the same bytes, in name order; empty when they agree. `collected_at` is compared as an instant
 * (`+02:00` and `Z` spellings of one moment agree). Pure.
 */
export function diffLabels(stored: Labels, offered: Labels): LabelDifference[] {
  const a = flatten(stored)
  const b = flatten(offered)
  return [...new Set([...a.keys(), ...b.keys()])]
    .sort()
    .filter((label) => a.get(label) !== b.get(label))
    .map((label) => ({ label, stored: a.get(label) ?? null, offered: b.get(label) ?? null }))
}

function flatten(labels: Labels): Map<string, string | number> {
  const flat = new Map<string, string | number>()
  for (const [name, value] of Object.entries(labels)) {
    if (value === undefined || value === null) continue
    if (typeof value === 'object') {
      for (const [key, inner] of Object.entries(value))
        if (inner !== undefined) flat.set(`${name}.${key}`, String(inner))
    } else if (name === 'collected_at') {
      const t = Date.parse(String(value))
      flat.set(name, Number.isNaN(t) ? String(value) : new Date(t).toISOString())
    } else flat.set(name, value as string | number)
  }
  return flat
}
