/**
 * `netlake` entry: one module per subcommand, each exporting `run(argv) → exit code`.
 * Exit codes scripts can trust: 0 ok, 1 some input rejected or a failure, 2 usage error.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  start: { summary: 'run the whole system locally (embedded S3 + DynamoDB, API, notebook)', load: () => import('./start.ts') },
  normalize: { summary: 'parse iperf3/qperf output offline into canonical rows or Parquet', load: () => import('./normalize.ts') },
  push: { summary: 'upload existing iperf3/qperf output files (through the spool)', load: () => import('./push.ts') },
  collect: { summary: 'run iperf3/qperf against targets with labels, spool and push the results', load: () => import('./collect.ts') },
  lab: { summary: 'build the thesis scenarios with network namespaces on this box and measure them (root)', load: () => import('./lab.ts') },
  report: { summary: 'comparison report (HTML, Markdown, JSON) with regression flags over curated Parquet', load: () => import('./report.ts') },
  query: { summary: 'run SQL (or a query file) with duckdb-wasm over the lake', load: () => import('./query.ts') },
  compact: { summary: "merge each partition's small Parquet files into one", load: () => import('./compact.ts') },
  reprocess: { summary: 're-derive every curated table from raw/ with this parser version', load: () => import('./reprocess.ts') },
  token: { summary: 'create an API token (collector, reader, admin)', load: () => import('./token.ts') },
}

const USAGE = `usage: netlake <command> [options]

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(11)} ${c.summary}`)
  .join('\n')}

Run 'netlake <command> --help' for a command's options.`

/** Dispatches to the subcommand; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE)
    return name ? 0 : 2
  }
  const command = COMMANDS[name]
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
  if (e?.code === 'EADDRINUSE') return `port ${e.port ?? ''} is already in use (another netlake start?); choose one with --port or PORT`
  if (e?.code === 'ENOENT' && e.path) return `no such file: ${e.path}`
  if (e?.code === 'EACCES' && e.path) return `permission denied: ${e.path}`
  return e instanceof Error ? e.message : String(error)
}
