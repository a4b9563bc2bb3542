// One worker thread of `netlake normalize`: normalizes the batches of files the main thread sends
// and hands back their output and column buffers, then writes the tables it is given as Parquet
// (see normalize-pool.ts). One message each way per request.
import { parentPort, workerData } from 'node:worker_threads'
import type { TableName } from '#schemas/tables.ts'
import { describeError } from '#core/errors.ts'
import { batchBuffers, normalizeBatch } from './normalize-batch.ts'
import type { BatchOptions } from './normalize-batch.ts'
import type { NormalizeReply, NormalizeRequest } from './normalize-pool.ts'
import { tablesToParquet } from './normalize-parquet.ts'

const port = parentPort
if (!port) throw new Error('normalize-worker.ts runs as a worker thread only')
const options = workerData as BatchOptions
port.on('message', (request: NormalizeRequest) => {
  const reply = (message: NormalizeReply, transfer: ArrayBuffer[] = []) =>
    port.postMessage(message, transfer)
  if ('files' in request) {
    try {
      const result = normalizeBatch(request.files, options)
      reply({ id: request.id, ok: true, result }, batchBuffers(result))
    } catch (error) {
      reply({ id: request.id, ok: false, error: describeError(error) })
    }
    return
  }
  tablesToParquet(request.write).then(
    (parquet) =>
      reply(
        { id: request.id, ok: true, parquet },
        Object.values(parquet).map((bytes) => bytes.buffer as ArrayBuffer),
      ),
    (error: unknown) => reply({ id: request.id, ok: false, error: describeError(error) }),
  )
})
