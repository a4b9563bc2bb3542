'use strict'
/*
 * Runs s3rver in its own Node process, started by local-s3.ts with --openssl-legacy-provider:
 * s3rver 3.7.1 encrypts ListObjectsV2 continuation tokens with DES-CBC, which OpenSSL 3
 * (Node >= 17) only offers through the legacy provider, so every truncated listing fails
 * without the flag.
 * Only the stack reaches it: every request must carry an AWS SigV4 signature (Authorization
 * header or presigned query) made with this start's credentials, checked by a verifying front
 * (sigv4-verify.cjs) before s3rver sees the request (s3rver itself accepts anonymous requests and
 * does not check V4 signatures); requests from web pages (any Origin header) are refused, and no
 * CORS configuration is applied. `PUT` with `If-None-Match: *` is enforced here too (s3rver ignores
 * it): 412 when the key exists, conditional PUTs of one key one at a time.
 * Protocol over the IPC channel:
 *   parent -> child  argv[2] = JSON { dataDir, buckets, port, accessKeyId },
 *                    then { type: 'secret', secretAccessKey } (kept off the command line)
 *   child  -> parent { type: 'ready', port } | { type: 'event', eventName, bucket, key, size }
 *                    | { type: 'failed', message }
 *   parent -> child  { type: 'close' }  (the child also exits when the IPC channel drops,
 *                    i.e. when the parent dies)
 */
const http = require('node:http')
const S3rver = require('s3rver')
const { verifySigV4 } = require('./sigv4-verify.cjs')

const send = (message) => {
  if (process.connected) process.send(message)
}

function deny(res, status, code, text, keepAlive = false) {
  const message = String(text).replace(
    /[<>&]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c],
  )
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`
  res.writeHead(status, {
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(body),
    ...(keepAlive ? {} : { Connection: 'close' }),
  })
  res.end(body)
}

/** Bucket and key of a path-style object URL (`/bucket/key`), or null for a bucket or service URL. */
function objectOf(url) {
  const path = url.split('?')[0]
  const slash = path.indexOf('/', 1)
  if (slash === -1 || slash === path.length - 1) return null
  return {
    bucket: decodeURIComponent(path.slice(1, slash)),
    key: decodeURIComponent(path.slice(slash + 1)),
  }
}

/**
 * `PUT` with `If-None-Match: *` (create only), which s3rver 3.7.1 ignores: conditional PUTs of one
 * key run one at a time here, each after the previous one's response has gone out, and an
 * existing key answers 412 PreconditionFailed as S3 does. (An unconditional PUT may still
 * overwrite, as on S3.)
 */
function ifNoneMatch(handler, store) {
  const busy = new Map() // bucket/key -> promise settled when the running conditional PUT is done
  return (req, res) => {
    const target =
      req.method === 'PUT' && req.headers['if-none-match'] === '*' ? objectOf(req.url) : null
    if (target === null) return handler(req, res)
    const id = `${target.bucket}/${target.key}`
    const previous = busy.get(id) ?? Promise.resolve()
    let release
    const mine = new Promise((resolve) => (release = resolve))
    busy.set(id, mine)
    res.once('close', () => {
      release()
      if (busy.get(id) === mine) busy.delete(id)
    })
    previous
      .then(() => store.existsObject(target.bucket, target.key))
      .then(
        (exists) => {
          if (!exists) return handler(req, res)
          req.resume()
          deny(
            res,
            412,
            'PreconditionFailed',
            'At least one of the pre-conditions you specified did not hold',
            true,
          )
        },
        (error) => deny(res, 500, 'InternalError', error && error.message),
      )
  }
}

/** The verifying front: s3rver's handler runs only for requests signed with this start's key. */
function guard(handler, credentials) {
  return (req, res) => {
    if (req.headers.origin !== undefined || req.method === 'OPTIONS') {
      return deny(res, 403, 'AccessDenied', 'browser requests are not served')
    }
    let problem
    try {
      problem = verifySigV4(req, credentials)
    } catch (error) {
      problem = `unverifiable request (${error && error.message})`
    }
    if (problem !== null) return deny(res, 403, 'AccessDenied', `request refused: ${problem}`)
    return handler(req, res)
  }
}

function secretFromParent() {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no secret from the parent')), 10_000)
    const onMessage = (message) => {
      if (!message || message.type !== 'secret') return
      clearTimeout(timer)
      process.off('message', onMessage)
      resolve(message.secretAccessKey)
    }
    process.on('message', onMessage)
  })
}

async function main() {
  const options = JSON.parse(process.argv[2])
  const credentials = {
    accessKeyId: options.accessKeyId,
    secretAccessKey: await secretFromParent(),
  }
  // s3rver looks the key id up in its own account registry (it checks V2 signatures only, so the
  // front above does the real check); swap its hard-coded S3RVER key for this start's.
  const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account')
  DUMMY_ACCOUNT.revokeAccessKey('S3RVER')
  DUMMY_ACCOUNT.createKeyPair(credentials.accessKeyId, credentials.secretAccessKey)
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    silent: true,
    directory: options.dataDir,
    vhostBuckets: false,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
  })
  server.on('event', (event) => {
    for (const record of event.Records) {
      send({
        type: 'event',
        eventName: record.eventName,
        bucket: record.s3.bucket.name,
        key: record.s3.object.key,
        size: record.s3.object.size ?? 0,
      })
    }
  })
  // s3rver.run() would listen with its own handler; listen with the front instead.
  await server.configureBuckets()
  const httpServer = http.createServer(
    guard(ifNoneMatch(server.callback(), server.store), credentials),
  )
  server.httpServer = httpServer
  await new Promise((resolve, reject) => {
    httpServer.once('error', reject)
    httpServer.listen(options.port, '127.0.0.1', () => resolve())
  })
  const address = httpServer.address()
  let closing = false
  const shutdown = () => {
    if (closing) return
    closing = true
    server.close().then(
      () => process.exit(0),
      () => process.exit(0),
    )
    server.httpServer.closeAllConnections()
  }
  process.on('message', (message) => {
    if (message && message.type === 'close') shutdown()
  })
  process.on('disconnect', shutdown)
  send({ type: 'ready', port: address.port })
}

main().catch((error) => {
  send({ type: 'failed', message: String(error && error.stack ? error.stack : error) })
  process.exit(1)
})
