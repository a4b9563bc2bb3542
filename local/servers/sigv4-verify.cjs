'use strict'
/*
 * Verifies AWS Signature Version 4 on an incoming Node request, for the verifying fronts of the
 * embedded S3 and DynamoDB servers (neither checks V4 signatures itself). Both forms the AWS SDK
 * sends are checked: the Authorization header and a presigned URL's X-Amz-* query parameters.
 * CommonJS so the s3rver child process (plain node) and the TypeScript side share it.
 *
 * verifySigV4(request, { accessKeyId, secretAccessKey, bodySha256, now }) → null when the
 * signature is valid, else a sentence saying why not. `request` is { method, url, headers } as
 * Node's IncomingMessage has them; `bodySha256` (hex) is needed only when the request carries no
 * x-amz-content-sha256 header (DynamoDB). The payload itself is not re-hashed for S3 requests:
 * whoever can sign already holds the secret.
 */
const { createHash, createHmac, timingSafeEqual } = require('node:crypto')

const MAX_SKEW_MS = 15 * 60_000
const MAX_PRESIGN_S = 604_800

const sha256 = (data) => createHash('sha256').update(data).digest('hex')
const hmac = (key, data) => createHmac('sha256', key).update(data).digest()
const escape = (s) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** `yyyyMMddTHHmmssZ` → ms since the epoch, or NaN. */
function parseAmzDate(value) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value || '')
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN
}

function decode(s) {
  try {
    return decodeURIComponent(s)
  } catch {
    return null
  }
}

/** The raw query as (decoded) pairs, in the order sent. */
function queryPairs(rawQuery) {
  const pairs = []
  if (!rawQuery) return pairs
  for (const part of rawQuery.split('&')) {
    if (part === '') continue
    const at = part.indexOf('=')
    const key = decode(at < 0 ? part : part.slice(0, at))
    const value = decode(at < 0 ? '' : part.slice(at + 1))
    if (key === null || value === null) return null
    pairs.push([key, value])
  }
  return pairs
}

/** The SDK's canonical query: keys sorted, values sorted per key, both RFC 3986 escaped. */
function canonicalQuery(pairs) {
  const byKey = new Map()
  for (const [key, value] of pairs) {
    if (key.toLowerCase() === 'x-amz-signature') continue
    byKey.set(key, [...(byKey.get(key) || []), value])
  }
  return [...byKey.keys()]
    .sort()
    .flatMap((key) =>
      byKey
        .get(key)
        .sort()
        .map((value) => `${escape(key)}=${escape(value)}`),
    )
    .join('&')
}

function headerValue(headers, name) {
  const value = headers[name]
  if (value === undefined) return null
  return (Array.isArray(value) ? value.join(',') : String(value)).trim().replace(/\s+/g, ' ')
}

function safeEqualHex(a, b) {
  if (typeof a !== 'string' || typeof b !== 'string' || !/^[0-9a-f]{64}$/.test(b)) return false
  const x = Buffer.from(a, 'hex')
  const y = Buffer.from(b, 'hex')
  return x.length === y.length && timingSafeEqual(x, y)
}

function verifySigV4(request, options) {
  const now = options.now === undefined ? Date.now() : options.now
  const url = request.url || '/'
  const q = url.indexOf('?')
  const path = q < 0 ? url : url.slice(0, q)
  const pairs = queryPairs(q < 0 ? '' : url.slice(q + 1))
  if (pairs === null) return 'malformed query string'
  const query = Object.fromEntries(pairs)
  const headers = request.headers || {}

  let credential, signedHeaders, signature, amzDate, payloadHash
  const authorization = headerValue(headers, 'authorization')
  const presigned = 'X-Amz-Signature' in query
  if (authorization !== null && presigned)
    return 'both an Authorization header and a presigned query'
  if (authorization !== null) {
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
        authorization,
      )
    if (!m) return 'Authorization is not an AWS4-HMAC-SHA256 signature'
    ;[, credential, signedHeaders, signature] = m
    amzDate = headerValue(headers, 'x-amz-date')
    const requestTime = parseAmzDate(amzDate)
    if (Number.isNaN(requestTime)) return 'missing or malformed x-amz-date'
    if (Math.abs(now - requestTime) > MAX_SKEW_MS)
      return 'request time too far from the server time'
    payloadHash = headerValue(headers, 'x-amz-content-sha256') || options.bodySha256
    if (!payloadHash) return 'no payload hash'
  } else if (presigned) {
    if (query['X-Amz-Algorithm'] !== 'AWS4-HMAC-SHA256')
      return 'X-Amz-Algorithm must be AWS4-HMAC-SHA256'
    credential = query['X-Amz-Credential']
    signedHeaders = query['X-Amz-SignedHeaders']
    signature = query['X-Amz-Signature']
    amzDate = query['X-Amz-Date']
    const requestTime = parseAmzDate(amzDate)
    const expires = Number(query['X-Amz-Expires'])
    if (!credential || !signedHeaders || Number.isNaN(requestTime))
      return 'incomplete presigned query'
    if (!Number.isInteger(expires) || expires < 0 || expires > MAX_PRESIGN_S)
      return 'X-Amz-Expires out of range'
    if (now > requestTime + expires * 1000) return 'presigned URL has expired'
    if (requestTime - now > MAX_SKEW_MS) return 'presigned URL dated in the future'
    payloadHash = query['X-Amz-Content-Sha256'] || 'UNSIGNED-PAYLOAD'
  } else {
    return 'request is not signed'
  }

  const scope = credential.split('/')
  if (scope.length !== 5 || scope[4] !== 'aws4_request') return 'malformed credential scope'
  const [accessKeyId, day, region, service] = scope
  if (accessKeyId !== options.accessKeyId) return 'unknown access key id'
  if (day !== amzDate.slice(0, 8)) return 'credential date does not match the request date'

  const names = signedHeaders.split(';')
  if (!names.includes('host')) return 'host is not a signed header'
  const canonicalHeaders = []
  for (const name of names) {
    const value = headerValue(headers, name)
    if (value === null) return `signed header ${name} is missing`
    canonicalHeaders.push(`${name}:${value}\n`)
  }
  const canonicalRequest = [
    request.method,
    path,
    canonicalQuery(pairs),
    canonicalHeaders.join(''),
    signedHeaders,
    payloadHash,
  ].join('\n')
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    `${day}/${region}/${service}/aws4_request`,
    sha256(canonicalRequest),
  ].join('\n')
  const key = hmac(
    hmac(hmac(hmac(`AWS4${options.secretAccessKey}`, day), region), service),
    'aws4_request',
  )
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex')
  return safeEqualHex(expected, signature) ? null : 'signature does not match'
}

module.exports = { verifySigV4 }
