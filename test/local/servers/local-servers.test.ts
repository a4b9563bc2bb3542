import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAwsClients, destroyAwsClients } from '#adapters/aws-clients.ts'
import { createCatalogTable, createDynamoDbRunCatalog } from '#adapters/dynamodb-run-catalog.ts'
import { startLocalDynamo } from '#local/servers/local-dynamo.ts'
import { startLocalS3 } from '#local/servers/local-s3.ts'
import { localCredentials } from '#local/servers/local-credentials.ts'
import { createS3ObjectStore } from '#adapters/s3-object-store.ts'
import { emptyRunRow } from '#core/rows.ts'

const SCRIPTS = join(import.meta.dirname, 'scripts')

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netlake-local-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (check()) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return check()
}

/** Runs a script under tsx; resolves with its exit code and stdout (or null code on timeout). */
function runScript(
  script: string,
  args: string[],
  onStdout?: (text: string, kill: () => void) => void,
): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(SCRIPTS, script), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let stdout = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      onStdout?.(stdout, () => child.kill('SIGKILL'))
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout })
    })
  })
}

describe('embedded local servers', () => {
  it('persist objects and items under dataDir across restarts', async () => {
    // Prepare
    const s3Dir = join(dir, 'persist-s3')
    const dynamoDir = join(dir, 'persist-dynamo')
    const credentials = localCredentials()
    const first = {
      s3: await startLocalS3({ dataDir: s3Dir, buckets: ['b'], credentials }),
      dynamo: await startLocalDynamo({ dataDir: dynamoDir, credentials }),
    }
    let clients = createAwsClients({
      region: 'us-east-1',
      s3Endpoint: first.s3.endpoint,
      dynamoDbEndpoint: first.dynamo.endpoint,
      credentials,
    })
    await createS3ObjectStore(clients.s3, 'b').put('raw/x.json', '{"a":1}')
    await createCatalogTable(clients.dynamoRaw, 'catalog')
    await createDynamoDbRunCatalog(clients.dynamo, 'catalog').putRun({
      ...emptyRunRow(),
      run_id: 'r1',
      mtu: 1450,
    })
    destroyAwsClients(clients)
    await first.s3.close()
    await first.dynamo.close()
    // Act
    const second = {
      s3: await startLocalS3({ dataDir: s3Dir, buckets: ['b'], credentials }),
      dynamo: await startLocalDynamo({ dataDir: dynamoDir, credentials }),
    }
    clients = createAwsClients({
      region: 'us-east-1',
      s3Endpoint: second.s3.endpoint,
      dynamoDbEndpoint: second.dynamo.endpoint,
      credentials,
    })
    const bytes = await createS3ObjectStore(clients.s3, 'b').get('raw/x.json')
    await createCatalogTable(clients.dynamoRaw, 'catalog')
    const run = await createDynamoDbRunCatalog(clients.dynamo, 'catalog').getRun('r1')
    destroyAwsClients(clients)
    await second.s3.close()
    await second.dynamo.close()
    // Assess
    expect(new TextDecoder().decode(bytes ?? new Uint8Array())).toBe('{"a":1}')
    expect(run?.mtu).toBe(1450)
    expect(alive(first.s3.pid)).toBe(false)
  })

  it('close() leaves no handle behind: a process using both servers exits by itself', async () => {
    // Act
    const result = await runScript('start-and-close.ts', [join(dir, 'exit')])
    // Assess
    expect(result.signal).toBeNull()
    expect(result.code).toBe(0)
    const pid = Number(/closed (\d+)/.exec(result.stdout)?.[1])
    expect(alive(pid)).toBe(false)
  })

  it('the s3rver child dies when its parent is killed', async () => {
    // Prepare
    let pid = 0
    // Act
    await runScript('start-and-wait.ts', [join(dir, 'orphan')], (out, kill) => {
      const match = /pid (\d+)/.exec(out)
      if (match && pid === 0) {
        pid = Number(match[1])
        kill()
      }
    })
    // Assess
    expect(pid).toBeGreaterThan(0)
    expect(await waitUntil(() => !alive(pid), 5_000)).toBe(true)
  })
})
