import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { writeLabParquet, type LabRows, type WrittenFile } from './notebook-fixtures.ts'
import { startNotebookServer, type NotebookServer } from './notebook-server.ts'
import {
  ARTIFACTS,
  DIST,
  ensureNotebookBuilt,
  launchGuardedBrowser,
  showNotebook,
  type GuardedBrowser,
} from './notebook-browser.ts'

/** A lake written as Parquet, served with the built notebook, and one guarded Chromium page. */
export interface NotebookLake extends GuardedBrowser {
  rows: LabRows
  files: WrittenFile[]
  dataDir: string
  server: NotebookServer
  /** Show `?query` (loaded the first time, then through history) and wait for its page; a screenshot `<prefix>-<shot>.png`. */
  open(query: string, shot?: string): Promise<void>
  close(): Promise<void>
}

/**
 * Build the notebook if stale, write `rows` as Parquet into a temporary folder and serve it, and
 * launch Chromium meanwhile (the two do not wait for each other): one lake, one browser and one
 * page per test file. `prefix` names the folder and the screenshots.
 */
export async function openNotebookLake(prefix: string, rows: LabRows): Promise<NotebookLake> {
  ensureNotebookBuilt()
  mkdirSync(ARTIFACTS, { recursive: true })
  const dataDir = mkdtempSync(path.join(tmpdir(), `netlake-${prefix}-`))
  const launching = launchGuardedBrowser()
  try {
    const files = await writeLabParquet(dataDir, rows)
    const server = await startNotebookServer({ distDir: DIST, dataDir, files })
    const guarded = await launching
    return {
      ...guarded,
      rows,
      files,
      dataDir,
      server,
      open: (query, shot) =>
        showNotebook(guarded.page, `${server.url}/${query}`, shot && `${prefix}-${shot}`),
      close: async () => {
        await guarded.browser.close()
        await server.close()
        rmSync(dataDir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await launching.then((g) => g.browser.close()).catch(() => undefined)
    rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
}
