import { parseArgs } from 'node:util'
import type { Lake } from './lake.ts'

/**
 * The frame of a lake maintenance command that takes `[--data-dir DIR] [--json]`: parses them
 * (exit 2 with the usage on a bad option), prints the usage on `--help`, opens the lake (exit 1
 * with the reason when there is none), runs `work` and closes the lake after. The adapters load
 * only after `--help`, so it stays instant.
 */
export async function runLakeCommand(
  name: string,
  usage: string,
  argv: string[],
  work: (lake: Lake, options: { json: boolean }) => Promise<number>,
): Promise<number> {
  let values
  try {
    values = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values
  } catch (error) {
    console.error(`netlake ${name}: ${(error as Error).message}\n\n${usage}`)
    return 2
  }
  if (values.help) return (console.log(usage), 0)
  const { openLake } = await import('./lake.ts')
  const lake = await openLake(values['data-dir'])
  if (typeof lake === 'string') return (console.error(`netlake ${name}: ${lake}`), 1)
  try {
    return await work(lake, { json: values.json ?? false })
  } finally {
    lake.close()
  }
}
