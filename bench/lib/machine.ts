import os from 'node:os'

/** One line describing the machine and runtime, for benchmark reports. */
export function machineNote(): string {
  const cpus = os.cpus()
  const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU'
  return `${cpus.length} × ${model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`
}

/** Busy and total CPU time of the whole machine so far, from `os.cpus()` (every process counts). */
function machineTimes(): { busy: number; total: number } {
  let busy = 0
  let total = 0
  for (const { times } of os.cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq
    total += all
    busy += all - times.idle
  }
  return { busy, total }
}

/**
 * Starts counting: the returned function gives the cores the whole machine kept busy since (0 to
 * the core count), which bounds what more workers can gain: a phase that keeps 1.8 of 2 cores
 * busy can go at most 2 / 1.8 = 1.11× faster.
 */
export function coresBusySince(): () => number {
  const start = machineTimes()
  return () => {
    const end = machineTimes()
    const total = end.total - start.total
    return total === 0 ? 0 : ((end.busy - start.busy) / total) * os.cpus().length
  }
}
