/** Runs one load phase in a child process (`bench/api/load.ts`) and returns its result. */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LoadConfig, LoadResult } from './load.ts'

const LOAD_SCRIPT = fileURLToPath(new URL('./load.ts', import.meta.url))

/** Spawns the load generator with `config`; rejects when it exits non-zero or writes nothing. */
export async function runLoad(config: LoadConfig): Promise<LoadResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netlake-api-load-'))
  try {
    const configFile = path.join(dir, 'config.json')
    const outFile = path.join(dir, 'out.json')
    writeFileSync(configFile, JSON.stringify(config))
    const env = { ...process.env }
    delete env.NODE_OPTIONS
    const child = spawn(process.execPath, ['--import', 'tsx', LOAD_SCRIPT, configFile, outFile], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env,
    })
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject)
      child.once('exit', resolve)
    })
    if (code !== 0) throw new Error(`load generator exited with ${code}`)
    return JSON.parse(readFileSync(outFile, 'utf8')) as LoadResult
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
