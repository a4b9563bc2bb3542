import type { ParseWarning, Rejection } from '#schemas/parse-result.ts'

/** Largest raw object the core accepts (documented in the README): bigger inputs are rejected whole. */
export const MAX_RAW_BYTES = 64 * 1024 * 1024

export type DecodedText =
  { ok: true; text: string; warnings: ParseWarning[] } | { ok: false; error: Rejection }

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Bytes → text, refusing what is not tool output: empty input, compressed or binary data, invalid
 * UTF-8. Byte order marks are accepted (PowerShell's `>` writes UTF-16LE) with a warning.
 */
export function decodeRaw(bytes: Uint8Array): DecodedText {
  if (bytes.length > MAX_RAW_BYTES) {
    return reject(
      'too-large',
      `input is ${bytes.length} bytes; the limit is ${MAX_RAW_BYTES} bytes (64 MiB)`,
    )
  }
  if (bytes.length === 0) return reject('empty', 'input is empty (0 bytes)')
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    return reject(
      'compressed',
      'input is gzip-compressed (magic 1f 8b at byte 0); upload the decompressed tool output',
      0,
    )
  }
  const warnings: ParseWarning[] = []
  let text: string
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    text = new TextDecoder('utf-16le').decode(bytes.subarray(2))
    warnings.push({
      code: 'utf16-bom',
      message: 'input was UTF-16LE with a byte order mark; decoded it',
      offset: 0,
    })
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2))
    warnings.push({
      code: 'utf16-bom',
      message: 'input was UTF-16BE with a byte order mark; decoded it',
      offset: 0,
    })
  } else {
    const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
    if (start)
      warnings.push({
        code: 'utf8-bom',
        message: 'input started with a UTF-8 byte order mark; ignored it',
        offset: 0,
      })
    try {
      text = utf8.decode(bytes.subarray(start))
    } catch {
      return reject(
        'not-text',
        `input is not UTF-8 text (invalid byte sequence near byte ${firstInvalidUtf8(bytes, start)})`,
        firstInvalidUtf8(bytes, start),
      )
    }
  }
  const nul = text.indexOf('\u0000')
  if (nul !== -1)
    return reject(
      'binary',
      `input contains a NUL character at offset ${nul}; tool output is text`,
      nul,
    )
  if (text.trim() === '') return reject('empty', 'input contains only whitespace')
  return { ok: true, text, warnings }
}

function reject(code: string, message: string, offset?: number): { ok: false; error: Rejection } {
  return { ok: false, error: offset === undefined ? { code, message } : { code, message, offset } }
}

/** Offset of the first byte that breaks UTF-8, for the error message. */
function firstInvalidUtf8(bytes: Uint8Array, from: number): number {
  for (let i = from; i < bytes.length; i++) {
    const b = bytes[i]
    if (b < 0x80) continue
    const len = b >= 0xf0 && b < 0xf8 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0
    if (len === 0 || b >= 0xf8) return i
    for (let k = 1; k < len; k++)
      if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i
    i += len - 1
  }
  return from
}
