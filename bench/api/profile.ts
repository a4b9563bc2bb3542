/**
 * Where the API process spends its CPU: a V8 CPU profile (node:inspector, in process) taken while
 * `work` runs, reduced to self time per component and inclusive time of a few named stages.
 */
import { Session } from 'node:inspector/promises'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string }
  children?: number[]
}

/** Self-time shares by component, and inclusive shares of named functions. */
export interface ProfileSummary {
  samples: number
  components: Array<[string, number]>
  stages: Array<[string, number]>
  /** Functions with the most self time (`name file:line`). */
  functions: Array<[string, number]>
}

const STAGES = ['storeUpload', 'readBody', 'sha256Hex', 'normalizeRaw', 'ingestAndLog', 'toParquet']

function component(url: string, fn: string): string {
  if (!url)
    return fn === '(garbage collector)'
      ? 'GC'
      : fn === '(idle)'
        ? 'idle'
        : fn === '(program)'
          ? 'V8/native (program)'
          : 'node internals (http, streams, crypto, fs)'
  if (url.startsWith('node:')) return 'node internals (http, streams, crypto, fs)'
  if (url.startsWith('wasm://')) return 'parquet-wasm (ingest)'
  if (
    /node_modules\/(dynalite|level|leveldown|levelup|memdown|abstract-leveldown|lazy|big\.js|deferred-leveldown|encoding-down)/.test(
      url,
    )
  )
    return 'dynalite + LevelDB (DynamoDB emulator)'
  if (/node_modules\/@(aws-sdk|smithy|aws-crypto)\//.test(url)) return 'AWS SDK v3 clients'
  if (/node_modules\/apache-arrow\//.test(url) || url.includes('/core/arrow-table'))
    return 'Arrow (ingest)'
  if (/node_modules\/(zod|@hono\/zod-openapi)\//.test(url)) return 'zod'
  if (/node_modules\/(hono|@hono\/node-server)\//.test(url)) return 'hono + @hono/node-server'
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)
  if (m) return m[1]
  if (url.includes('/functions/core/')) return 'netlake core (parse, normalize, sha256)'
  if (url.includes('/functions/ingest/')) return 'netlake ingest'
  if (url.includes('/functions/api/')) return 'netlake API routes'
  if (url.includes('/functions/adapters/')) return 'netlake adapters'
  return 'other'
}

/** Runs `work` under the CPU profiler of this process. */
export async function profileWhile(work: () => Promise<void>): Promise<ProfileSummary> {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 500 })
  await session.post('Profiler.start')
  try {
    await work()
  } finally {
    var { profile } = (await session.post('Profiler.stop')) as unknown as {
      profile: { nodes: ProfileNode[]; samples: number[] }
    }
    session.disconnect()
  }
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const self = new Map<string, number>()
  const stage = new Map<string, number>()
  const fns = new Map<string, number>()
  let busy = 0
  for (const id of profile.samples) {
    const node = nodes.get(id)!
    const name = component(node.callFrame.url, node.callFrame.functionName)
    self.set(name, (self.get(name) ?? 0) + 1)
    if (name === 'idle') continue
    busy++
    const frame = node.callFrame as ProfileNode['callFrame'] & { lineNumber?: number }
    const fn =
      `${frame.functionName || '(anonymous)'} ${frame.url ? `${frame.url.replace(/^.*\/(node_modules\/)?/, '')}:${(frame.lineNumber ?? 0) + 1}` : ''}`.trim()
    fns.set(fn, (fns.get(fn) ?? 0) + 1)
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const fn = nodes.get(at)!.callFrame.functionName
      if (STAGES.includes(fn)) seen.add(fn)
    }
    for (const fn of seen) stage.set(fn, (stage.get(fn) ?? 0) + 1)
  }
  self.delete('idle')
  const share = (entries: Map<string, number>) =>
    [...entries].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / busy] as [string, number])
  return {
    samples: busy,
    components: share(self),
    stages: STAGES.filter((s) => stage.has(s)).map((s) => [s, (stage.get(s) ?? 0) / busy]),
    functions: share(fns).slice(0, 8),
  }
}
