import { z } from 'zod'

/**
 * qperf's text output as the parser splits it (shared/reference/iperf3-qperf-formats.md §2):
 * blocks headed `test_name:`, each with `name = value [unit] [(raw)]` lines, fatal error lines
 * and `warning:` notices. Permissive: unknown names and units are kept (and warned about later).
 * functions/core/qperf/parse-qperf-text.ts produces exactly these types.
 */

/** One `name = value` line; `printed` is the value text as printed, trimmed. */
export const QperfFieldSchema = z.object({
  line: z.number().int().positive(),
  name: z.string(),
  printed: z.string(),
})
export type QperfField = z.infer<typeof QperfFieldSchema>

/** A line of free text (error, notice or unparsed), with where it was (1-based). */
export const QperfTextLineSchema = z.object({ line: z.number().int().positive(), text: z.string() })
export type QperfTextLine = z.infer<typeof QperfTextLineSchema>

/** One test block: `tcp_lat:` and what follows until the next header. */
export const QperfBlockSchema = z.object({
  test: z.string(),
  headerLine: z.number().int().positive(),
  fields: z.array(QperfFieldSchema),
  /** Column-0 lines that are not headers or notices: qperf's fatal error messages. */
  errors: z.array(QperfTextLineSchema),
  /** qperf's non-fatal `warning: ...` lines. */
  notices: z.array(QperfTextLineSchema),
  /** Indented lines that do not match `name = value`. */
  unparsed: z.array(QperfTextLineSchema),
})
export type QperfBlock = z.infer<typeof QperfBlockSchema>

/** The whole file split into blocks; `prelude` is text before the first header. */
export const QperfTextSchema = z.object({
  blocks: z.array(QperfBlockSchema),
  prelude: z.array(QperfTextLineSchema),
  /** A shell prompt after the last result (`user@host:~$`), set aside instead of read as an error. */
  trailing: z.array(QperfTextLineSchema).optional(),
})
export type QperfText = z.infer<typeof QperfTextSchema>
