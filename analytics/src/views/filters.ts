import type { Filters } from '../state.ts'
import { h } from './dom.ts'
import { NO_CAMPAIGN } from '#sql/dataset-views.ts'

/** Distinct label values offered by the filter pickers. */
export type FilterOptions = Record<
  'platform' | 'scenario' | 'hardware_profile' | 'campaign',
  string[]
>

const LABELS: Record<keyof Filters, string> = {
  platform: 'platform',
  scenario: 'scenario',
  hardware_profile: 'hardware profile',
  campaign: 'campaign',
  date_from: 'from',
  date_to: 'to',
}

/** The filter bar; calls `onChange` with the whole filter set on every edit. */
export function filterBar(
  filters: Filters,
  options: FilterOptions,
  onChange: (f: Filters) => void,
): HTMLElement {
  const current = { ...filters }
  const fields = (Object.keys(LABELS) as Array<keyof Filters>).map((key) => {
    const isDate = key === 'date_from' || key === 'date_to'
    const input = isDate
      ? h('input', { type: 'date', name: key, value: current[key] })
      : h(
          'select',
          { name: key },
          h('option', { value: '' }, 'all'),
          ...(key === 'campaign' ? [h('option', { value: NO_CAMPAIGN }, 'no campaign')] : []),
          ...options[key as keyof FilterOptions].map((v) => h('option', { value: v }, v)),
        )
    if (!isDate) {
      const values = options[key as keyof FilterOptions]
      if (current[key] && !values.includes(current[key]) && current[key] !== NO_CAMPAIGN)
        input.append(h('option', { value: current[key] }, current[key]))
      input.value = current[key]
    }
    input.addEventListener('change', () => {
      current[key] = input.value
      onChange({ ...current })
    })
    return h('label', {}, `${LABELS[key]} `, input)
  })
  return h('form', { class: 'filters', onsubmit: 'return false' }, ...fields)
}
