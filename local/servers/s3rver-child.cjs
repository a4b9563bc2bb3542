'use strict'
/*
 * Runs s3rver in its own Node process, started by local-s3.ts with --openssl-legacy-provider:
 * s3rver 3.7.1 encrypts ListObjectsV2 continuation tokens with DES-CBC, which OpenSSL 3
 * (Node >= 17) only offers through the legacy provider, so every truncated listing fails
 * without the flag.
 * Protocol over the IPC channel:
 *   parent -> child  argv[2] = JSON { dataDir, buckets, port, cors }
 *   child  -> parent { type: 'ready', port } | { type: 'event', eventName, bucket, key, size }
 *                    | { type: 'failed', message }
 *   parent -> child  { type: 'close' }  (the child also exits when the IPC channel drops,
 *                    i.e. when the parent dies)
 */
const S3rver = require('s3rver')

const CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <ExposeHeader>Content-Range</ExposeHeader>
    <ExposeHeader>Content-Length</ExposeHeader>
    <ExposeHeader>Accept-Ranges</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`

const send = (message) => {
  if (process.connected) process.send(message)
}

async function main() {
  const options = JSON.parse(process.argv[2])
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    silent: true,
    directory: options.dataDir,
    vhostBuckets: false,
    configureBuckets: options.buckets.map((name) => ({
      name,
      configs: options.cors ? [Buffer.from(CORS)] : [],
    })),
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
  const address = await server.run()
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
