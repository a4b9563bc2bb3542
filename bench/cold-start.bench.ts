/**
 * Lambda cold start, approximated locally (DESIGN.md §6: cold import + first file ≤ 250 ms over
 * bare Node): the ingest path bundled with esbuild as the CDK app bundles it (ESM, minified,
 * parquet-wasm beside it), then timed in fresh Node processes against `node -e ''`.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'

const root = new URL('../', import.meta.url).pathname
const out = mkdtempSync(join(tmpdir(), 'netlake-cold-'))
await build({
  entryPoints: [join(root, 'bench/lambda/cold-entry.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  outfile: join(out, 'index.mjs'),
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);",
  },
  logLevel: 'error',
})
copyFileSync(
  join(root, 'node_modules/parquet-wasm/node/parquet_wasm_bg.wasm'),
  join(out, 'parquet_wasm_bg.wasm'),
)
const fixture = join(root, 'test/fixtures/real/iperf3-tcp-p4-t60-b200M.json')

function timeRun(args: string[]): number {
  const t = process.hrtime.bigint()
  execFileSync(process.execPath, args, { cwd: out, stdio: ['ignore', 'pipe', 'inherit'] })
  return Number(process.hrtime.bigint() - t) / 1e6
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const bare: number[] = []
const cold: number[] = []
for (let i = 0; i < 15; i++) {
  bare.push(timeRun(['-e', '']))
  cold.push(timeRun([join(out, 'index.mjs'), fixture]))
}
const js = statSync(join(out, 'index.mjs')).size
console.log(`bundle: ${(js / 1024).toFixed(0)} KiB JS + parquet_wasm_bg.wasm`)
console.log(
  `bare node: median ${median(bare).toFixed(0)} ms; cold import + first 60 s x 4-stream file: median ${median(cold).toFixed(0)} ms`,
)
console.log(`over bare Node: ${(median(cold) - median(bare)).toFixed(0)} ms (target ≤ 250 ms)`)
