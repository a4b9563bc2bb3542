import { platformColor, sortPlatforms } from '#core/palette.ts'
import { h } from './dom.ts'

/**
 * The platform legend of a chart, from the shared palette (functions/core/palette.ts): every
 * page draws the same colour for the same platform. `data-platform`/`data-color` are for tests.
 */
export function platformLegend(platforms: Iterable<string>): HTMLElement {
  return h(
    'ul',
    { class: 'legend', 'data-legend': 'platform', 'aria-label': 'platform colours' },
    ...sortPlatforms(platforms).map((p) =>
      h(
        'li',
        { 'data-platform': p, 'data-color': platformColor(p) },
        h('span', { class: 'swatch', style: `background:${platformColor(p)}` }),
        p,
      ),
    ),
  )
}

/** A legend entry for a neutral reference mark (dashed baseline, ceiling tick...). */
export function referenceLegend(
  items: Array<{ label: string; color: string; dashed?: boolean }>,
): HTMLElement {
  return h(
    'ul',
    { class: 'legend', 'data-legend': 'reference' },
    ...items.map((item) =>
      h(
        'li',
        {},
        h('span', {
          class: `swatch line${item.dashed ? ' dashed' : ''}`,
          style: `border-color:${item.color}`,
        }),
        item.label,
      ),
    ),
  )
}
