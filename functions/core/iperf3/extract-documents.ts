import type { ParseWarning, Rejection } from '#schemas/parse-result.ts'
import { readTolerantJson } from '#core/json/tolerant-json.ts'
import { parseIperf3Version, versionBetween } from './iperf3-version.ts'
import { readJsonStream } from './json-stream.ts'
import { nonFiniteWarnings } from './non-finite-warnings.ts'
import type { Obj } from './read-fields.ts'

/** One iperf3 document (a `-J` object, or one test assembled from `--json-stream` events). */
export interface RawDocument {
  value: Obj
  /** Repeated keys per object (3.7–3.10 `--bidir`), when the slow parser read the document. */
  duplicates: WeakMap<object, Record<string, unknown[]>> | null
  /** Offset of the document in the text. */
  offset: number
  /** Set when a `--json-stream` test has no `end` event: why it is incomplete. */
  incomplete: string | null
  /** Warnings found while reading this document (document_index is stamped later). */
  warnings: ParseWarning[]
}

/** What the text holds: documents, or only an `iperf3: ... error - ...` line, or nothing usable. */
export type Extracted =
  | { ok: true; documents: RawDocument[]; toolErrors: string[]; warnings: ParseWarning[] }
  | { ok: false; error: Rejection }

const STREAM_LINE = /^\s*\{\s*"event"\s*:/
const TOOL_ERROR = /^iperf3?:\s.*?error\s*-\s*(.*)$/

/**
 * Splits raw text into iperf3 documents. The common case (one clean document) takes one
 * `JSON.parse`; anything else (text around the JSON, several documents back to back, `nan`
 * tokens, 3.7–3.10 duplicate keys) goes through the tolerant reader.
 */
export function extractDocuments(text: string): Extracted {
  const first = firstNonSpace(text)
  if (first !== -1 && text[first] === '{' && STREAM_LINE.test(text.slice(first, first + 64))) {
    return readJsonStream(text)
  }
  if (
    first !== -1 &&
    (text[first] === '{' || text[first] === '[') &&
    text.trimEnd().endsWith(text[first] === '{' ? '}' : ']')
  ) {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }
    if (parsed !== undefined) {
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        return notObject(parsed, first)
      const doc = parsed as Obj
      if (!needsDuplicateKeys(doc)) {
        const only = { value: doc, duplicates: null, offset: first, incomplete: null, warnings: [] }
        return { ok: true, documents: [only], toolErrors: [], warnings: [] }
      }
    }
  }
  return scanDocuments(text)
}

/** The slow path: documents back to back, text between them, tolerant number tokens. */
function scanDocuments(text: string): Extracted {
  const documents: RawDocument[] = []
  const warnings: ParseWarning[] = []
  const toolErrors: string[] = []
  let i = 0
  let textStart = -1
  let textLines = 0
  const flushText = (): void => {
    if (textStart === -1) return
    const where = documents.length === 0 ? 'before the JSON' : 'after a JSON document'
    const excerpt = text.slice(textStart, textStart + 120).split('\n')[0]
    warnings.push({
      code: 'text-outside-json',
      message: `${textLines} line(s) of text ${where}, starting ${JSON.stringify(excerpt)}`,
      offset: textStart,
    })
    textStart = -1
    textLines = 0
  }
  while (i < text.length) {
    const start = firstNonSpace(text, i)
    if (start === -1) break
    const c = text[start]
    if (c === '{' || c === '[') {
      const read = readTolerantJson(text, start)
      if (read.ok && c === '{') {
        flushText()
        const result = read.result
        documents.push({
          value: result.value as Obj,
          duplicates: result.hasDuplicates ? result.duplicates : null,
          offset: start,
          incomplete: null,
          warnings: nonFiniteWarnings(result),
        })
        i = result.end
        continue
      }
      // `[` starts a JSON array only if it is the whole input; else it is text like "[  5] local ...".
      if (read.ok && firstNonSpace(text, read.result.end) === -1 && documents.length === 0) {
        return notObject(read.result.value, start)
      }
      if (!read.ok && c === '{') {
        return {
          ok: false,
          error: {
            code: read.error.code,
            message: read.error.message,
            offset: read.error.offset,
            path: read.error.path,
          },
        }
      }
    }
    // A line of text.
    const eol = text.indexOf('\n', start)
    const line = text.slice(start, eol === -1 ? text.length : eol).trimEnd()
    // Stray bytes glued to the opening brace (a terminal's `ESC[F{`): the document starts mid-line.
    const brace = c === '{' ? -1 : line.indexOf('{')
    if (brace > 0) {
      const read = readTolerantJson(text, start + brace)
      if (read.ok) {
        flushText()
        warnings.push({
          code: 'stray-bytes-before-json',
          message: `${brace} byte(s) before the opening brace on its line ignored: ${JSON.stringify(line.slice(0, Math.min(brace, 40)))}`,
          offset: start,
        })
        const result = read.result
        documents.push({
          value: result.value as Obj,
          duplicates: result.hasDuplicates ? result.duplicates : null,
          offset: start + brace,
          incomplete: null,
          warnings: nonFiniteWarnings(result),
        })
        i = result.end
        continue
      }
    }
    if (textStart === -1) textStart = start
    textLines++
    const m = TOOL_ERROR.exec(line)
    if (m) {
      toolErrors.push(m[1].trim())
      warnings.push({
        code: 'tool-error-text',
        message: `iperf3 printed an error outside the JSON: ${line}`,
        offset: start,
      })
    }
    i = eol === -1 ? text.length : eol + 1
  }
  flushText()
  if (documents.length === 0 && toolErrors.length === 0) {
    return {
      ok: false,
      error: {
        code: 'no-json',
        message: 'no JSON object found: iperf3 output must come from -J or --json-stream',
      },
    }
  }
  return { ok: true, documents, toolErrors, warnings }
}

/** iperf3 3.7–3.10 `--bidir` prints duplicate `sum`/`sum_sent`/`sum_received` keys. */
function needsDuplicateKeys(doc: Obj): boolean {
  const start = doc.start as Obj | undefined
  if (!start || typeof start !== 'object') return false
  const version = parseIperf3Version(typeof start.version === 'string' ? start.version : null)
  if (!versionBetween(version, 7, 10)) return false
  const connected = Array.isArray(start.connected) ? start.connected.length : 0
  const testStart = start.test_start as Obj | undefined
  const streams = testStart && typeof testStart.num_streams === 'number' ? testStart.num_streams : 0
  if (streams > 0 && connected === 2 * streams) return true
  const end = doc.end as Obj | undefined
  const endStreams = end && Array.isArray(end.streams) ? end.streams : []
  let sawSender = false
  let sawReceiver = false
  for (const s of endStreams) {
    const sender = (s as Obj)?.sender as Obj | undefined
    if (sender?.sender === true) sawSender = true
    if (sender?.sender === false) sawReceiver = true
  }
  return sawSender && sawReceiver
}

function notObject(value: unknown, offset: number): Extracted {
  const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`
  return {
    ok: false,
    error: {
      code: 'not-object',
      message: `top-level JSON value at offset ${offset} is ${kind}; iperf3 prints an object`,
      offset,
    },
  }
}

function firstNonSpace(text: string, from = 0): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i
  }
  return -1
}
