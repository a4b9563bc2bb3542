import { createHash, randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { UploadEnvelope } from '#schemas/envelope.ts'

/** One result waiting in the spool. */
export interface SpoolEntry {
  /** File name without directory: `<sha256 of the entry bytes, 32 hex>.json`. */
  id: string
  path: string
  /** The envelope JSON exactly as it will be sent. */
  body: string
}

/** Why an entry was moved to `failed/`, stored beside it as `<id>.reason.json`. */
export interface FailureReason {
  status: number | null
  code: string
  message: string
  failed_at: string
}

/** A durable on-disk queue of upload envelopes. */
export interface Spool {
  dir: string
  /** Writes the envelope durably (temp file, fsync, rename, fsync dir); the same envelope twice is one entry. */
  put(envelope: UploadEnvelope): Promise<SpoolEntry>
  /** Entries waiting to upload, oldest first. */
  list(): Promise<SpoolEntry[]>
  /** Removes an acknowledged entry; a missing file is fine (another drain got there first). */
  remove(entry: SpoolEntry): Promise<void>
  /** Moves an entry the API refused for good to `failed/` with the reason beside it. */
  fail(entry: SpoolEntry, reason: FailureReason): Promise<void>
  /** Entries in `failed/` with their reasons. */
  listFailed(): Promise<Array<{ id: string; reason: FailureReason | null }>>
}

/** Temp files older than this are leftovers of a crash and are removed when the spool opens. */
const STALE_TEMP_MS = 60 * 60 * 1000

/** Opens (creating if needed) the spool in `dir`. */
export async function openSpool(dir: string): Promise<Spool> {
  const failedDir = join(dir, 'failed')
  await mkdir(failedDir, { recursive: true })
  await removeStaleTemps(dir)

  return {
    dir,
    async put(envelope) {
      const body = JSON.stringify(envelope)
      const id = `${createHash('sha256').update(body).digest('hex').slice(0, 32)}.json`
      const path = join(dir, id)
      if (await exists(path)) return { id, path, body }
      await writeDurably(dir, id, body)
      return { id, path, body }
    },
    async list() {
      const names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'))
      const entries = await Promise.all(
        names.map(async (id) => {
          const path = join(dir, id)
          try {
            const [body, info] = await Promise.all([readFile(path, 'utf8'), stat(path)])
            return { id, path, body, mtime: info.mtimeMs }
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
            throw error
          }
        }),
      )
      return entries
        .filter((e): e is SpoolEntry & { mtime: number } => e !== null)
        .sort((a, b) => a.mtime - b.mtime || a.id.localeCompare(b.id))
        .map(({ id, path, body }) => ({ id, path, body }))
    },
    async remove(entry) {
      try {
        await unlink(entry.path)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      }
      await syncDir(dir)
    },
    async fail(entry, reason) {
      await writeDurably(
        failedDir,
        entry.id.replace(/\.json$/, '.reason.json'),
        JSON.stringify(reason, null, 2),
      )
      await rename(entry.path, join(failedDir, entry.id))
      await syncDir(failedDir)
      await syncDir(dir)
    },
    async listFailed() {
      const names = (await readdir(failedDir)).filter(
        (n) => n.endsWith('.json') && !n.endsWith('.reason.json') && !n.startsWith('.'),
      )
      return Promise.all(
        names.sort().map(async (id) => {
          try {
            const text = await readFile(
              join(failedDir, id.replace(/\.json$/, '.reason.json')),
              'utf8',
            )
            return { id, reason: JSON.parse(text) as FailureReason }
          } catch {
            return { id, reason: null }
          }
        }),
      )
    },
  }
}

/** temp file → write → fsync → rename → fsync directory: after this returns, a crash keeps the file whole. */
async function writeDurably(dir: string, name: string, body: string): Promise<void> {
  const temp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`)
  const handle = await open(temp, 'wx', 0o600)
  try {
    await handle.writeFile(body, 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
  await rename(temp, join(dir, name))
  await syncDir(dir)
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}

async function removeStaleTemps(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (!name.startsWith('.tmp-')) continue
    const path = join(dir, name)
    try {
      if (Date.now() - (await stat(path)).mtimeMs > STALE_TEMP_MS) await unlink(path)
    } catch {
      // another process removed or renamed it meanwhile
    }
  }
}
