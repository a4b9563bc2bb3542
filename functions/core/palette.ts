/**
 * One colour per platform, for every chart netlake draws (notebook pages and reports), so a colour
 * means the same platform everywhere. Okabe–Ito colours (distinguishable with the common colour
 * vision deficiencies). A platform not listed gets a colour from its name, never from its position
 * in a result, so it too keeps its colour from page to page. Pure.
 */

/** The known platforms' colours, in legend order. */
export const PLATFORM_COLORS: Readonly<Record<string, string>> = {
  baremetal: '#0072b2',
  openstack: '#d55e00',
  kubevirt: '#009e73',
}

/** Colours for other platforms, picked by a hash of the name. */
export const OTHER_COLORS: readonly string[] = [
  '#cc79a7',
  '#e69f00',
  '#56b4e9',
  '#8c6d31',
  '#999999',
]

/** Neutral marks that are not a platform: references, ceilings, CIs. */
export const REFERENCE_COLORS = {
  baseline: '#222222',
  ceiling: '#c00000',
  interval: '#444444',
  previous: '#9e9e9e',
  regression: '#c00000',
  improvement: '#1b7a1b',
} as const

/** The colour of a platform (any string; null/empty is 'unknown'). */
export function platformColor(platform: string | null | undefined): string {
  const name = platform && platform.length > 0 ? platform : 'unknown'
  const known = PLATFORM_COLORS[name]
  if (known) return known
  let hash = 0
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0
  return OTHER_COLORS[hash % OTHER_COLORS.length]
}

/** Platforms in legend order: the known ones first (bare metal, OpenStack, KubeVirt), then A–Z. */
export function sortPlatforms(platforms: Iterable<string>): string[] {
  const order = Object.keys(PLATFORM_COLORS)
  const rank = (p: string) => (order.includes(p) ? order.indexOf(p) : order.length)
  return [...new Set(platforms)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
}

/** An ordinal colour scale (Observable Plot's `color` option shape) for these platforms. */
export function platformScale(platforms: Iterable<string>): { domain: string[]; range: string[] } {
  const domain = sortPlatforms(platforms)
  return { domain, range: domain.map(platformColor) }
}
