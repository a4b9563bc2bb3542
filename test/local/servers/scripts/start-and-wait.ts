// Starts the S3 server and prints its child pid, then idles until killed (parent-death test).
import { startLocalS3 } from '#local/servers/local-s3.ts'

const s3 = await startLocalS3({ dataDir: process.argv[2], buckets: ['b'] })
console.log(`pid ${s3.pid}`)
setInterval(() => {}, 1_000)
