import { createApi } from '#functions/api/app.ts'
import type { ApiDeps, ApiOptions } from '#functions/api/app.ts'
import { createToken } from '#functions/api/tokens.ts'
import type { Scope } from '#functions/api/tokens.ts'
import { defaultScenarioCatalog } from '#core/compare/scenario-catalog.ts'
import { createMemoryLake } from './memory-lake.ts'

/** The API over a memory lake, with a token per scope and a settable clock and peer address. */
export async function createMemoryApi(
  options: Partial<ApiOptions> = {},
  extra: Pick<ApiDeps, 'platforms' | 'docsAssets'> = {},
) {
  let now = new Date('2026-11-26T10:00:00Z')
  const lake = await createMemoryLake()
  const clock = { now: () => now }
  let peer: string | undefined = '192.0.2.10'
  const app = createApi({
    ...lake.deps,
    clock,
    reports: lake.reports,
    scenarios: defaultScenarioCatalog(),
    readParquet: lake.readParquet,
    fileUrl: async (bucket, key) => `/v1/files/${bucket}/${key}`,
    remoteAddress: () => peer,
    ...extra,
    options: { serveFiles: true, ...options },
  })
  const tokens = {} as Record<Scope, string>
  for (const scope of ['collector', 'reader', 'admin'] as const) {
    tokens[scope] = (await createToken(lake.catalog, { scopes: [scope], now })).token
  }
  return {
    app,
    lake,
    tokens,
    setNow: (date: Date) => (now = date),
    setPeer: (address: string | undefined) => (peer = address),
    auth: (scope: Scope) => ({ Authorization: `Bearer ${tokens[scope]}` }),
  }
}
