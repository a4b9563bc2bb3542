import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App, Stack } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  duckdbNative,
  type FunctionArchitecture,
  type NativeModules,
  NetlakeFunction,
  PARQUET_WASM,
  PROJECT_ROOT,
  QUERY_DIR,
  SWAGGER_UI_ASSETS,
} from '../../infra/constructs/netlake-function.ts'
import { REPORT_ARCHITECTURE } from '../../infra/stacks/report-stack.ts'
import { CDK_CONTEXT, logicalId } from './helpers.ts'

interface Handler {
  name: string
  entry: string
  assets: string[]
  architecture?: FunctionArchitecture
  nativeModules?: NativeModules
}

/** The handlers the stacks deploy; only the ones that exist yet are built. */
const HANDLERS: Handler[] = [
  { name: 'ingest', entry: 'functions/ingest/handler.ts', assets: [PARQUET_WASM] },
  { name: 'compact', entry: 'functions/compact/handler.ts', assets: [PARQUET_WASM] },
  {
    name: 'report',
    entry: 'functions/report/handler.ts',
    assets: [QUERY_DIR],
    architecture: REPORT_ARCHITECTURE,
    nativeModules: duckdbNative(REPORT_ARCHITECTURE),
  },
  { name: 'api', entry: 'functions/api/handler.ts', assets: SWAGGER_UI_ASSETS },
  { name: 'repair', entry: 'functions/repair/handler.ts', assets: [PARQUET_WASM] },
]
const PROBE: Handler = { name: 'probe', entry: 'test/infra/fixtures/probe-handler.ts', assets: [] }
const present = HANDLERS.filter((h) => existsSync(join(PROJECT_ROOT, h.entry)))
const MAX_INGEST_JS = 1.5 * 1024 * 1024
const DUMMY_ENV = {
  NETLAKE_RAW_BUCKET: 'raw',
  NETLAKE_CURATED_BUCKET: 'curated',
  NETLAKE_REPORTS_BUCKET: 'reports',
  NETLAKE_TABLE: 'table',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  NODE_NO_WARNINGS: '1',
}

const assets = new Map<string, string>()

/** Bytes of the JavaScript in a bundle directory (source maps and wasm apart). */
function jsBytes(dir: string): number {
  return readdirSync(dir)
    .filter((f) => /\.(m?js|cjs)$/.test(f))
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0)
}

/** Import a bundle in a fresh Node process and call its handler with `event`. */
function invoke(dir: string, event: unknown): unknown {
  const script = `const m = await import(${JSON.stringify(join(dir, 'index.mjs'))});
    const out = await m.handler(${JSON.stringify(event)});
    process.stdout.write(JSON.stringify({ type: typeof m.handler, out }))`
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH, ...DUMMY_ENV },
    encoding: 'utf8',
    timeout: 20_000,
  })
  return JSON.parse(stdout)
}

beforeAll(() => {
  const outdir = mkdtempSync(join(tmpdir(), 'netlake-bundle-'))
  const context = { ...CDK_CONTEXT, 'aws:cdk:enable-asset-metadata': true }
  const app = new App({ outdir, context })
  const stack = new Stack(app, 'Bundles')
  const fns = [PROBE, ...present].map((h) => ({
    h,
    fn: new NetlakeFunction(stack, h.name, {
      entry: h.entry,
      code: 'bundle',
      logRetentionDays: 7,
      description: h.name,
      assets: h.assets,
      architecture: h.architecture,
      nativeModules: h.nativeModules,
    }),
  }))
  app.synth()
  const resources = Template.fromStack(stack).findResources('AWS::Lambda::Function')
  for (const { h, fn } of fns) {
    assets.set(h.name, join(outdir, resources[logicalId(fn.fn)].Metadata['aws:asset:path']))
  }
}, 180_000) // six esbuild bundles; the machine is shared

describe('bundling with the local esbuild', () => {
  it('builds one ESM file + source map that resolves #subpath imports and runs the SDK', () => {
    // Prepare
    const dir = assets.get('probe')!

    // Act
    const result = invoke(dir, {})

    // Assess
    expect(readdirSync(dir).sort()).toEqual(['index.mjs', 'index.mjs.map'])
    expect(result).toEqual({ type: 'function', out: { partitionKey: 'pk', region: 'eu-north-1' } })
  })

  it('keeps the ingest bundle within 1.5 MB of JavaScript, with parquet-wasm beside it', () => {
    // Prepare
    const dir = assets.get('ingest')!

    // Act
    const bytes = jsBytes(dir)
    const files = readdirSync(dir)

    // Assess
    expect(bytes).toBeLessThanOrEqual(MAX_INGEST_JS)
    expect(files).toContain('parquet_wasm_bg.wasm')
    expect(readFileSync(join(dir, 'index.mjs'), 'utf8')).toContain('parquet_wasm_bg.wasm')
  })

  it.each(present.map((h) => [h.name]))('builds %s into a module whose handler loads', (name) => {
    // Prepare
    const dir = assets.get(name)!
    const sizes = { [name]: { jsBytes: jsBytes(dir), files: readdirSync(dir) } }

    // Act
    const url = JSON.stringify(join(dir, 'index.mjs'))
    const script = `const m = await import(${url}); process.stdout.write(typeof m.handler)`
    const loaded = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: tmpdir(),
      env: { PATH: process.env.PATH, ...DUMMY_ENV },
      encoding: 'utf8',
      timeout: 20_000,
    })

    // Assess
    expect(loaded).toBe('function')
    mkdirSync(join(PROJECT_ROOT, 'test-artifacts'), { recursive: true })
    const file = join(PROJECT_ROOT, 'test-artifacts', `bundle-${name}.json`)
    writeFileSync(file, JSON.stringify(sizes, null, 2))
    const kib = (sizes[name].jsBytes / 1024).toFixed(0)
    console.info(`bundle ${name}: ${kib} KiB JS`, sizes[name].files)
  })

  it('ships the report with native DuckDB for its architecture and the notebook SQL files', () => {
    // Prepare
    const dir = assets.get('report')!
    const binary = (REPORT_ARCHITECTURE as string) === 'arm64' ? 'linux-arm64' : 'linux-x64'
    // The bundle lives outside the repository, so the import resolves in its own node_modules/.
    const script = `import { createRequire } from 'node:module'
      const req = createRequire(${JSON.stringify(join(dir, 'index.mjs'))})
      const where = req.resolve('@duckdb/node-api')
      const { DuckDBInstance } = await import(where)
      const db = await DuckDBInstance.create(':memory:')
      const c = await db.connect()
      const r = await c.runAndReadAll("SELECT version() AS v, count(*)::INTEGER AS n FROM range(7)")
      process.stdout.write(JSON.stringify({ where, rows: r.getRowObjectsJS() }))`

    // Act
    const files = readdirSync(dir)
    const queries = readdirSync(join(dir, 'queries')).sort()
    const bundled = readFileSync(join(dir, 'index.mjs'), 'utf8')
    const out = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: tmpdir(),
        env: { PATH: process.env.PATH },
        encoding: 'utf8',
        timeout: 20_000,
      }),
    )

    // Assess
    expect(files).toEqual(expect.arrayContaining(['node_modules', 'queries']))
    expect(files).not.toContain('duckdb-eh.wasm')
    expect(
      existsSync(join(dir, 'node_modules/@duckdb', `node-bindings-${binary}`, 'duckdb.node')),
    ).toBe(true)
    expect(bundled).toMatch(/from\s*["']@duckdb\/node-api["']/)
    expect(out.where.startsWith(dir)).toBe(true)
    expect(out.rows).toEqual([{ v: expect.stringMatching(/^v1\.5\./), n: 7 }])
    expect(queries).toEqual(readdirSync(join(PROJECT_ROOT, QUERY_DIR)).sort())
  })

  it('initialises the ingest handler from its bundle (config, clients, Parquet writer)', () => {
    // Prepare
    const dir = assets.get('ingest')!

    // Act
    const result = invoke(dir, { Records: [] })

    // Assess
    expect(result).toEqual({ type: 'function', out: { batchItemFailures: [] } })
  })

  it('refuses to synthesize a native function whose binary package is not installed', () => {
    // Prepare
    const absent = '@duckdb/node-bindings-linux-riscv64'
    const stack = new Stack(new App({ context: CDK_CONTEXT }), 'Native')

    // Act
    const build = () =>
      new NetlakeFunction(stack, 'Other', {
        entry: 'functions/report/handler.ts',
        code: 'bundle',
        logRetentionDays: 7,
        description: 'absent binary',
        nativeModules: { external: ['@duckdb/node-api'], packages: ['@duckdb/node-api', absent] },
      })

    // Assess
    expect(existsSync(join(PROJECT_ROOT, 'node_modules', absent))).toBe(false)
    expect(build).toThrow(`native package ${absent} is not installed`)
  })
})
