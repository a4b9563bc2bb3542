import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createToken, DEFAULT_TOKEN_TTL_DAYS, publicToken, SCOPES } from '#functions/api/tokens.ts'
import type { Scope } from '#functions/api/tokens.ts'
import type { Lake } from './lake.ts'

const USAGE = `usage: netlake token create --scope collector|reader|admin [--scope ...] [--label TEXT] [--ttl-days N] [--data-dir DIR] [--json]
       netlake token list [--data-dir DIR] [--json]
       netlake token revoke TOKEN_ID [--data-dir DIR] [--json]
       netlake token rotate-admin [--data-dir DIR] [--json]

create        prints a new token once; only its hash is stored. 'collector' may upload, 'reader'
              may read, 'admin' may do everything. It expires after --ttl-days (default ${DEFAULT_TOKEN_TTL_DAYS}).
list          every token's id, scopes, label, dates and whether it is revoked (never a secret).
revoke        refuses TOKEN_ID from now on (the id is the part after nlk_ in the token).
rotate-admin  local stack: writes a new admin token to <data dir>/token and revokes the old one.
Works on the running local stack, or on AWS when NETLAKE_* variables are set (not rotate-admin).`

const ACTIONS = ['create', 'list', 'revoke', 'rotate-admin'] as const

/** `netlake token create|list|revoke|rotate-admin` */
export async function run(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        scope: { type: 'string', multiple: true },
        label: { type: 'string' },
        'ttl-days': { type: 'string' },
        'data-dir': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    return usageError((error as Error).message)
  }
  const { values, positionals } = parsed
  if (values.help) return (console.log(USAGE), 0)
  const action = positionals[0] as (typeof ACTIONS)[number] | undefined
  if (!action || !ACTIONS.includes(action))
    return usageError(`expected one of: ${ACTIONS.join(', ')}`)
  if (action === 'revoke' && !/^[0-9a-f]{12}$/.test(positionals[1] ?? ''))
    return usageError('revoke needs a TOKEN_ID (12 hex digits, as printed by token list)')
  if (positionals.length > (action === 'revoke' ? 2 : 1))
    return usageError(`unexpected argument '${positionals.at(-1)}'`)
  const scopes = values.scope ?? []
  const ttl = values['ttl-days'] === undefined ? null : Number(values['ttl-days'])
  if (action === 'create') {
    const bad = scopes.find((s) => !(SCOPES as readonly string[]).includes(s))
    if (bad) return usageError(`unknown scope '${bad}'`)
    if (scopes.length === 0) return usageError('expected: token create --scope ...')
    if (ttl !== null && !(Number.isInteger(ttl) && ttl > 0))
      return usageError('--ttl-days must be a positive integer')
  } else if (scopes.length || values.label !== undefined || ttl !== null) {
    return usageError(`--scope, --label and --ttl-days belong to 'token create'`)
  }
  if (action === 'rotate-admin' && process.env.NETLAKE_RAW_BUCKET)
    return (
      console.error(
        'netlake token: rotate-admin rotates the local stack admin token; on AWS create an admin token and revoke the old one',
      ),
      1
    )
  const { openLake } = await import('./lake.ts') // the adapters load only now
  const lake = await openLake(values['data-dir'])
  if (typeof lake === 'string') return (console.error(`netlake token: ${lake}`), 1)
  try {
    if (action === 'list') return await list(lake, values.json === true)
    if (action === 'revoke') return await revoke(lake, positionals[1], values.json === true)
    if (action === 'rotate-admin') return await rotate(lake, values.json === true)
    const { token, record } = await createToken(lake.catalog, {
      scopes: scopes as Scope[],
      label: values.label ?? null,
      ttlDays: ttl,
      now: new Date(),
    })
    if (values.json) {
      console.log(
        JSON.stringify({
          token,
          token_id: record.token_id,
          scopes: record.scopes,
          expires_at: record.expires_at ?? null,
        }),
      )
      return 0
    }
    console.error(
      `token ${record.token_id} (${record.scopes.join(', ')}, expires ${record.expires_at}) for ${lake.where}; it is shown only now:`,
    )
    console.log(token)
    return 0
  } finally {
    lake.close()
  }
}

function usageError(message: string): number {
  console.error(`netlake token: ${message}\n\n${USAGE}`)
  return 2
}

async function list(lake: Lake, json: boolean): Promise<number> {
  const tokens = (await lake.catalog.listTokens()).map(publicToken)
  if (json) {
    for (const token of tokens) console.log(JSON.stringify(token))
    return 0
  }
  for (const t of tokens)
    console.log(
      [
        t.token_id,
        t.scopes.join(','),
        t.revoked ? 'revoked' : `expires ${t.expires_at ?? 'never'}`,
        t.label ?? '',
      ].join('\t'),
    )
  console.error(`${tokens.length} token(s) in ${lake.where}`)
  return 0
}

async function revoke(lake: Lake, tokenId: string, json: boolean): Promise<number> {
  const revoked = await lake.catalog.revokeToken(tokenId)
  if (!revoked) return (console.error(`netlake token: no token ${tokenId} in ${lake.where}`), 1)
  if (json) console.log(JSON.stringify(publicToken(revoked)))
  else console.error(`token ${tokenId} revoked in ${lake.where}`)
  return 0
}

async function rotate(lake: Lake, json: boolean): Promise<number> {
  const { rotateAdminToken } = await import('#local/admin-token.ts')
  const tokenFile = join(lake.dataDir ?? '.netlake', 'token')
  const rotated = await rotateAdminToken(tokenFile, lake)
  if (json)
    console.log(
      JSON.stringify({
        token_id: rotated.tokenId,
        expires_at: rotated.expiresAt,
        revoked_id: rotated.revokedId,
        token_file: tokenFile,
      }),
    )
  else
    console.error(
      `new admin token ${rotated.tokenId} written to ${tokenFile}${rotated.revokedId ? `; ${rotated.revokedId} is revoked` : ''}`,
    )
  return 0
}
