import type { Tool } from '#schemas/labels.ts'

// A block header, then (after any `warning: ...` notices) a `name = value` line or an error line.
const QPERF_BLOCK =
  /^[a-z][a-z0-9_]*:[ \t]*\r?\n(?:warning:[^\n]*\n)*(?:[ \t]+[a-z][a-z0-9_]*[ \t]+=|[^\n]*(?:failed|could not|error))/im
const IPERF3_HINT = /^\s*(?:\{|iperf3?:|warning:|\S.*\r?\n\s*\{)/

/** Which tool printed this text, from content (never the file name); null when neither. */
export function detectTool(text: string): Tool | null {
  // A JSON object first is iperf3 (-J or --json-stream); only text needs the qperf grammar test.
  if (/^\s*\{/.test(text.slice(0, 256))) return 'iperf3'
  if (QPERF_BLOCK.test(text.slice(0, 4096))) return 'qperf'
  if (IPERF3_HINT.test(text) || text.includes('"start"') || text.includes('"event"'))
    return 'iperf3'
  return null
}
