import { apiGet } from '../api-fetch.ts'
import { errorText, h, statusLine } from '../views/dom.ts'
import type { Page } from './page.ts'

interface Hop {
  kind: string
  name: string
  node?: string
  vni?: number
  udp_port?: number
  mtu?: number
}
interface Scenario {
  id: string
  platform: string
  description: string
  hops: Hop[]
  expected_mtu?: number
}

/** The scenario catalog (`GET /v1/scenarios`): each scenario's traffic path, hop by hop. */
export const pathsPage: Page = {
  id: 'paths',
  title: 'Traffic paths',
  render: async (root) => {
    const status = statusLine('loading', 'Fetching the scenario catalog (/v1/scenarios)…')
    root.replaceChildren(
      h('h2', {}, 'Traffic paths'),
      h(
        'p',
        { class: 'about' },
        'What a packet crosses in each scenario, client to server: the hops that explain a difference. From ',
        h('code', {}, 'schemas/scenario-catalog.json'),
        ' (extend it with netlake start --scenarios FILE).',
      ),
      status,
    )
    try {
      const response = await apiGet('/v1/scenarios')
      if (!response.ok) throw new Error(`GET /v1/scenarios answered ${response.status}`)
      const { scenarios } = (await response.json()) as { scenarios: Scenario[] }
      status.replaceWith(statusLine('ok', `${scenarios.length} scenarios`))
      for (const scenario of scenarios) root.append(scenarioSection(scenario))
    } catch (error) {
      status.replaceWith(h('pre', { class: 'error', role: 'alert' }, errorText(error)))
    }
  },
}

function scenarioSection(scenario: Scenario): HTMLElement {
  const hops = h(
    'ol',
    { class: 'hops' },
    ...scenario.hops.map((hop) =>
      h(
        'li',
        { 'data-kind': hop.kind },
        h('b', {}, hop.kind),
        ` ${hop.name}`,
        hop.node ? ` @${hop.node}` : '',
        detail(hop),
      ),
    ),
  )
  return h(
    'section',
    { class: 'scenario', 'data-scenario': scenario.id },
    h('h3', {}, `${scenario.id} · ${scenario.platform}`),
    h('p', {}, scenario.description),
    hops,
  )
}

function detail(hop: Hop): string {
  const parts = [
    hop.vni !== undefined ? `VNI ${hop.vni}` : '',
    hop.udp_port !== undefined ? `UDP ${hop.udp_port}` : '',
    hop.mtu !== undefined ? `MTU ${hop.mtu}` : '',
  ].filter(Boolean)
  return parts.length ? ` (${parts.join(', ')})` : ''
}
