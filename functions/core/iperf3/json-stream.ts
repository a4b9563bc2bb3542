import type { ParseWarning } from '#schemas/parse-result.ts'
import { readTolerantJson } from '#core/json/tolerant-json.ts'
import type { Extracted, RawDocument } from './extract-documents.ts'
import { nonFiniteWarnings } from './non-finite-warnings.ts'
import type { Obj } from './read-fields.ts'

/**
 * `--json-stream` (iperf3 3.17+): one compact `{"event": ..., "data": ...}` object per line. Events
 * are reassembled into the `-J` document shape; a new `start` after an `end` begins a new test.
 * A test without `end` is kept as a document marked incomplete (it becomes a run with status
 * 'error'); events before any `start` make the whole stream a rejection ('incomplete-stream'),
 * because without `start` the run cannot be identified.
 */
export function readJsonStream(text: string): Extracted {
  const documents: RawDocument[] = []
  const warnings: ParseWarning[] = []
  let current: RawDocument | null = null
  let offset = 0
  const finish = (): void => {
    if (current === null) return
    if (current.value.end === undefined) current.incomplete = 'the json-stream has no end event'
    documents.push(current)
    current = null
  }
  while (offset < text.length) {
    let eol = text.indexOf('\n', offset)
    if (eol === -1) eol = text.length
    const line = text.slice(offset, eol).trim()
    const lineOffset = offset
    offset = eol + 1
    if (line === '') continue
    const event = line.startsWith('{') ? parseLine(line) : null
    if (event === null || typeof event.value.event !== 'string') {
      const excerpt = JSON.stringify(line.slice(0, 120))
      warnings.push({
        code: 'text-outside-json',
        message: `json-stream line is not an event: ${excerpt}`,
        offset: lineOffset,
      })
      continue
    }
    const name = event.value.event
    const data = event.value.data
    if (name === 'start') {
      finish()
      current = {
        value: { start: data, intervals: [] },
        duplicates: null,
        offset: lineOffset,
        incomplete: null,
        warnings: [],
      }
      current.warnings.push(...event.warnings)
      continue
    }
    if (current === null) {
      return {
        ok: false,
        error: {
          code: 'incomplete-stream',
          message: `json-stream event "${name}" at offset ${lineOffset} comes before any "start" event; the stream is incomplete`,
          offset: lineOffset,
        },
      }
    }
    const doc: RawDocument = current
    doc.warnings.push(...event.warnings)
    if (name === 'interval') (doc.value.intervals as unknown[]).push(data)
    else if (name === 'end') {
      doc.value.end = data
      finish()
    } else if (name === 'error' || name === 'server_output_json' || name === 'server_output_text') {
      doc.value[name] = data
    } else {
      warnings.push({
        code: 'unknown-event',
        message: `json-stream event "${name}" is not known; ignored`,
        offset: lineOffset,
      })
    }
  }
  finish()
  if (documents.length === 0) {
    return {
      ok: false,
      error: { code: 'incomplete-stream', message: 'json-stream has no "start" event' },
    }
  }
  return { ok: true, documents, toolErrors: [], warnings }
}

function parseLine(line: string): { value: Obj; warnings: ParseWarning[] } | null {
  try {
    const v = JSON.parse(line) as unknown
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? { value: v as Obj, warnings: [] }
      : null
  } catch {
    const read = readTolerantJson(line)
    if (!read.ok || read.result.value === null || typeof read.result.value !== 'object') return null
    return { value: read.result.value as Obj, warnings: nonFiniteWarnings(read.result) }
  }
}
