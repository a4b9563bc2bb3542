import { z } from 'zod'
import { NetlakeError } from '#core/errors.ts'

/**
 * The scenario catalog (DESIGN.md §4): each scenario names its traffic path hop by hop, so a
 * comparison can say what differs between two scenarios. The built-in catalog is
 * `schemas/scenario-catalog.json`; users may pass their own file with the same shape.
 */

/** Kinds of hop a packet crosses. `other` is for anything not listed (say what in `note`). */
export const HopKindSchema = z.enum([
  'vm-nic',
  'tap',
  'veth',
  'linux-bridge',
  'ovs-bridge',
  'vxlan',
  'geneve',
  'router-namespace',
  'nat',
  'physical-nic',
  'pod-bridge',
  'pod-nic',
  'cni-bridge',
  'provider-bridge',
  'underlay',
  'external-host',
  'other',
])
export type HopKind = z.infer<typeof HopKindSchema>

/** One hop on the path, in traversal order from client to server. */
export const HopSchema = z
  .object({
    kind: HopKindSchema,
    name: z.string().min(1).max(128),
    node: z.string().min(1).max(128).optional(),
    vni: z.number().int().nonnegative().max(16_777_215).optional(),
    udp_port: z.number().int().positive().max(65_535).optional(),
    mtu: z.number().int().positive().max(65_535).optional(),
    note: z.string().max(256).optional(),
  })
  .strict()
export type Hop = z.infer<typeof HopSchema>

/** One scenario: an id (as used in the `scenario` label), its platform and its path. */
export const ScenarioSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only'),
    platform: z.string().min(1).max(64).describe('openstack | kubevirt | baremetal, or free text'),
    description: z.string().min(1).max(512),
    hops: z.array(HopSchema).min(1),
    encapsulation_overhead_bytes: z.number().int().nonnegative().max(1024),
    expected_mtu: z.number().int().positive().max(65_535),
  })
  .strict()
export type Scenario = z.infer<typeof ScenarioSchema>

/** A catalog file: `{ "scenarios": [...] }` with unique ids. */
export const ScenarioCatalogSchema = z
  .object({
    $schema: z.string().optional(),
    scenarios: z.array(ScenarioSchema),
  })
  .strict()
  .superRefine((catalog, ctx) => {
    const seen = new Set<string>()
    catalog.scenarios.forEach((scenario, index) => {
      if (seen.has(scenario.id)) {
        ctx.addIssue({
          code: 'custom',
          message: `duplicate scenario id '${scenario.id}'`,
          path: ['scenarios', index, 'id'],
        })
      }
      seen.add(scenario.id)
    })
  })
export type ScenarioCatalog = z.infer<typeof ScenarioCatalogSchema>

/** Thrown when a catalog file does not validate; `issues` lists what and where. */
export class ScenarioCatalogError extends NetlakeError {
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(message)
  }
}

/**
 * Validates the built-in catalog `json` and merges a user catalog `extra` (same shape,
 * `{ "scenarios": [...] }`) over it. When ids collide the user's scenario wins and replaces the
 * built-in one in place; new user scenarios are appended in their file order. Throws
 * `ScenarioCatalogError` naming the file ('catalog' or 'user catalog') and each invalid path.
 */
export function loadScenarioCatalog(json: unknown, extra?: unknown): ScenarioCatalog {
  const base = parseCatalog(json, 'catalog')
  if (extra === undefined) return base
  const user = parseCatalog(extra, 'user catalog')
  const overrides = new Map(user.scenarios.map((s) => [s.id, s]))
  const merged = base.scenarios.map((s) => overrides.get(s.id) ?? s)
  const known = new Set(base.scenarios.map((s) => s.id))
  for (const s of user.scenarios) if (!known.has(s.id)) merged.push(s)
  return { scenarios: merged }
}

function parseCatalog(json: unknown, what: string): ScenarioCatalog {
  const parsed = ScenarioCatalogSchema.safeParse(json)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
  throw new ScenarioCatalogError(`invalid ${what}: ${issues.join('; ')}`, issues)
}
