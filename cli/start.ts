import { resolve } from 'node:path'
import { parseArgs } from 'node:util'

const USAGE = `usage: netlake start [--data-dir DIR] [--port N] [--no-sample-data] [--no-anonymous-reads] [--scenarios FILE]

Runs the whole system on this machine: embedded S3 (s3rver) and DynamoDB (dynalite) servers on
127.0.0.1 with data under DIR (default ./.netlake or $NETLAKE_DATA_DIR), the ingest worker,
compaction, the API and the notebook on http://127.0.0.1:PORT (default 8787 or $PORT).`

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
push your own results (netlake finds this stack's address and token${dataDirFlag ? ' with' + dataDirFlag : ''}):
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
