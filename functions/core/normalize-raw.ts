import type { Labels, Tool } from '#schemas/labels.ts'
import type { NormalizeResult, RawContext } from '#schemas/parse-result.ts'
import { decodeRaw } from './decode-raw.ts'
import { detectTool } from './detect-tool.ts'
import { normalizeIperf3 } from './iperf3/normalize-iperf3.ts'
import type { NormalizeOptions } from './iperf3/normalize-iperf3.ts'
import { normalizeQperf } from './qperf/normalize-qperf.ts'
import { applyLabels } from './apply-labels.ts'

export type { NormalizeOptions }

/** Everything the core needs to know about one raw object besides its bytes. */
export interface NormalizeContext extends RawContext {
  labels?: Labels
  /** The tool the uploader declared; content decides when absent. */
  tool?: Tool | null
  /** When the bytes were received (ISO); the partition date falls back to it. */
  received_at?: string | null
}

/**
 * Raw bytes → canonical rows, or a rejection naming what is wrong and where. Pure and total:
 * expected failures are returned, never thrown. `verdictOnly` (iperf3) checks everything but keeps
 * no interval rows or metrics (qperf output is small and always built whole).
 */
export function normalizeRaw(
  bytes: Uint8Array,
  context: NormalizeContext,
  options: NormalizeOptions = {},
): NormalizeResult {
  const decoded = decodeRaw(bytes)
  if (!decoded.ok) return decoded
  const tool = context.tool ?? detectTool(decoded.text)
  if (tool === null) {
    return {
      ok: false,
      error: {
        code: 'unrecognized',
        message: 'input is neither iperf3 JSON (-J / --json-stream) nor qperf text output',
      },
    }
  }
  const result =
    tool === 'iperf3'
      ? normalizeIperf3(decoded.text, context, options)
      : normalizeQperf(decoded.text, context)
  if (!result.ok) return result
  result.warnings.unshift(...decoded.warnings)
  return applyLabels(result, context.labels, context.received_at ?? null)
}
