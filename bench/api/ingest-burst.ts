/**
 * Ingest of a burst of uploads (issue 18: Parquet files written ≤ 1/5 of the uploads, no run lost
 * or doubled). Memory adapters, in this process: each upload goes through `storeUpload` and its
 * key is queued on the local ingest worker as it lands (what the stack's S3 events do), so the
 * worker batches whatever queued up while its last batch ran. Counts the Parquet PUTs ingest
 * makes and checks the catalog's runs against the uploads afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { validateLabels } from '#functions/api/labels-from-request.ts'
import { storeUpload } from '#functions/api/store-upload.ts'
import type { ObjectStore } from '#functions/ports.ts'
import { createIngestWorker } from '#local/ingest-worker.ts'
import { createMemoryLake } from '../../test/helpers/memory-lake.ts'

export interface BurstResult {
  uploads: number
  parquetFiles: number
  batches: number
  runs: number
  distinctRuns: number
  errors: number
}

export async function ingestBurst(
  variant: (i: number) => Uint8Array,
  n: number,
): Promise<BurstResult> {
  const lake = await createMemoryLake()
  let parquetFiles = 0
  const curated: ObjectStore = {
    ...lake.curated,
    put: (key, body, options) => {
      if (key.endsWith('.parquet')) parquetFiles++
      return lake.curated.put(key, body, options)
    },
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netlake-burst-'))
  let batches = 0
  let errors = 0
  let lastBatch = 0
  const worker = createIngestWorker(
    { ...lake.deps, curated },
    {
      maxAttempts: 3,
      backoffMs: 10,
      batchWindowMs: 200, // as in the local stack
      deadLetterFile: path.join(dir, 'dead-letter.jsonl'),
      log: (line) => {
        if (line.level === 'error' || (line.msg === 'ingest' && line.outcome !== 'ingested'))
          errors++
        if (typeof line.ms === 'number' && line.batch !== undefined) {
          // one log line per key; a new batch starts when its first key is logged
          if (lastBatch === 0) batches++
          lastBatch = (lastBatch + 1) % (line.batch as number)
        }
      },
    },
  )
  const labels = validateLabels({ platform: 'openstack', scenario: 'os-s1' })
  try {
    for (let i = 0; i < n; i++) {
      const stored = await storeUpload(variant(i), { labels, tool: null, contentType: null }, lake)
      worker.enqueue(stored.body.raw_key)
      // Yield to the event loop as a server does between requests, so the worker runs meanwhile.
      await new Promise((resolve) => setImmediate(resolve))
    }
    await worker.idle()
  } finally {
    await worker.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  const runIds: string[] = []
  let cursor: string | null = null
  do {
    const page = await lake.catalog.listRuns({}, 500, cursor)
    runIds.push(...page.items.map((r) => r.run_id as string))
    cursor = page.cursor
  } while (cursor)
  return {
    uploads: n,
    parquetFiles,
    batches,
    runs: runIds.length,
    distinctRuns: new Set(runIds).size,
    errors,
  }
}
