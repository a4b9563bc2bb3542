import { COMMANDS } from './commands.ts'
import { netlakeVersion } from './version.ts'

/**
 * `netlake` entry: one module per subcommand, each exporting `run(argv) → exit code`, imported
 * only when that command runs, so `--help` and `--version` load nothing else.
 * Exit codes scripts can trust: 0 ok, 1 some input rejected or a failure, 2 usage error.
 */
export const USAGE = `usage: netlake <command> [options]

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(11)} ${c.summary}`)
  .join('\n')}

  help CMD    a command's options (same as netlake CMD --help)
  --version   print the version (-V)

Every command that prints results takes --json; errors go to stderr.
Run 'netlake <command> --help' for a command's options.`

/** Dispatches to the subcommand; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === '--version' || name === '-V' || name === 'version') {
    console.log(
      rest.includes('--json') ? JSON.stringify({ version: netlakeVersion() }) : netlakeVersion(),
    )
    return 0
  }
  if (name === 'help' && rest.length > 0) return dispatch(rest[0], ['--help'])
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    if (name) console.log(USAGE)
    else console.error(USAGE)
    return name ? 0 : 2
  }
  return dispatch(name, rest)
}

async function dispatch(name: string, rest: string[]): Promise<number> {
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
  if (!command) {
    console.error(`netlake: unknown command '${name}'\n\n${USAGE}`)
    return 2
  }
  try {
    return await (await command.load()).run(rest)
  } catch (error) {
    // Expected failures (a port in use, a missing file, an unreachable lake) get one line, not a stack.
    console.error(`netlake ${name}: ${describeFailure(error)}`)
    if (process.env.NETLAKE_DEBUG) console.error(error)
    return 1
  }
}

function describeFailure(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { port?: number }
  if (e?.code === 'EADDRINUSE')
    return `port ${e.port ?? ''} is already in use (another netlake start?); choose one with --port or PORT`
  if (e?.code === 'ENOENT' && e.path) return `no such file: ${e.path}`
  if (e?.code === 'EACCES' && e.path) return `permission denied: ${e.path}`
  return e instanceof Error ? e.message : String(error)
}
