import { runCommand } from '#collector/tool-runner.ts'
import { LAB_PREFIX } from './lab-scenario.ts'
import type { Step } from './topology.ts'
import { NetlakeError } from '#core/errors.ts'

/** A construction step that failed, with the command and what it printed. */
export class LabStepError extends NetlakeError {
  constructor(
    readonly step: Step,
    readonly stderr: string,
  ) {
    super(`lab setup failed: '${step.argv.join(' ')}': ${stderr.trim() || 'no output'}`)
  }
}

/** True when running as root (the lab needs CAP_NET_ADMIN and CAP_SYS_ADMIN). */
export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0
}

/** Runs the steps in order; stops at the first required one that fails. Returns failed optional steps. */
export async function applySteps(steps: readonly Step[]): Promise<Step[]> {
  const skipped: Step[] = []
  for (const step of steps) {
    const result = await runCommand(step.argv, 15_000)
    if (result.code === 0) continue
    if (step.optional) skipped.push(step)
    else throw new LabStepError(step, result.stderr)
  }
  return skipped
}

/** Namespaces that exist now whose name starts with the lab prefix (or a narrower one). */
export async function listLabNamespaces(prefix = LAB_PREFIX): Promise<string[]> {
  if (!prefix.startsWith(LAB_PREFIX))
    throw new Error(`refusing to list namespaces outside the lab prefix '${LAB_PREFIX}'`)
  const result = await runCommand(['ip', 'netns', 'list'], 10_000)
  return result.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((name) => name && name.startsWith(prefix))
}

/**
 * Deletes lab namespaces, first killing any process still inside them (a deleted namespace
 * would otherwise live on with its servers). Only names with the lab prefix are touched.
 */
export async function deleteNamespaces(names: readonly string[]): Promise<void> {
  for (const name of names) {
    if (!name.startsWith(LAB_PREFIX))
      throw new Error(
        `refusing to delete namespace '${name}' outside the lab prefix '${LAB_PREFIX}'`,
      )
    const pids = await runCommand(['ip', 'netns', 'pids', name], 5_000)
    for (const pid of pids.stdout.split(/\s+/).filter(Boolean).map(Number)) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    await runCommand(['ip', 'netns', 'del', name], 10_000)
  }
}

/** Whether a command exists on PATH. */
export async function hasCommand(name: string): Promise<boolean> {
  const result = await runCommand(['sh', '-c', `command -v ${name}`], 5_000)
  return result.code === 0
}
