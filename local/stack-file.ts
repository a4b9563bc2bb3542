import { chmod, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'

/** What a running local stack tells CLI commands (`netlake compact`, `reprocess`, `token`, `query`). */
export const StackFileSchema = z.object({
  pid: z.number().int(),
  url: z.string(),
  s3_endpoint: z.string(),
  dynamodb_endpoint: z.string(),
  buckets: z.object({ raw: z.string(), curated: z.string(), reports: z.string() }),
  table: z.string(),
  /** The key pair the embedded servers accept this start (the file is 0600 in a 0700 folder). */
  credentials: z.object({ access_key_id: z.string(), secret_access_key: z.string() }),
})
export type StackFile = z.infer<typeof StackFileSchema>

export const stackFilePath = (dataDir: string) => join(dataDir, 'stack.json')

/** Written when the stack is up (mode 0600), removed when it stops. */
export async function writeStackFile(
  dataDir: string,
  info: StackFile,
): Promise<() => Promise<void>> {
  await writeFile(stackFilePath(dataDir), JSON.stringify(info, null, 2), { mode: 0o600 })
  await chmod(stackFilePath(dataDir), 0o600)
  return () => rm(stackFilePath(dataDir), { force: true })
}

/** The running stack's endpoints, or a sentence saying why there are none. */
export async function readStackFile(dataDir: string): Promise<StackFile | string> {
  let text: string
  try {
    text = await readFile(stackFilePath(dataDir), 'utf8')
  } catch {
    return `no local stack is running with data in ${dataDir} (start one with 'npm start', or set NETLAKE_RAW_BUCKET etc. for AWS)`
  }
  const parsed = StackFileSchema.safeParse(JSON.parse(text))
  if (!parsed.success) return `${stackFilePath(dataDir)} is not a netlake stack file`
  try {
    process.kill(parsed.data.pid, 0)
  } catch {
    return `the local stack that wrote ${stackFilePath(dataDir)} (pid ${parsed.data.pid}) is no longer running; start it with 'npm start'`
  }
  return parsed.data
}
