import { LabelsSchema, type Labels } from '#schemas/labels.ts'
import { NetlakeError } from '#core/errors.ts'

/** Loose label input before validation: flags, YAML and collector metadata merge into this. */
export type LabelInput = Record<string, unknown>

const NESTED = new Set(['software', 'source', 'destination'])

/** Thrown for label input that cannot even be read (bad `k=v`, bad YAML); names the culprit. */
export class LabelInputError extends NetlakeError {
  constructor(message: string) {
    super(message)
  }
}

/**
 * `k=v` flags → label input. Nested maps use a dot: `software.kernel=6.1`, `source.host=a`.
 * Later flags win over earlier ones.
 */
export function parseLabelFlags(pairs: readonly string[]): LabelInput {
  const out: LabelInput = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new LabelInputError(`--label '${pair}' is not k=v`)
    const key = pair.slice(0, eq).trim()
    const value = pair.slice(eq + 1)
    const dot = key.indexOf('.')
    if (dot > 0 && NESTED.has(key.slice(0, dot))) {
      const group = key.slice(0, dot)
      const inner = (out[group] ?? {}) as Record<string, unknown>
      inner[key.slice(dot + 1)] = value
      out[group] = inner
    } else {
      out[key] = value
    }
  }
  return out
}

/**
 * A YAML labels file → label input (a mapping at the top level); `file` is used in errors.
 * `parseYaml` is the `yaml` package's `parse`, passed in so commands load it only for --labels.
 */
export function parseLabelsYaml(
  text: string,
  file: string,
  parseYaml: (text: string) => unknown,
): LabelInput {
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch (error) {
    throw new LabelInputError(
      `${file}: not valid YAML (${(error as Error).message.split('\n')[0]})`,
    )
  }
  if (doc === null || doc === undefined) return {}
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new LabelInputError(`${file}: expected a mapping of labels at the top level`)
  return stringifyLeaves(doc as LabelInput)
}

/** YAML reads `kernel: 6.1` as a number; the software map wants strings. */
function stringifyLeaves(input: LabelInput): LabelInput {
  const out: LabelInput = { ...input }
  for (const group of NESTED) {
    const value = out[group]
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      out[group] = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k,
          typeof v === 'number' || typeof v === 'boolean' ? String(v) : v,
        ]),
      )
    }
  }
  return out
}

/** Merges layers left to right (later wins); nested maps merge key by key. */
export function mergeLabels(...layers: readonly LabelInput[]): LabelInput {
  const out: LabelInput = {}
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue
      const prev = out[key]
      out[key] = NESTED.has(key) && isMap(prev) && isMap(value) ? { ...prev, ...value } : value
    }
  }
  return out
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Label input → validated labels, or one message per problem naming the field. */
export function validateLabels(
  input: LabelInput,
): { ok: true; labels: Labels } | { ok: false; errors: string[] } {
  const parsed = LabelsSchema.safeParse(input)
  if (parsed.success) return { ok: true, labels: parsed.data }
  const errors = parsed.error.issues.map((issue) => {
    const field = issue.path.join('.')
    if (issue.code === 'unrecognized_keys')
      return `unknown label(s) ${issue.keys.map((k) => `'${field ? `${field}.` : ''}${k}'`).join(', ')}`
    const value = issue.path.reduce<unknown>(
      (v, k) => (isMap(v) ? v[k as string] : undefined),
      input,
    )
    if (value === undefined)
      return `missing required label '${field}' (give --label ${field}=... or put it in --labels FILE)`
    return `label '${field}': ${issue.message}`
  })
  return { ok: false, errors }
}
