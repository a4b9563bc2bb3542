import { parseArgs } from 'node:util'
import { createToken, SCOPES } from '#functions/api/tokens.ts'
import type { Scope } from '#functions/api/tokens.ts'

const USAGE = `usage: netlake token create --scope collector|reader|admin [--scope ...] [--label TEXT] [--ttl-days N] [--data-dir DIR] [--json]

Creates an API token and prints it once; only its hash is stored. 'collector' may upload,
'reader' may read, 'admin' may do everything. Works on the running local stack, or on AWS when
NETLAKE_* variables are set. --json prints {token, token_id, scopes, expires_at} on one line.`

/** `netlake token create` */
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
    console.error(`netlake token: ${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help) return (console.log(USAGE), 0)
  const scopes = values.scope ?? []
  const bad = scopes.find((s) => !(SCOPES as readonly string[]).includes(s))
  const ttl = values['ttl-days'] === undefined ? null : Number(values['ttl-days'])
  if (
    positionals[0] !== 'create' ||
    scopes.length === 0 ||
    bad ||
    (ttl !== null && !(Number.isInteger(ttl) && ttl > 0))
  ) {
    console.error(
      `netlake token: ${bad ? `unknown scope '${bad}'` : ttl !== null && !(ttl > 0) ? '--ttl-days must be a positive integer' : 'expected: token create --scope ...'}\n\n${USAGE}`,
    )
    return 2
  }
  const { openLake } = await import('./lake.ts') // the adapters load only now
  const lake = await openLake(values['data-dir'])
  if (typeof lake === 'string') return (console.error(`netlake token: ${lake}`), 1)
  try {
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
      `token ${record.token_id} (${record.scopes.join(', ')}${record.expires_at ? `, expires ${record.expires_at}` : ''}) for ${lake.where}; it is shown only now:`,
    )
    console.log(token)
    return 0
  } finally {
    lake.close()
  }
}
