/**
 * qperf text → blocks of `name = value` lines, without interpreting values (see read-value.ts).
 * Grammar (qperf.c `client`, `place_show`, support.c `error`): a block starts with `TEST:` at
 * column 0; result lines are indented `name  =  value [unit] [(raw)]`; anything else at column 0
 * is a message qperf wrote to stdout: `warning: ...` notices, or a fatal error such as
 * `127.0.0.1: failed to connect`. Line numbers are 1-based; CRLF and CR are accepted.
 */

import type { QperfBlock, QperfText, QperfTextLine } from '#schemas/raw/qperf.ts'

export type { QperfBlock, QperfField, QperfText, QperfTextLine } from '#schemas/raw/qperf.ts'

const HEADER = /^([A-Za-z][A-Za-z0-9_]*):[ \t]*$/
const FIELD = /^[ \t]+([A-Za-z][A-Za-z0-9_]*)[ \t]*=(.*)$/
const NOTICE = /^warning: /
/**
 * A shell prompt captured with the output (`user@host:~$`, `[root@n1 ~]#`, `bash-5.1$`, `PS C:\>`):
 * a column-0 line ending in a prompt character, with no `=` (never a result line).
 */
const PROMPT = /^[^\s=][^=]*[$#%>][ \t]*$/

/** Split qperf output into blocks. Pure and total: every line lands somewhere. */
export function parseQperfText(text: string): QperfText {
  const lines = text.split(/\r\n|\r|\n/)
  const trailing = trailingPrompt(lines)
  const blocks: QperfBlock[] = []
  const prelude: QperfTextLine[] = []
  let current: QperfBlock | null = null
  const end = trailing.length ? trailing[0].line - 1 : lines.length
  for (let i = 0; i < end; i++) {
    const raw = lines[i]
    const line = i + 1
    if (raw.trim() === '') continue
    const header = HEADER.exec(raw)
    if (header) {
      current = {
        test: header[1],
        headerLine: line,
        fields: [],
        errors: [],
        notices: [],
        unparsed: [],
      }
      blocks.push(current)
      continue
    }
    const indented = raw[0] === ' ' || raw[0] === '\t'
    if (!current) {
      prelude.push({ line, text: raw.trim() })
      continue
    }
    if (indented) {
      const field = FIELD.exec(raw)
      if (field) current.fields.push({ line, name: field[1], printed: field[2].trim() })
      else current.unparsed.push({ line, text: raw.trim() })
      continue
    }
    if (NOTICE.test(raw)) current.notices.push({ line, text: raw.trim() })
    else current.errors.push({ line, text: raw.trim() })
  }
  return trailing.length ? { blocks, prelude, trailing } : { blocks, prelude }
}

/** Prompt lines at the very end (after the last non-blank result), only when a block precedes them. */
function trailingPrompt(lines: string[]): QperfTextLine[] {
  const found: QperfTextLine[] = []
  let i = lines.length - 1
  for (; i >= 0; i--) {
    const raw = lines[i]
    if (raw.trim() === '') continue
    if (HEADER.test(raw) || !PROMPT.test(raw)) break
    found.unshift({ line: i + 1, text: raw.trim() })
  }
  const headerBefore = lines.slice(0, i + 1).some((raw) => HEADER.test(raw))
  return headerBefore ? found : []
}
