/**
 * An iterative JSON reader for tool output that `JSON.parse` refuses or flattens:
 * - keeps duplicate keys (iperf3 3.7–3.10 `--bidir` prints two `sum` keys in one object): the last
 *   value stays on the object like `JSON.parse`, every value is listed in `duplicates`;
 * - reads the C printf tokens `nan`, `-nan`, `inf`, `-inf` (and `NaN`, `Infinity`) as null and
 *   reports their JSON path;
 * - never recurses (explicit stack) and refuses nesting deeper than `maxDepth`;
 * - reads one value starting at an offset and says where it ended, so callers can read several
 *   documents back to back with text in between.
 */

/** A value read from the text, with what `JSON.parse` would have lost. */
export interface TolerantValue {
  value: unknown
  /** Offset just after the value. */
  end: number
  /** Objects that had repeated keys → key → every value in document order. */
  duplicates: WeakMap<object, Record<string, unknown[]>>
  /** True when at least one duplicate key was seen. */
  hasDuplicates: boolean
  /** JSON paths and offsets of non-finite tokens replaced by null. */
  nonFinite: Array<{ path: string; offset: number; token: string }>
}

/** Why the text is not JSON, and where. */
export interface TolerantJsonError {
  code: 'truncated-json' | 'invalid-json' | 'too-deep'
  message: string
  offset: number
  path: string
}

export type TolerantResult =
  { ok: true; result: TolerantValue } | { ok: false; error: TolerantJsonError }

/** Deepest nesting accepted; iperf3 output is at most 6 levels deep. */
export const MAX_JSON_DEPTH = 64

interface Frame {
  container: Record<string, unknown> | unknown[]
  isArray: boolean
  key: string
  seen: Set<string> | null
}

const NON_FINITE = /^-?(?:nan|inf(?:inity)?|NaN|Infinity)/
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

/** Reads one JSON value starting at `start` (leading whitespace allowed). */
export function readTolerantJson(
  text: string,
  start = 0,
  maxDepth = MAX_JSON_DEPTH,
): TolerantResult {
  const stack: Frame[] = []
  const duplicates = new WeakMap<object, Record<string, unknown[]>>()
  const nonFinite: TolerantValue['nonFinite'] = []
  let hasDuplicates = false
  let i = start
  const n = text.length

  const pathOf = (): string => {
    let path = ''
    for (const frame of stack) {
      if (frame.isArray) path += `[${(frame.container as unknown[]).length}]`
      else path += path === '' ? frame.key : `.${frame.key}`
    }
    return path
  }
  const fail = (
    code: TolerantJsonError['code'],
    message: string,
    offset: number,
  ): TolerantResult => {
    const path = pathOf()
    const where = path ? ` at ${path}` : ''
    return {
      ok: false,
      error: { code, message: `${message}${where} (offset ${offset})`, offset, path },
    }
  }
  const skipWs = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i)
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++
      else break
    }
  }
  const readString = (): string | null => {
    const open = i
    i++
    let escaped = false
    while (i < n) {
      const c = text.charCodeAt(i)
      if (c === 0x22) {
        i++
        const raw = text.slice(open, i)
        if (!escaped) return raw.slice(1, -1)
        try {
          return JSON.parse(raw) as string
        } catch {
          return raw.slice(1, -1)
        }
      }
      if (c === 0x5c) {
        escaped = true
        i += 2
      } else i++
    }
    return null
  }

  for (;;) {
    // Expect a value.
    skipWs()
    if (i >= n) return fail('truncated-json', 'JSON ended where a value was expected', n)
    let value: unknown
    const c = text[i]
    if (c === '{' || c === '[') {
      if (stack.length >= maxDepth)
        return fail('too-deep', `JSON nests deeper than ${maxDepth} levels`, i)
      const isArray = c === '['
      stack.push({
        container: isArray ? [] : {},
        isArray,
        key: '',
        seen: isArray ? null : new Set(),
      })
      i++
      skipWs()
      if (i >= n) return fail('truncated-json', 'JSON ended inside an unclosed container', n)
      const close = text[i]
      if ((isArray && close === ']') || (!isArray && close === '}')) {
        i++
        value = stack.pop()!.container
      } else if (isArray) {
        continue
      } else {
        const keyError = readKey()
        if (keyError) return keyError
        continue
      }
    } else if (c === '"') {
      const s = readString()
      if (s === null) return fail('truncated-json', 'JSON ended inside a string', n)
      value = s
    } else if (c === 't' && text.startsWith('true', i)) {
      value = true
      i += 4
    } else if (c === 'f' && text.startsWith('false', i)) {
      value = false
      i += 5
    } else if (c === 'n' && text.startsWith('null', i)) {
      value = null
      i += 4
    } else {
      NUMBER.lastIndex = i
      const m = NUMBER.exec(text)
      const nf = NON_FINITE.exec(text.slice(i, i + 9))
      if (m && (!nf || m[0].length >= nf[0].length)) {
        value = Number(m[0])
        i += m[0].length
        // `1.` or `2e` at the very end: the number was cut, not malformed.
        const cut = i >= n || (/^[.eE+-]*$/.test(text.slice(i)) && i < n)
        if (cut && stack.length > 0) return fail('truncated-json', 'JSON ended inside a number', n)
      } else if (nf) {
        nonFinite.push({ path: pathOf(), offset: i, token: nf[0] })
        value = null
        i += nf[0].length
      } else if (i >= n || text.slice(i) === '-') {
        return fail('truncated-json', 'JSON ended where a value was expected', n)
      } else {
        return fail('invalid-json', `unexpected character ${JSON.stringify(text[i])}`, i)
      }
    }

    // Store the value and close finished containers.
    for (;;) {
      const top = stack[stack.length - 1]
      if (!top) {
        return { ok: true, result: { value, end: i, duplicates, hasDuplicates, nonFinite } }
      }
      if (top.isArray) (top.container as unknown[]).push(value)
      else store(top, value)
      skipWs()
      if (i >= n) return fail('truncated-json', 'JSON ended inside an unclosed container', n)
      const sep = text[i]
      if (sep === ',') {
        i++
        if (!top.isArray) {
          skipWs()
          const keyError = readKey()
          if (keyError) return keyError
        }
        break
      }
      if ((top.isArray && sep === ']') || (!top.isArray && sep === '}')) {
        i++
        value = stack.pop()!.container
        continue
      }
      return fail(
        'invalid-json',
        `expected ',' or '${top.isArray ? ']' : '}'}' but found ${JSON.stringify(sep)}`,
        i,
      )
    }
  }

  function readKey(): TolerantResult | null {
    const top = stack[stack.length - 1]
    if (i >= n) return fail('truncated-json', 'JSON ended where a key was expected', n)
    if (text[i] !== '"')
      return fail('invalid-json', `expected a quoted key but found ${JSON.stringify(text[i])}`, i)
    const key = readString()
    if (key === null) return fail('truncated-json', 'JSON ended inside a key', n)
    skipWs()
    if (i >= n) return fail('truncated-json', "JSON ended where ':' was expected", n)
    if (text[i] !== ':') return fail('invalid-json', `expected ':' after key "${key}"`, i)
    i++
    top.key = key
    return null
  }

  function store(frame: Frame, value: unknown): void {
    const obj = frame.container as Record<string, unknown>
    const key = frame.key
    if (frame.seen!.has(key)) {
      hasDuplicates = true
      let dups = duplicates.get(obj)
      if (!dups) {
        dups = Object.create(null) as Record<string, unknown[]>
        duplicates.set(obj, dups)
      }
      if (!dups[key]) dups[key] = [obj[key]]
      dups[key].push(value)
    } else frame.seen!.add(key)
    if (key === '__proto__')
      Object.defineProperty(obj, key, { value, enumerable: true, writable: true })
    else obj[key] = value
  }
}
