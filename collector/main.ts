import { run as collect } from '#cli/collect.ts'
import { run as push } from '#cli/push.ts'
import { netlakeVersion } from '#cli/version.ts'

/**
 * The edge collector's entry, bundled into one file (`dist/netlake-collector.mjs`) with everything
 * it uses: `collect` and `push` with the spool, on Node ≥ 18 with nothing else installed.
 */
const USAGE = `usage: node netlake-collector.mjs collect|push [options]

  collect    run iperf3/qperf against targets, spool and push the results
  push       upload iperf3/qperf output files, or what waits in the spool
  --version  print the version

Run 'node netlake-collector.mjs <command> --help' for a command's options.`

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = { collect, push }

/** Dispatches to collect or push; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === '--version' || name === '-V') return (console.log(netlakeVersion()), 0)
  if (name === 'help' && rest[0] && Object.hasOwn(COMMANDS, rest[0]))
    return COMMANDS[rest[0]](['--help'])
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ;(name ? console.log : console.error)(USAGE)
    return name ? 0 : 2
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    console.error(`netlake-collector: unknown command '${name}'\n\n${USAGE}`)
    return 2
  }
  try {
    return await COMMANDS[name](rest)
  } catch (error) {
    console.error(
      `netlake-collector ${name}: ${error instanceof Error ? error.message : String(error)}`,
    )
    return 1
  }
}

process.exitCode = await main(process.argv.slice(2))
