// One worker thread of `netlake reprocess`: opens its own adapters on the lake it is given and
// re-derives the batches of raw objects the main thread sends, one message each (see reprocess-pool.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { describeError } from '#core/errors.ts'
import { rederiveBatch } from '#functions/reprocess/rederive-batch.ts'
import { openLakeSpec, type LakeSpec } from './lake.ts'
import type { PoolReply, PoolRequest } from './reprocess-pool.ts'

const port = parentPort
if (!port) throw new Error('reprocess-worker.ts runs as a worker thread only')
const lake = await openLakeSpec((workerData as { spec: LakeSpec }).spec)
port.on('message', (request: PoolRequest | 'close') => {
  if (request === 'close') {
    lake.close()
    port.close()
    return
  }
  rederiveBatch(request.items, lake).then(
    (result) => port.postMessage({ id: request.id, ok: true, result } satisfies PoolReply),
    (error: unknown) =>
      port.postMessage({
        id: request.id,
        ok: false,
        error: describeError(error),
      } satisfies PoolReply),
  )
})
port.postMessage('ready')
