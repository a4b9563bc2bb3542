import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { SAMPLE_LABELS } from '#schemas/sample-labels.ts'
import type { LocalStack } from '#local/stack.ts'

const USAGE = `usage: netlake start [--data-dir DIR] [--port N] [--no-sample-data] [--no-anonymous-reads] [--scenarios FILE]
                     [--platforms P1,P2] [--allowed-host NAME]...

Runs the whole system on this machine: embedded S3 (s3rver) and DynamoDB (dynalite) servers on
127.0.0.1 with data under DIR (default ./.netlake or $NETLAKE_DATA_DIR), the ingest worker,
compaction, the API and the notebook on http://127.0.0.1:PORT (default 8787 or $PORT).
--platforms (or $NETLAKE_PLATFORMS) names platforms accepted beyond openstack, kubevirt, baremetal.
The API answers only requests whose Host is localhost, 127.0.0.1 or [::1] (421 otherwise: a page
on another name that resolves here gets nothing); --allowed-host NAME (repeatable) or
$NETLAKE_ALLOWED_HOSTS (comma-separated) adds names, e.g. the one a proxy or a lab forwards.`

/** `netlake start`: the local stack in the foreground until Ctrl-C. */
export async function run(argv: string[]): Promise<number> {
  let values
  try {
    values = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        'no-sample-data': { type: 'boolean' },
        'no-anonymous-reads': { type: 'boolean' },
        scenarios: { type: 'string' },
        platforms: { type: 'string' },
        'allowed-host': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    }).values
  } catch (error) {
    console.error(`netlake start: ${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  const port = Number(values.port ?? process.env.PORT ?? 8787)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(
      `netlake start: --port must be 0-65535 (got '${values.port ?? process.env.PORT}')`,
    )
    return 2
  }
  const { hostList, platformList } = await import('#adapters/config.ts') // after --help: it loads zod
  const platforms = platformList.safeParse(values.platforms ?? process.env.NETLAKE_PLATFORMS ?? '')
  if (!platforms.success) {
    console.error(
      `netlake start: --platforms: ${platforms.error.issues[0].message} (got '${values.platforms ?? process.env.NETLAKE_PLATFORMS}')`,
    )
    return 2
  }
  const hostSources: Array<[string, string]> = [
    ...(values['allowed-host'] ?? []).map((h): [string, string] => ['--allowed-host', h]),
    ['NETLAKE_ALLOWED_HOSTS', process.env.NETLAKE_ALLOWED_HOSTS ?? ''],
  ]
  const allowedHosts: string[] = []
  for (const [from, value] of hostSources) {
    const hosts = hostList.safeParse(value)
    if (!hosts.success || (from === '--allowed-host' && hosts.data.length !== 1)) {
      const why = hosts.success ? 'one host name per flag' : hosts.error.issues[0].message
      console.error(`netlake start: ${from}: ${why} (got '${value}')`)
      return 2
    }
    allowedHosts.push(...hosts.data)
  }
  const dataDir = resolve(values['data-dir'] ?? process.env.NETLAKE_DATA_DIR ?? '.netlake')
  const quiet = process.env.NETLAKE_LOG !== 'verbose'
  console.log(`netlake: starting the local stack (data in ${dataDir})...`)
  const { startLocalStack } = await import('#local/stack.ts') // loaded only now: --help stays instant
  const stack = await startLocalStack({
    dataDir,
    port,
    sampleData: !values['no-sample-data'],
    anonymousLoopbackReads: !values['no-anonymous-reads'],
    scenariosFile: values.scenarios,
    platforms: platforms.data,
    allowedHosts,
    reportWebhookUrl: process.env.NETLAKE_REPORT_WEBHOOK || undefined,
    log: (line) => {
      if (!quiet || line.level === 'error' || line.outcome === 'quarantined')
        console.log(JSON.stringify(line))
    },
  })
  // The CLI finds the stack through ./.netlake by default; say --data-dir when it lives elsewhere.
  const dataDirFlag = dataDir === resolve('.netlake') ? '' : ` --data-dir ${dataDir}`
  console.log(`netlake is up.
  notebook   ${stack.url}/
  API docs   ${stack.url}/docs   (health: ${stack.url}/healthz)
  data       ${dataDir}  (S3 objects in s3/, DynamoDB in dynamodb/)
  token      ${stack.tokenFile}  (admin; keep it secret)
  hosts      ${stack.allowedHosts.join(', ')}  (the Host names served; others get 421)
${sampleDataNote(stack.samples, dataDir)}push your own results (netlake finds this stack's address and token${dataDirFlag ? ' with' + dataDirFlag : ''}):
  netlake push${dataDirFlag} --label platform=openstack --label scenario=os-s1 result.json
  netlake compare${dataDirFlag} --all        netlake query${dataDirFlag} "SELECT * FROM runs LIMIT 5"
  ('netlake' without npx's ~2 s: npm link once, or PATH=$PWD/node_modules/.bin:$PATH)
  or: curl -H "Authorization: Bearer $(cat ${stack.tokenFile})" -H 'Content-Type: application/json' \\
        --data-binary @result.json '${stack.url}/v1/results?platform=openstack&scenario=os-s1'
Ctrl-C stops everything; data is kept for the next start.`)
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  console.log('netlake: stopping...')
  await stack.close()
  console.log('netlake: stopped.')
  return 0
}

/** The banner's lines about the bundled samples: what was loaded, how they are kept apart, how to do without. */
export function sampleDataNote(samples: LocalStack['samples'], dataDir: string): string {
  if (!samples.present) return ''
  const what =
    samples.loaded > 0
      ? `loaded ${samples.loaded} bundled sample files (8 lab scenarios)`
      : 'the bundled lab samples are in this lake'
  return `samples    ${what}, labelled campaign=${SAMPLE_LABELS.campaign} and
             hardware_profile=${SAMPLE_LABELS.hardware_profile}: they never share a comparison key with your runs,
             and /v1/compare leaves them out once a scenario has runs of your own (campaign=${SAMPLE_LABELS.campaign} picks them).
             Remove them from this lake with: netlake samples remove${dataDir === resolve('.netlake') ? '' : ` --data-dir ${dataDir}`}
             (they are not loaded again), or start on an empty data dir with --no-sample-data.
`
}
