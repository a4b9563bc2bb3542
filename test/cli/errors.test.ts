import { execFile, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = new URL('../../', import.meta.url).pathname

/** Runs `netlake ...` as a process and resolves with its exit code and output. */
function netlake(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/netlake.js', ...args],
      { cwd: root },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr })
      },
    )
  })
}

describe('netlake commands answer bad input with one clear line and an exit code, never a stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netlake-cli-errors-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('query: a missing query file is exit 1 naming the file; a malformed --param is a usage error', async () => {
    const missing = await netlake(['query', '--file', join(dir, 'nope.sql')])
    const badParam = await netlake([
      'query',
      '--file',
      join(dir, 'nope.sql'),
      '--param',
      'platform',
    ])
    expect(missing).toMatchObject({
      code: 1,
      stderr: `netlake query: no such file: ${join(dir, 'nope.sql')}\n`,
    })
    expect(badParam.code).toBe(2)
    expect(badParam.stderr).toContain("--param expects name=value (got 'platform')")
  })

  it('start: a port in use and an invalid scenario file are exit 1 with the reason, nothing left running', async () => {
    // Prepare
    const busy = createServer()
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
    const port = (busy.address() as AddressInfo).port
    const badCatalog = join(dir, 'scenarios.json')
    writeFileSync(badCatalog, JSON.stringify({ scenarios: [{ id: 'x' }] }))
    // Act
    const [portInUse, invalid] = await Promise.all([
      netlake(['start', '--no-sample-data', '--data-dir', join(dir, 'a'), '--port', String(port)]),
      netlake([
        'start',
        '--no-sample-data',
        '--data-dir',
        join(dir, 'b'),
        '--port',
        '0',
        '--scenarios',
        badCatalog,
      ]),
    ])
    busy.close()
    // Assess
    expect(portInUse.code).toBe(1)
    expect(portInUse.stderr).toBe(
      `netlake start: port ${port} is already in use (another netlake start?); choose one with --port or PORT\n`,
    )
    expect(invalid.code).toBe(1)
    expect(invalid.stderr).toMatch(/^netlake start: invalid user catalog: scenarios\.0\.platform: /)
    expect(invalid.stderr).not.toContain('    at ')
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(dir))
    expect(left).toEqual([]) // the embedded servers started before the failure were stopped
  }, 60_000)

  it('start: a malformed --platforms list is exit 2 naming the option, before anything starts', async () => {
    // Act
    const result = await netlake([
      'start',
      '--no-sample-data',
      '--data-dir',
      join(dir, 'p'),
      '--port',
      '0',
      '--platforms',
      'vmware,two words',
    ])
    // Assess
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /^netlake start: --platforms: a comma-separated list of platform names/,
    )
    expect(result.stderr).toContain("'vmware,two words'")
  }, 30_000)

  it('start: an --allowed-host that is not one host name is exit 2 naming the option, before anything starts', async () => {
    // Act
    const start = (host: string) =>
      netlake(['start', '--no-sample-data', '--data-dir', join(dir, 'h'), '--allowed-host', host])
    const [url, two] = await Promise.all([
      start('http://lab.example'),
      start('a.example,b.example'),
    ])
    // Assess
    expect([url.code, two.code]).toEqual([2, 2])
    expect(url.stderr).toBe(
      "netlake start: --allowed-host: a comma-separated list of host names without scheme or port (got 'http://lab.example')\n",
    )
    expect(two.stderr).toBe(
      "netlake start: --allowed-host: one host name per flag (got 'a.example,b.example')\n",
    )
  }, 30_000)

  it('reprocess: --workers that is not a whole number from 1 to 256 is exit 2 naming the option', async () => {
    for (const workers of ['0', '2.5', 'many', '257']) {
      // Act
      const result = await netlake([
        'reprocess',
        '--workers',
        workers,
        '--data-dir',
        join(dir, 'w'),
      ])
      // Assess
      expect(result.code, workers).toBe(2)
      expect(result.stderr).toMatch(
        /^netlake reprocess: --workers must be a whole number from 1 to 256/,
      )
    }
  }, 60_000)

  it('compact, doctor, reprocess and token without a running stack say so and exit 1', async () => {
    const commands = [
      ['compact'],
      ['doctor'],
      ['reprocess'],
      ['token', 'create', '--scope', 'reader'],
    ]
    // independent processes: run side by side
    const results = await Promise.all(
      commands.map((args) => netlake([...args, '--data-dir', join(dir, 'none')])),
    )
    for (const [i, result] of results.entries()) {
      const command = commands[i]![0]
      expect(result.code, command).toBe(1)
      expect(result.stderr).toMatch(
        new RegExp(`^netlake ${command}: no local stack is running with data in `),
      )
    }
  }, 60_000)

  it('compact and doctor refuse an unknown option with exit 2 and their own usage', async () => {
    // Act
    const results = await Promise.all(
      ['compact', 'doctor'].map(async (command) => ({
        command,
        result: await netlake([command, '--all']),
      })),
    )
    for (const { command, result } of results) {
      // Assess
      expect(result.code, command).toBe(2)
      expect(result.stderr).toMatch(
        new RegExp(
          `^netlake ${command}: Unknown option '--all'[^\\n]*\\n\\nusage: netlake ${command} \\[--data-dir DIR\\] \\[--json\\]`,
        ),
      )
    }
  }, 60_000)
})
