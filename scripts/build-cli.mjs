#!/usr/bin/env node
// Builds the `netlake` command once, so nothing compiles TypeScript at run time:
//   dist/cli/main.js + chunks     the CLI (and dist/cli/{reprocess,normalize}-worker.js, its worker threads) (our sources bundled, npm packages left in node_modules;
//                                 one chunk per subcommand, loaded only when that command runs)
//   dist/netlake-collector.mjs    the edge collector: collect + push + spool in one self-contained
//                                 file for Node >= 18 with nothing installed beside it
// Run by `npm run build:cli` (and `prepare`, so `npm ci` builds it). `node scripts/build-cli.mjs --check`
// only says whether dist/ is older than the sources (exit 1 when stale); `--if-stale` builds only then
// (what `npm start` and the test suite's global setup run).
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const DIST = join(ROOT, 'dist')
/** Folders whose sources end up in a bundle: a change there makes dist/ stale. */
export const SOURCE_DIRS = ['cli', 'collector', 'functions', 'schemas', 'sql', 'local', 'lab']
/** The CLI's entry, the collector's entry, and the stamp that says both are current. */
export const OUTPUTS = {
  cli: join(DIST, 'cli', 'main.js'),
  collector: join(DIST, 'netlake-collector.mjs'),
  stamp: join(DIST, 'build-stamp.json'),
}
/** The collector must fit on any test VM. */
export const COLLECTOR_MAX_BYTES = 2 * 1024 * 1024

/**
 * Bundled code moves from `local/servers/x.ts` to `dist/cli/chunk-*.js`, so every
 * `import.meta.url` in a source file is rewritten to the URL that file had in the tree (computed
 * from the chunk's own URL at run time: the package can still move). Paths next to sources
 * (`../samples/lab/`, `./s3rver-child.cjs`, `createRequire`) then resolve as they do under tsx.
 */
function sourceUrlPlugin(outDirFromRoot) {
  const up =
    outDirFromRoot
      .split('/')
      .map(() => '..')
      .join('/') + '/'
  return {
    name: 'source-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8')
        if (!text.includes('import.meta.url')) return { contents: text, loader: 'ts' }
        const fromRoot = relative(ROOT, args.path).split('\\').join('/')
        const url = `new URL(${JSON.stringify(up + fromRoot)}, import.meta.url).href`
        return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' }
      })
    },
  }
}

async function version() {
  return JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).version
}

/** Builds the CLI and the collector; returns their sizes in bytes. */
export async function buildCli({ quiet = false } = {}) {
  const started = performance.now()
  const define = { __NETLAKE_VERSION__: JSON.stringify(await version()) }
  await rm(join(DIST, 'cli'), { recursive: true, force: true })
  await esbuild.build({
    absWorkingDir: ROOT,
    // Worker threads are entries of their own (cli/worker-thread.ts starts them).
    entryPoints: {
      main: 'cli/main.ts',
      'reprocess-worker': 'cli/reprocess-worker.ts',
      'normalize-worker': 'cli/normalize-worker.ts',
    },
    outdir: 'dist/cli',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    chunkNames: '[name]-[hash]',
    define,
    logLevel: 'warning',
    plugins: [sourceUrlPlugin('dist/cli')],
  })
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ['collector/main.ts'],
    outfile: OUTPUTS.collector,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node18',
    minify: true,
    legalComments: 'none',
    define: { ...define, __NETLAKE_COLLECTOR__: 'true' },
    // CommonJS dependencies bundled into an ES module may call require() for Node built-ins.
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __nlCreateRequire } from 'node:module'; const require = __nlCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  })
  const collectorBytes = (await stat(OUTPUTS.collector)).size
  if (collectorBytes > COLLECTOR_MAX_BYTES)
    throw new Error(
      `dist/netlake-collector.mjs is ${collectorBytes} bytes, above the ${COLLECTOR_MAX_BYTES} budget`,
    )
  await mkdir(dirname(OUTPUTS.stamp), { recursive: true })
  await writeFile(OUTPUTS.stamp, JSON.stringify({ built_at_ms: Date.now() }) + '\n')
  const ms = Math.round(performance.now() - started)
  if (!quiet)
    console.log(
      `build:cli: dist/cli/ and dist/netlake-collector.mjs (${(collectorBytes / 1024).toFixed(0)} KiB) in ${ms} ms`,
    )
  return { collectorBytes, ms }
}

async function newestMtime(dir) {
  let newest = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(ts|cjs|mjs|js|json|sql|java)$/.test(entry.name)) continue
    const path = join(entry.parentPath ?? entry.path, entry.name)
    newest = Math.max(newest, (await stat(path)).mtimeMs)
  }
  return newest
}

/** True when dist/ is missing or older than a source file, package.json or this script. */
export async function isStale() {
  let built
  try {
    built = Math.min(
      ...(await Promise.all(Object.values(OUTPUTS).map(async (p) => (await stat(p)).mtimeMs))),
    )
  } catch {
    return true
  }
  const inputs = await Promise.all([
    ...SOURCE_DIRS.map((d) => newestMtime(join(ROOT, d))),
    stat(join(ROOT, 'package.json')).then((s) => s.mtimeMs),
    stat(fileURLToPath(import.meta.url)).then((s) => s.mtimeMs),
  ])
  return Math.max(...inputs) > built
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--check')) {
    const stale = await isStale()
    console.log(stale ? 'dist/ is stale: run npm run build:cli' : 'dist/ is current')
    process.exitCode = stale ? 1 : 0
  } else if (process.argv.includes('--if-stale')) {
    if (await isStale()) await buildCli()
  } else await buildCli()
}
