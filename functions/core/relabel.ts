import { LabelsSchema } from '#schemas/labels.ts'
import type { Labels } from '#schemas/labels.ts'
import { LABEL_NAMES } from '#schemas/repair.ts'
import type { RelabelRequest } from '#schemas/repair.ts'

/** The labels after a relabel, or the first field that is wrong. */
export type LabelChange =
  { ok: true; labels: Labels; changed: boolean } | { ok: false; field: string; message: string }

const REQUIRED = new Set(['platform', 'scenario'])

/**
 * Applies `set` then `unset` to stored labels and checks the result with the upload schema (so a
 * relabel cannot store what an upload could not). `platform` and `scenario` cannot be unset.
 * Pure; `changed` is false when the result equals the stored labels.
 */
export function applyLabelChange(stored: Labels, change: RelabelRequest): LabelChange {
  const known = new Set<string>(LABEL_NAMES)
  for (const name of [...Object.keys(change.set), ...change.unset]) {
    if (!known.has(name))
      return {
        ok: false,
        field: `labels.${name}`,
        message: `'${name}' is not a label (known: ${LABEL_NAMES.join(', ')})`,
      }
  }
  for (const name of change.unset) {
    if (REQUIRED.has(name))
      return {
        ok: false,
        field: `unset.${name}`,
        message: `'${name}' is required; set another value instead`,
      }
    if (name in change.set)
      return { ok: false, field: `unset.${name}`, message: `'${name}' is both set and unset` }
  }
  const next: Record<string, unknown> = { ...stored, ...change.set }
  for (const name of change.unset) delete next[name]
  const parsed = LabelsSchema.safeParse(next)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return { ok: false, field: `labels.${issue.path.join('.')}`, message: issue.message }
  }
  return { ok: true, labels: parsed.data, changed: canonical(parsed.data) !== canonical(stored) }
}

function canonical(labels: Labels): string {
  const sort = (value: unknown): unknown =>
    value && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value as Record<string, unknown>)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => [k, sort(v)]),
        )
      : value
  return JSON.stringify(sort(labels))
}
