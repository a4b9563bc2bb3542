import { ApiError } from './errors.ts'

/**
 * Reads a request body up to `limit` bytes. Refuses by `Content-Length` before reading, and stops
 * reading a chunked body the moment it passes the limit, so a huge upload never sits in memory.
 */
export async function readBody(
  request: Request,
  limit: number,
  tooLarge: (limit: number) => ApiError = tooLargeUpload,
): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? NaN)
  if (declared > limit) throw tooLarge(limit)
  if (!request.body) return new Uint8Array(0)
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = request.body.getReader()
  for (;;) {
    const { done, value } = await reader.read().catch((error: unknown) => {
      throw new ApiError(
        400,
        'body-aborted',
        `the request body was not received completely (${(error as Error).message})`,
        { field: 'body', cause: error },
      )
    })
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge(limit)
    }
    chunks.push(value)
  }
  if (chunks.length === 1) return chunks[0]
  const body = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return body
}

function tooLargeUpload(limit: number): ApiError {
  return new ApiError(
    413,
    'too-large',
    `body exceeds the direct upload limit of ${limit} bytes; use POST /v1/uploads for a presigned upload`,
    { field: 'body' },
  )
}
