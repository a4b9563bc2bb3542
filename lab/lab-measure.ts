import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { UploadEnvelopeSchema } from '#schemas/envelope.ts'
import type { LabelInput } from '#collector/label-input.ts'
import type { Progress } from '#collector/progress.ts'
import type { PlannedRun } from '#collector/schedule.ts'
import type { Spool } from '#collector/spool.ts'
import type { SystemInfo } from '#collector/system-info.ts'
import { labLabels } from './lab-labels.ts'
import type { LabScenario } from './lab-scenario.ts'
import { runScenarioOnce, type LabRunSettings } from './lab-runner.ts'

/** What a lab measurement session needs. */
export interface LabSession {
  scenarios: LabScenario[]
  plan: PlannedRun[]
  settings: LabRunSettings
  offloadsOff: boolean
  user: LabelInput
  system: SystemInfo
  /** Output folder: `<out>/<scenario>/rep<N>-<tool>.{json,txt}`, `-server.json`, `-labels.json`. */
  out: string
  /** When pushing: each result is spooled as soon as it exists. */
  spool: Spool | null
  progress: Progress
}

/**
 * Runs the plan slot by slot, writing every output and its labels to `out` (and to the spool when
 * pushing). Returns one line per failed run. Scenarios must be up.
 */
export async function measureLab(session: LabSession): Promise<string[]> {
  const { progress, settings } = session
  const byId = new Map(session.scenarios.map((s) => [s.id, s]))
  const failures: string[] = []
  progress.setTotal(session.plan.length)
  for (const slot of session.plan) {
    const s = byId.get(slot.scenario)
    if (!s) throw new Error(`plan names unknown scenario ${slot.scenario}`)
    const dir = join(session.out, s.id)
    await mkdir(dir, { recursive: true })
    for (const r of await runScenarioOnce(s, settings, slot.repetition)) {
      const conditions = { offloadsOff: session.offloadsOff, pin: settings.pin }
      const labels = labLabels(
        s,
        session.system,
        conditions,
        session.user,
        r.repetition,
        r.collected_at,
      )
      const base = join(dir, `rep${r.repetition}-${r.tool}`)
      const file = `${base}${r.tool === 'iperf3' ? '.json' : '.txt'}`
      if (r.raw) await writeFile(file, r.raw)
      if (r.server_raw) await writeFile(`${base}-server.json`, r.server_raw)
      await writeFile(`${base}-labels.json`, `${JSON.stringify(labels, null, 2)}\n`)
      let failure = r.failure
      let spoolId: string | null = null
      if (r.raw && session.spool) {
        const envelope = UploadEnvelopeSchema.safeParse({ labels, tool: r.tool, raw: r.raw })
        if (envelope.success) spoolId = (await session.spool.put(envelope.data)).id
        else
          failure ??= `labels invalid: ${envelope.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`
      }
      if (failure) failures.push(`${s.id} rep ${r.repetition} ${r.tool}: ${failure}`)
      progress.emit(
        {
          event: 'run-done',
          scenario: s.id,
          repetition: r.repetition,
          tool: r.tool,
          ok: !failure,
          error: failure,
          file: r.raw ? file : null,
          spool_id: spoolId,
        },
        `${s.id} rep ${r.repetition} ${r.tool}: ${failure ?? 'ok'}`,
      )
    }
    progress.tick(`${slot.scenario}#${slot.repetition}`)
  }
  progress.end()
  return failures
}
