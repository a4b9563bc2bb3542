import type { RawDocument } from './extract-documents.ts'
import { parseIperf3Version } from './iperf3-version.ts'
import type { Iperf3Version } from './iperf3-version.ts'
import { Iperf3FormatError, arrAt, flag, objAt, str } from './read-fields.ts'
import type { FieldSink, Obj } from './read-fields.ts'
import { Iperf3DocumentSchema } from '#schemas/raw/iperf3.ts'
import type { z } from 'zod'

/** What every part of the normalizer needs to know about one iperf3 document. */
export interface DocumentContext {
  doc: Obj
  start: Obj | null
  testStart: Obj | null
  end: Obj | null
  version: Iperf3Version | null
  role: 'client' | 'server' | null
  protocol: 'tcp' | 'udp' | 'sctp' | null
  reverse: boolean
  bidir: boolean
  /** Repeated keys per object (3.7–3.10 `--bidir`), else null. */
  duplicates: WeakMap<object, Record<string, unknown[]>> | null
  /** socket → 0-based stream index in `start.connected` order. */
  streamIndex: Map<number, number>
  sink: FieldSink
}

/**
 * Checks that the object is iperf3 output and reads the test settings that decide how the rest
 * is read. Throws `Iperf3FormatError` ('not-iperf3', 'wrong-type') for what cannot be read.
 */
export function documentContext(raw: RawDocument, sink: FieldSink): DocumentContext {
  const doc = raw.value
  if (!('start' in doc)) {
    throw new Iperf3FormatError(
      'not-iperf3',
      'JSON object has no "start" key: not iperf3 -J output',
      'start',
    )
  }
  const shape = Iperf3DocumentSchema.safeParse(doc, { reportInput: true })
  if (!shape.success) throw formatErrorOf(shape.error.issues[0])
  if (!('end' in doc) && !('intervals' in doc) && !('error' in doc)) {
    throw new Iperf3FormatError(
      'not-iperf3',
      'JSON object has "start" but no "end", "intervals" or "error" key: not iperf3 -J output',
      'end',
    )
  }
  const start = objAt(doc, 'start', '')
  const testStart = objAt(start, 'test_start', 'start')
  const end = objAt(doc, 'end', '')
  arrAt(doc, 'intervals', '')
  const role = objAt(start, 'connecting_to', 'start')
    ? 'client'
    : objAt(start, 'accepted_connection', 'start')
      ? 'server'
      : null
  const protocolText = str(testStart, 'protocol', 'start.test_start')?.toLowerCase() ?? null
  const protocol =
    protocolText === 'tcp' || protocolText === 'udp' || protocolText === 'sctp'
      ? protocolText
      : null
  const duplicates = raw.duplicates
  return {
    doc,
    start,
    testStart,
    end,
    version: parseIperf3Version(str(start, 'version', 'start')),
    role,
    protocol,
    reverse: flag(testStart, 'reverse') === true,
    bidir: isBidir(doc, testStart, end, duplicates),
    duplicates,
    streamIndex: streamIndexes(start),
    sink,
  }
}

function isBidir(
  doc: Obj,
  testStart: Obj | null,
  end: Obj | null,
  dups: DocumentContext['duplicates'],
): boolean {
  if (flag(testStart, 'bidir') === true) return true
  if (end && ('sum_sent_bidir_reverse' in end || 'sum_received_bidir_reverse' in end)) return true
  const intervals = doc.intervals
  const first = Array.isArray(intervals) ? (intervals[0] as Obj | undefined) : undefined
  if (first && typeof first === 'object' && 'sum_bidir_reverse' in first) return true
  if (dups !== null) {
    if (end && dups.get(end)?.sum_received) return true
    if (first && typeof first === 'object' && dups.get(first)?.sum) return true
  }
  return false
}

/** `start.connected` (an object in 3.0.1, an array since 3.0.2) → socket → stream index. */
function streamIndexes(start: Obj | null): Map<number, number> {
  const map = new Map<number, number>()
  const connected = start?.connected
  const list = Array.isArray(connected)
    ? connected
    : connected && typeof connected === 'object'
      ? [connected]
      : []
  for (const c of list) {
    const socket = c && typeof c === 'object' ? (c as Obj).socket : undefined
    if (typeof socket === 'number' && !map.has(socket)) map.set(socket, map.size)
  }
  return map
}

/** Stream index of a socket; unknown sockets get the next free index. */
export function streamOf(ctx: DocumentContext, socket: number | null, position: number): number {
  if (socket === null) return position
  let index = ctx.streamIndex.get(socket)
  if (index === undefined) {
    index = ctx.streamIndex.size
    ctx.streamIndex.set(socket, index)
  }
  return index
}

/**
 * Flow direction of an object whose `sender` flag says whether the local side sent: the client
 * sending (or the server receiving) is 'forward', client to server. Without the flag (< 3.7) the
 * run's own direction applies.
 */
export function flowDirection(
  ctx: DocumentContext,
  localSends: boolean | null,
): 'forward' | 'reverse' {
  if (localSends === null) return ctx.reverse ? 'reverse' : 'forward'
  const server = ctx.role === 'server'
  return localSends !== server ? 'forward' : 'reverse'
}

/** Every value of `o[key]`, including repeated keys kept by the tolerant parser. */
export function allValues(ctx: DocumentContext, o: Obj | null, key: string): unknown[] {
  if (o === null) return []
  const dups = ctx.duplicates?.get(o)?.[key]
  if (dups) return dups
  return o[key] === undefined ? [] : [o[key]]
}

/** A schema issue → the rejection the normalizer reports, naming the JSON path. */
function formatErrorOf(issue: z.core.$ZodIssue): Iperf3FormatError {
  const path = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('')
  const input = (issue as { input?: unknown }).input
  if (issue.code === 'invalid_type' && issue.expected === 'number' && typeof input === 'string') {
    return new Iperf3FormatError(
      'number-as-string',
      `${path} is the string ${JSON.stringify(input.slice(0, 40))}, expected a number`,
      path,
    )
  }
  const got = Array.isArray(input) ? 'an array' : input === null ? 'null' : `a ${typeof input}`
  return new Iperf3FormatError(
    'wrong-type',
    `${path} is ${got}, expected ${issue.code === 'invalid_type' ? `${issue.expected === 'object' || issue.expected === 'array' ? 'an' : 'a'} ${issue.expected}` : issue.message.replace(/^expected /, '')}`,
    path,
  )
}
