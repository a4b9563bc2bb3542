/**
 * Runs one subcommand module as a process until `cli/main.ts` registers it:
 * `node --import tsx test/helpers/cli-entry.ts collect --target ...`.
 */
const [command, ...rest] = process.argv.slice(2)
const allowed = new Set(['collect', 'push', 'lab'])
if (!command || !allowed.has(command)) {
  console.error(`cli-entry: expected one of ${[...allowed].join(', ')}`)
  process.exit(2)
}
const mod = (await import(`../../cli/${command}.ts`)) as { run(argv: string[]): Promise<number> }
process.exitCode = await mod.run(rest)
export {}
