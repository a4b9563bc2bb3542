import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

/** Defined by scripts/build-cli.mjs: set when this runs from dist/ (the workers are built beside it). */
declare const __NETLAKE_VERSION__: string | undefined

/** The CLI's worker-thread entries (cli/<name>.ts; built as dist/cli/<name>.js). */
export type CliWorkerName = 'reprocess-worker' | 'normalize-worker'

/**
 * Starts one of the CLI's worker threads: the built file when this runs from dist/, else the
 * TypeScript source through tsx (development, tests importing cli/ directly).
 */
export function newCliWorker(name: CliWorkerName, workerData: unknown): Worker {
  // Bundled, `import.meta.url` is this source file's URL in the tree (build-cli.mjs rewrites it).
  if (typeof __NETLAKE_VERSION__ === 'string')
    return new Worker(new URL(`../dist/cli/${name}.js`, import.meta.url), { workerData })
  // tsx's ES module API (its `import` export; the CommonJS one cannot register from an eval).
  const tsxCjs = createRequire(import.meta.url).resolve('tsx/esm/api')
  const tsx = pathToFileURL(tsxCjs.replace(/\.cjs$/, '.mjs')).href
  const entry = new URL(`./${name}.ts`, import.meta.url).href
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}) })`
  return new Worker(code, { eval: true, workerData })
}
