// Runs the static checks (type-check, formatting, import rules) side by side: each is one thread,
// so on a 2-core machine running them together costs the longest one, not their sum.
// Each check's output is printed whole when it ends; the exit code is non-zero when any failed.
import { spawn } from 'node:child_process'

const checks = [
  { name: 'tsc', command: 'tsc', args: ['--noEmit', '-p', '.'] },
  { name: 'prettier', command: 'prettier', args: ['--check', '.', '--log-level', 'warn'] },
  { name: 'lint:imports', command: 'npm', args: ['run', '-s', 'lint:imports'] },
]

function run({ name, command, args }) {
  return new Promise((resolve) => {
    const started = Date.now()
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    const output = []
    child.stdout.on('data', (chunk) => output.push(chunk))
    child.stderr.on('data', (chunk) => output.push(chunk))
    child.on('error', (error) => resolve({ name, ok: false, output: `${error.message}\n`, ms: 0 }))
    child.on('close', (code) =>
      resolve({
        name,
        ok: code === 0,
        output: Buffer.concat(output).toString(),
        ms: Date.now() - started,
      }),
    )
  })
}

const results = await Promise.all(checks.map(run))
for (const { name, ok, output, ms } of results) {
  process.stdout.write(`${ok ? 'ok' : 'FAILED'}  ${name} (${(ms / 1000).toFixed(1)} s)\n`)
  if (output.trim() !== '') process.stdout.write(output.endsWith('\n') ? output : `${output}\n`)
}
process.exitCode = results.every((result) => result.ok) ? 0 : 1
