import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/** What a suite needs from the machine besides Node. */
export interface Prerequisites {
  /** Programs that must be on PATH (or absolute paths that must exist). */
  programs?: string[]
  /** Root, for network namespaces. */
  root?: boolean
}

const onPath = (program: string) =>
  program.includes('/')
    ? existsSync(program)
    : (process.env.PATH ?? '').split(delimiter).some((dir) => existsSync(join(dir, program)))

/** What of `needs` this machine lacks, in words ("iperf3 not on PATH", "not root"). */
export function missingPrerequisites(needs: Prerequisites): string[] {
  const missing = (needs.programs ?? []).filter((p) => !onPath(p)).map((p) => `${p} not found`)
  if (needs.root && process.getuid?.() !== 0) missing.push('not running as root')
  return missing
}

/**
 * Whether a suite can run here. Outside CI a suite whose programs are missing is skipped with its
 * reason printed; in CI (`CI=true`, where .ci/run installs everything) a missing program fails the
 * suite instead, so a skip can never hide in a green run.
 */
export function canRun(suite: string, needs: Prerequisites): boolean {
  const missing = missingPrerequisites(needs)
  if (missing.length === 0) return true
  const reason = `${suite}: ${missing.join(', ')}`
  if (process.env.CI === 'true') throw new Error(`${reason} (CI must provide it: see .ci/run)`)
  console.warn(`${reason}: suite skipped (.ci/run installs what it needs)`)
  return false
}
