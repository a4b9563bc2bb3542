import type { Worker } from 'node:worker_threads'
import type { Rederive, Rederived } from '#functions/reprocess/reprocess-lake.ts'
import type { LakeSpec } from './lake.ts'
import { newCliWorker } from './worker-thread.ts'

export interface PoolRequest {
  id: number
  key: string
  sha256: string
  date: string
}
export type PoolReply =
  { id: number; ok: true; result: Rederived } | { id: number; ok: false; error: string }

/** Worker threads that re-derive raw objects, each with its own adapters on the same lake. */
export interface ReprocessPool {
  size: number
  rederive: Rederive
  close(): Promise<void>
}

/** Objects each worker has in flight: enough to overlap its S3/DynamoDB waits with parsing. */
export const IN_FLIGHT_PER_WORKER = 4

function newWorker(spec: LakeSpec): Worker {
  return newCliWorker('reprocess-worker', { spec })
}

/**
 * Starts `size` workers on the lake `spec` names and resolves once each has opened it. Objects go
 * to the worker with the fewest in flight. A worker that dies fails its objects (reprocess keeps
 * their current files and names them in `failed`) and takes no more.
 */
export async function startReprocessPool(spec: LakeSpec, size: number): Promise<ReprocessPool> {
  type Pending = Map<number, { resolve: (r: Rederived) => void; reject: (e: Error) => void }>
  const workers: Array<{ worker: Worker; pending: Pending; alive: boolean }> = []
  await Promise.all(
    Array.from({ length: Math.max(1, Math.floor(size)) }, async () => {
      const worker = newWorker(spec)
      const slot = { worker, pending: new Map() as Pending, alive: true }
      await new Promise<void>((resolve, reject) => {
        worker.once('error', reject)
        worker.once('message', () => {
          worker.off('error', reject)
          resolve()
        })
      })
      const fail = (error: Error) => {
        slot.alive = false
        for (const { reject } of slot.pending.values()) reject(error)
        slot.pending.clear()
      }
      worker.on('error', fail)
      worker.on('exit', (code) => fail(new Error(`reprocess worker exited with code ${code}`)))
      worker.on('message', (reply: PoolReply) => {
        const waiting = slot.pending.get(reply.id)
        if (!waiting) return
        slot.pending.delete(reply.id)
        if (reply.ok) waiting.resolve(reply.result)
        else waiting.reject(new Error(reply.error))
      })
      workers.push(slot)
    }),
  )
  let next = 0
  return {
    size: workers.length,
    rederive: (key, sha256, date) => {
      const alive = workers.filter((w) => w.alive)
      if (alive.length === 0) return Promise.reject(new Error('every reprocess worker has exited'))
      const slot = alive.reduce((a, b) => (b.pending.size < a.pending.size ? b : a))
      const id = next++
      return new Promise<Rederived>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject })
        slot.worker.postMessage({ id, key, sha256, date } satisfies PoolRequest)
      })
    },
    close: async () => {
      await Promise.all(
        workers.map(async (w) => {
          w.alive = false
          if (w.pending.size === 0) w.worker.postMessage('close')
          await Promise.race([
            new Promise((resolve) => w.worker.once('exit', resolve)),
            new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
          ])
          await w.worker.terminate()
        }),
      )
    },
  }
}
