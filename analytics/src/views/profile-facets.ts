import { h } from './dom.ts'
import { platformLegend, referenceLegend } from './legend.ts'
import { stripLegendItems } from './strip-chart.ts'

/**
 * A strip-chart page's body: the platform and reference legends, a note when the groups span
 * several hardware profiles, then `draw`'s block for each profile (sorted), given its groups.
 */
export function profileFacets<G extends { platform: string; hardware_profile: string }>(
  className: string,
  groups: G[],
  options: {
    /** Whether the charts draw the theoretical ceiling (a legend entry then). */
    ceiling: boolean
    /** What each profile gets, for the note: 'chart', 'pair of charts'. */
    each: string
    draw: (profile: string, groups: G[]) => Element
  },
): HTMLElement {
  const profiles = [...new Set(groups.map((g) => g.hardware_profile))].sort()
  return h(
    'div',
    { class: className },
    platformLegend(groups.map((g) => g.platform)),
    referenceLegend(stripLegendItems(options.ceiling)),
    ...(profiles.length > 1
      ? [
          h(
            'p',
            { class: 'status', 'data-state': 'facets' },
            `${profiles.length} hardware profiles, one ${options.each} each (pick one in the filters to see only it).`,
          ),
        ]
      : []),
    ...profiles.map((profile) =>
      options.draw(
        profile,
        groups.filter((g) => g.hardware_profile === profile),
      ),
    ),
  )
}
