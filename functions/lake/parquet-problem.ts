import { NetlakeError } from '#core/errors.ts'

/**
 * Why `bytes` cannot be a Parquet file, or null when its frame looks whole: `PAR1` at both ends
 * and a footer length that fits. Cheap (no decoding), so readers can check every file before
 * handing the set to DuckDB, whose error for one bad file names none and fails the whole query.
 * Deeper damage (a corrupt page) passes this check and shows when the file is read. Pure.
 */
export function parquetProblem(bytes: Uint8Array): string | null {
  if (bytes.byteLength < 12) return `${bytes.byteLength} bytes is too short for a Parquet file`
  const magicAt = (at: number) =>
    bytes[at] === 0x50 && bytes[at + 1] === 0x41 && bytes[at + 2] === 0x52 && bytes[at + 3] === 0x31
  if (!magicAt(0)) return 'does not start with the Parquet magic PAR1'
  if (!magicAt(bytes.byteLength - 4)) return 'does not end with the Parquet magic PAR1 (truncated?)'
  const footer = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(
    bytes.byteLength - 8,
    true,
  )
  if (footer + 12 > bytes.byteLength)
    return `footer length ${footer} does not fit in ${bytes.byteLength} bytes`
  return null
}

/** A curated file a reader left out, and why. */
export interface SkippedFile {
  key: string
  reason: string
}

/** Where compaction moves a curated file that cannot be read (same bucket, out of every listing). */
export const corruptFileKey = (key: string): string => `quarantine/${key}`

/**
 * A curated file a reader needed but cannot read: the file is named, so the error says where the
 * damage is (`netlake doctor` lists it; compaction moves it aside).
 */
export class UnreadableFileError extends NetlakeError {
  constructor(
    readonly key: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${key} cannot be read: ${reason}`, options)
  }
}

/**
 * A curated file's rows, or an `UnreadableFileError` naming it: a broken frame is caught before
 * decoding, and a decoder failure (a corrupt page or footer) is reported with the file's key.
 */
export async function readCuratedRows(
  key: string,
  bytes: Uint8Array,
  readParquet: (bytes: Uint8Array) => Promise<Record<string, unknown>[]>,
): Promise<Record<string, unknown>[]> {
  const problem = parquetProblem(bytes)
  if (problem !== null) throw new UnreadableFileError(key, problem)
  try {
    return await readParquet(bytes)
  } catch (error) {
    throw new UnreadableFileError(
      key,
      `the Parquet reader failed (${(error as Error)?.message ?? String(error)})`,
      { cause: error },
    )
  }
}
