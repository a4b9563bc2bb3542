import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * Signed file URLs for the local stack, the stand-in for S3 presigned GETs: a browser engine
 * (duckdb-wasm) reads Parquet by range requests and cannot add an Authorization header, so the
 * manifest hands out URLs that carry their own expiring HMAC, exactly as in AWS.
 */
export function createFileSigner(
  secret: Uint8Array = randomBytes(32),
  now: () => number = Date.now,
) {
  const mac = (path: string, expires: number) =>
    createHmac('sha256', secret).update(`${path}\n${expires}`).digest('base64url')
  return {
    /** `path?expires=…&sig=…`, valid for `seconds`. */
    sign(path: string, seconds: number): string {
      const expires = Math.floor(now() / 1000) + seconds
      return `${path}?expires=${expires}&sig=${mac(path, expires)}`
    },
    /** Whether `sig` is this signer's for `path` and has not expired. */
    verify(path: string, expires: string | undefined, sig: string | undefined): boolean {
      if (!expires || !sig || !/^\d{1,12}$/.test(expires) || Number(expires) < now() / 1000)
        return false
      const expected = Buffer.from(mac(path, Number(expires)))
      const given = Buffer.from(sig)
      return expected.length === given.length && timingSafeEqual(expected, given)
    },
  }
}
export type FileSigner = ReturnType<typeof createFileSigner>
