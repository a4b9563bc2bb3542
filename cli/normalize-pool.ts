import type { Worker } from 'node:worker_threads'
import type { TableName } from '#schemas/tables.ts'
import { columnChunkBuffers } from '#adapters/parquet/column-chunk.ts'
import type { ColumnChunk } from '#adapters/parquet/column-chunk.ts'
import type { BatchOptions, BatchResult } from './normalize-batch.ts'
import { newCliWorker } from './worker-thread.ts'

/** A message to a worker: a batch of files to normalize, or tables to write as Parquet. */
export type NormalizeRequest =
  { id: number; files: string[] } | { id: number; write: Partial<Record<TableName, ColumnChunk[]>> }
export type NormalizeReply =
  | { id: number; ok: true; result: BatchResult }
  | { id: number; ok: true; parquet: Partial<Record<TableName, Uint8Array>> }
  | { id: number; ok: false; error: string }

/** Batches each worker has queued: one to work on, one waiting, so it never idles on a reply. */
export const IN_FLIGHT_PER_WORKER = 2

/** Worker threads for `netlake normalize`: files are normalized, then tables written, in parallel. */
export interface NormalizePool {
  size: number
  /**
   * Normalizes `batches` and hands each result to `onResult` in batch order (so output and rows
   * come out as one thread would give them), as soon as every batch before it is done.
   */
  normalize(batches: readonly string[][], onResult: (result: BatchResult) => void): Promise<void>
  /** Parquet bytes of each table (joined chunks), the tables spread over the workers. */
  write(tables: Record<TableName, ColumnChunk[]>): Promise<Record<TableName, Uint8Array>>
  close(): Promise<void>
}

/** Starts `size` workers (at least one) that normalize with `options`. */
export function startNormalizePool(options: BatchOptions, size: number): NormalizePool {
  type Waiting = { resolve: (reply: NormalizeReply) => void; reject: (error: Error) => void }
  const pending = new Map<number, Waiting>()
  let nextId = 0
  let failure: Error | null = null
  const fail = (error: Error) => {
    failure ??= error
    for (const w of pending.values()) w.reject(failure)
    pending.clear()
  }
  const workers: Worker[] = Array.from({ length: Math.max(1, Math.floor(size)) }, () => {
    const worker = newCliWorker('normalize-worker', options)
    worker.on('message', (reply: NormalizeReply) => {
      const waiting = pending.get(reply.id)
      if (!waiting) return
      pending.delete(reply.id)
      if (reply.ok) waiting.resolve(reply)
      else waiting.reject(new Error(`normalize worker: ${reply.error}`))
    })
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`normalize worker exited with code ${code}`)))
    return worker
  })
  const ask = (worker: Worker, request: NormalizeRequest, transfer: ArrayBuffer[] = []) =>
    new Promise<NormalizeReply>((resolve, reject) => {
      if (failure) return reject(failure)
      pending.set(request.id, { resolve, reject })
      worker.postMessage(request, transfer)
    })

  return {
    size: workers.length,
    normalize: async (batches, onResult) => {
      const results: Array<BatchResult | undefined> = new Array(batches.length)
      let next = 0
      let flushed = 0
      const loop = async (worker: Worker): Promise<void> => {
        while (next < batches.length) {
          const index = next++
          const reply = await ask(worker, { id: nextId++, files: batches[index] })
          results[index] = (reply as { result: BatchResult }).result
          while (flushed < batches.length && results[flushed] !== undefined) {
            onResult(results[flushed] as BatchResult)
            results[flushed++] = undefined
          }
        }
      }
      // Each worker runs IN_FLIGHT_PER_WORKER loops, so a batch is queued while it works on one.
      await Promise.all(
        workers.flatMap((w) => Array.from({ length: IN_FLIGHT_PER_WORKER }, () => loop(w))),
      )
    },
    write: async (tables) => {
      // The intervals table (most rows) alone; runs and metrics together; more workers, more splits.
      const groups: TableName[][] =
        workers.length === 1
          ? [['intervals', 'runs', 'metrics']]
          : [['intervals'], ['runs', 'metrics']]
      const parts = await Promise.all(
        groups.map(async (group, k) => {
          const write: Partial<Record<TableName, ColumnChunk[]>> = {}
          const transfer: ArrayBuffer[] = []
          for (const table of group) {
            write[table] = tables[table]
            for (const chunk of tables[table]) transfer.push(...columnChunkBuffers(chunk))
          }
          const reply = await ask(workers[k % workers.length], { id: nextId++, write }, transfer)
          return (reply as { parquet: Partial<Record<TableName, Uint8Array>> }).parquet
        }),
      )
      return Object.assign({}, ...parts) as Record<TableName, Uint8Array>
    },
    close: async () => {
      fail(new Error('the normalize pool is closed'))
      await Promise.all(workers.map((w) => w.terminate()))
    },
  }
}
