import { LabelsSchema } from '#schemas/labels.ts'
import type { Labels } from '#schemas/labels.ts'
import { checkPlatform } from '#core/check-platform.ts'
import { ApiError } from './errors.ts'
import { validationError } from './contract.ts'

const SIMPLE = [
  'platform',
  'scenario',
  'campaign',
  'hardware_profile',
  'nic_speed_bps',
  'link_mtu',
  'mtu',
  'collector_id',
  'collected_at',
  'repetition',
] as const
const ENDPOINT = /^(source|destination)_(host|node|vm)$/
const HEADER_PREFIX = 'x-netlake-'

/**
 * Labels of a bare raw upload, from query parameters (`?platform=openstack&source_host=a`) or
 * `X-Netlake-<label>` headers; `software.<key>=value` fills the software map. Unknown names are
 * refused, so a typo never silently drops a label.
 */
export function labelsFromRequest(query: Record<string, string>, headers: Headers): Labels {
  const flat: Record<string, string> = {}
  headers.forEach((value, name) => {
    if (name.startsWith(HEADER_PREFIX) && name !== 'x-netlake-tool')
      flat[name.slice(HEADER_PREFIX.length).replaceAll('-', '_')] = value
  })
  for (const [name, value] of Object.entries(query)) if (name !== 'tool') flat[name] = value
  const labels: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(flat)) {
    if ((SIMPLE as readonly string[]).includes(name)) labels[name] = value
    else if (ENDPOINT.test(name)) {
      const [, side, part] = ENDPOINT.exec(name) as RegExpExecArray
      labels[side] = { ...(labels[side] as object), [part]: value }
    } else if (name.startsWith('software.') || name.startsWith('software_')) {
      labels.software = { ...(labels.software as object), [name.slice(9)]: value }
    } else throw new ApiError(422, 'validation', `unknown label '${name}'`, { field: name })
  }
  return validateLabels(labels)
}

/** Whether the request carries labels of its own (query parameters or X-Netlake-* headers). */
export function hasRequestLabels(query: Record<string, string>, headers: Headers): boolean {
  if (Object.keys(query).some((name) => name !== 'tool')) return true
  let found = false
  headers.forEach((_value, name) => {
    if (name.startsWith(HEADER_PREFIX) && name !== 'x-netlake-tool') found = true
  })
  return found
}

/** Validates labels, naming the first offending field (`labels.mtu`). */
export function validateLabels(input: unknown): Labels {
  const parsed = LabelsSchema.safeParse(input)
  if (parsed.success) return parsed.data
  throw validationError(
    'json',
    parsed.error.issues.map((issue) => ({ ...issue, path: ['labels', ...issue.path] })),
  )
}

/** 422 unless `platform` is known or declared by the deployment, with a "did you mean" for a near miss. */
export function requireKnownPlatform(
  labels: Labels,
  declared: readonly string[] | undefined,
): void {
  const problem = checkPlatform(labels.platform, declared)
  if (problem)
    throw new ApiError(422, 'validation', `labels.platform: ${problem}`, {
      field: 'labels.platform',
    })
}
