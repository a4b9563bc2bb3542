import os from 'node:os'

/** One line describing the machine and runtime, for benchmark reports. */
export function machineNote(): string {
  const cpus = os.cpus()
  const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU'
  return `${cpus.length} × ${model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`
}
