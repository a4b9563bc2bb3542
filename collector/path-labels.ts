import { NetlakeError } from '#core/errors.ts'
import { LabelsSchema } from '#schemas/labels.ts'
import type { LabelInput } from './label-input.ts'

/**
 * `--labels-from-path TEMPLATE`: labels read from where a result file lies.
 *
 * The template is matched against the file's path relative to the folder given to `push` (or to
 * the current directory for a file given by name), segment by segment, `/` separating them:
 * - `{name}` captures one or more characters of one segment as label `name` (a label of
 *   DESIGN.md §2, nested ones as `software.kernel`, `source.host`); a segment may mix literal
 *   text and several placeholders (`r{repetition}`, `{scenario}-{repetition}`); where the text
 *   between them occurs more than once, earlier placeholders take the longest part (scenario ids
 *   hold `-`: `os-s2a-12` is scenario `os-s2a`, repetition `12`);
 * - `*` alone is a segment that matches any one folder or file name, read as no label;
 * - anything else is literal text that must match exactly;
 * - a trailing `/` matches folders only: the file may lie at any depth below them
 *   (`{campaign}/r{repetition}/{scenario}/`); without it the last segment matches the file name.
 * Pure: no I/O.
 */
export interface PathTemplate {
  source: string
  /** The label names in template order. */
  names: string[]
  /** Labels of `relativePath` (`/`-separated), or why it does not match. */
  match(relativePath: string): { ok: true; labels: LabelInput } | { ok: false; reason: string }
}

/** A template that cannot be used (unknown label, a brace left open, ...); names what is wrong. */
export class PathTemplateError extends NetlakeError {
  constructor(message: string) {
    super(message)
  }
}

const NESTED = new Set(['software', 'source', 'destination'])
const TOP = new Set(Object.keys(LabelsSchema.shape))
const ENDPOINT_KEYS = new Set(['host', 'node', 'vm'])

function knownLabel(name: string): boolean {
  const dot = name.indexOf('.')
  if (dot < 0) return TOP.has(name) && !NESTED.has(name)
  const group = name.slice(0, dot)
  const key = name.slice(dot + 1)
  if (!NESTED.has(group) || !/^[A-Za-z0-9_-]+$/.test(key)) return false
  return group === 'software' || ENDPOINT_KEYS.has(key)
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Compiles a template; throws PathTemplateError naming the problem. */
export function compilePathTemplate(source: string): PathTemplate {
  const problem = (what: string) => new PathTemplateError(`--labels-from-path '${source}': ${what}`)
  const dirsOnly = source.endsWith('/')
  const segments = (dirsOnly ? source.slice(0, -1) : source).split('/')
  if (source.startsWith('/')) throw problem('must be relative (it is matched below the folder)')
  if (segments.some((s) => s === '')) throw problem('has an empty segment (two / in a row)')
  if (segments.some((s) => s === '.' || s === '..')) throw problem("may not contain '.' or '..'")
  const names: string[] = []
  const patterns = segments.map((segment) => {
    if (segment === '*') return { re: /^[^/]+$/, names: [] as string[], text: segment }
    const parts = segment.split(/(\{[^{}]*\})/)
    const own: string[] = []
    let re = ''
    let previousWasPlaceholder = false
    for (const part of parts) {
      if (part === '') continue
      if (part.startsWith('{') && part.endsWith('}')) {
        const name = part.slice(1, -1).trim()
        if (!name) throw problem(`'${segment}' has an empty {}`)
        if (!knownLabel(name))
          throw problem(
            `{${name}} is not a label (one of ${[...TOP].filter((k) => !NESTED.has(k)).join(', ')}, or software.X, source.host|node|vm, destination.host|node|vm)`,
          )
        if (names.includes(name)) throw problem(`{${name}} appears twice`)
        if (previousWasPlaceholder)
          throw problem(`'${segment}': two placeholders need literal text between them`)
        names.push(name)
        own.push(name)
        re += '([^/]+)'
        previousWasPlaceholder = true
      } else {
        if (part.includes('{') || part.includes('}'))
          throw problem(`'${segment}' has a stray brace`)
        if (part.includes('*')) throw problem(`'${segment}': * must be a whole segment`)
        re += escapeRegExp(part)
        previousWasPlaceholder = false
      }
    }
    return { re: new RegExp(`^${re}$`), names: own, text: segment }
  })
  if (names.length === 0) throw problem('has no {label} placeholder')

  return {
    source,
    names,
    match(relativePath) {
      const parts = relativePath.split('/').filter((p) => p !== '' && p !== '.')
      const usable = dirsOnly ? parts.slice(0, -1) : parts
      if (dirsOnly ? usable.length < patterns.length : usable.length !== patterns.length)
        return {
          ok: false,
          reason: `has ${dirsOnly ? `${usable.length} folder level(s)` : `${parts.length} segment(s)`}, the template '${source}' wants ${patterns.length}${dirsOnly ? ' (or more) folder levels above the file' : ''}`,
        }
      const labels: LabelInput = {}
      for (let i = 0; i < patterns.length; i++) {
        const m = patterns[i].re.exec(usable[i])
        if (!m)
          return {
            ok: false,
            reason: `'${usable[i]}' does not match '${patterns[i].text}' of the template '${source}'`,
          }
        patterns[i].names.forEach((name, k) => setLabel(labels, name, m[k + 1]))
      }
      return { ok: true, labels }
    },
  }
}

function setLabel(labels: LabelInput, name: string, value: string): void {
  const dot = name.indexOf('.')
  if (dot < 0) {
    labels[name] = value
    return
  }
  const group = name.slice(0, dot)
  labels[group] = { ...(labels[group] as Record<string, unknown>), [name.slice(dot + 1)]: value }
}

/** `campaign=c1 repetition=2 scenario=os-s1 software.kernel=6.1`: derived labels, for printing. */
export function formatPathLabels(labels: LabelInput): string {
  return Object.entries(labels)
    .flatMap(([k, v]) =>
      v && typeof v === 'object'
        ? Object.entries(v as Record<string, unknown>).map(([kk, vv]) => `${k}.${kk}=${vv}`)
        : [`${k}=${v}`],
    )
    .join(' ')
}

/** Label names given both by the template and by --label/--labels (a conflict, refused). */
export function overlappingLabels(template: PathTemplate, common: LabelInput): string[] {
  return template.names.filter((name) => {
    const dot = name.indexOf('.')
    if (dot < 0) return common[name] !== undefined
    const group = common[name.slice(0, dot)] as Record<string, unknown> | undefined
    return group?.[name.slice(dot + 1)] !== undefined
  })
}
