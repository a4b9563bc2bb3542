/*
 * What the S3 adapter and its memory twin share about object bodies and keys, so that the real
 * adapter never imports the test twin.
 */

/** Compares keys the way S3 lists them: by UTF-8 bytes. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

/** Encodes a body to bytes (strings as UTF-8), copying so callers cannot mutate stored data. */
export function toBytes(body: Uint8Array | string): Uint8Array {
  return typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body)
}
