import type { LabelInput } from './label-input.ts'

/**
 * A labels YAML may hold per-scenario overrides under `scenarios:` (e.g. the platform of each
 * scenario in a mixed campaign). Splits them from the labels common to every scenario. Pure.
 */
export function splitScenarioLabels(input: LabelInput): {
  common: LabelInput
  perScenario: Record<string, LabelInput>
} {
  const { scenarios, ...common } = input
  if (scenarios === undefined) return { common, perScenario: {} }
  if (typeof scenarios !== 'object' || scenarios === null || Array.isArray(scenarios)) {
    throw new TypeError("'scenarios' in a labels file must map scenario ids to labels")
  }
  return { common, perScenario: scenarios as Record<string, LabelInput> }
}
