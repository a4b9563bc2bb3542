import { randomBytes } from 'node:crypto'
import { chmod, mkdir } from 'node:fs/promises'

/** The access key pair the embedded servers accept, made fresh at every start. */
export interface LocalCredentials {
  accessKeyId: string
  secretAccessKey: string
}

/** A random key pair (the secret never leaves this machine: stack file 0600, IPC to the child). */
export function localCredentials(): LocalCredentials {
  return {
    accessKeyId: `NETLAKE${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  }
}

/** Creates `dir` (and parents) and makes it 0700, also when it already existed with wider modes. */
export async function privateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  await chmod(dir, 0o700)
}
