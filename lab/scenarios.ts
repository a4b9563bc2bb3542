import type { ScenarioFactory } from './lab-scenario.ts'
import { buildBaseline } from './scenarios-baremetal.ts'
import { buildKvS1, buildKvS2 } from './scenarios-kubevirt.ts'
import { buildOsS1, buildOsS2a, buildOsS2b, buildOsS3, buildOsS4 } from './scenarios-openstack.ts'

/** The lab's scenarios (DESIGN.md §4), in display order. */
export const LAB_SCENARIOS: Record<string, ScenarioFactory> = {
  baseline: buildBaseline,
  'os-s3': buildOsS3,
  'os-s1': buildOsS1,
  'os-s2a': buildOsS2a,
  'os-s2b': buildOsS2b,
  'os-s4': buildOsS4,
  'kv-s1': buildKvS1,
  'kv-s2': buildKvS2,
}

/** Scenario ids from arguments (`all` or none means every scenario); unknown ids are returned as errors. */
export function selectScenarios(args: readonly string[]): { ids: string[]; unknown: string[] } {
  if (args.length === 0 || args.includes('all'))
    return { ids: Object.keys(LAB_SCENARIOS), unknown: [] }
  const unknown = args.filter((a) => !(a in LAB_SCENARIOS))
  return { ids: [...new Set(args.filter((a) => a in LAB_SCENARIOS))], unknown }
}
