import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { COMMANDS } from '#cli/commands.ts'
import { runCli } from '../helpers/run-cli.ts'

const root = new URL('../../', import.meta.url).pathname
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version

/** Module specifiers a built file imports statically (dynamic `import()` excluded). */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s*"([^"]+)";|^\s*import\s*"([^"]+)";/gms),
  ].map((m) => m[1] ?? m[2])
}

describe('CLI conventions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netlake-conventions-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('--version, -V and version --json print the package version', async () => {
    // Act
    const [long, short, json] = await Promise.all([
      runCli(['--version']),
      runCli(['-V']),
      runCli(['--version', '--json']),
    ])
    // Assess
    expect(long).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
    expect(short.stdout).toBe(`${version}\n`)
    expect(JSON.parse(json.stdout)).toEqual({ version })
  })

  it('help CMD prints what CMD --help prints; unknown commands and bare netlake go to stderr with exit 2', async () => {
    // Act
    const [help, flag, unknown, bare] = await Promise.all([
      runCli(['help', 'compare']),
      runCli(['compare', '--help']),
      runCli(['frobnicate']),
      runCli([]),
    ])
    // Assess
    expect(help.code).toBe(0)
    expect(help.stdout).toBe(flag.stdout)
    expect(help.stdout).toMatch(/^usage: netlake compare --candidate/)
    expect(unknown).toMatchObject({ code: 2, stdout: '' })
    expect(unknown.stderr).toMatch(/^netlake: unknown command 'frobnicate'/)
    expect(bare).toMatchObject({ code: 2, stdout: '' })
    expect(bare.stderr).toContain('usage: netlake <command>')
  })

  it("every flag completion offers is in the command's usage text, and every --flag of the usage is offered", async () => {
    for (const [name, spec] of Object.entries(COMMANDS)) {
      // Act
      const help = await runCli(['help', name])
      // Assess
      expect(help.code, name).toBe(0)
      // Flags on the usage lines and the option lines (those starting with a flag), not in prose.
      const lines = help.stdout.split('\n').filter((l) => /^\s*(usage:|netlake |--)/.test(l))
      const documented = new Set(
        lines.flatMap((l) => [...l.matchAll(/(?<![\w-])--[a-z0-9][a-z0-9-]*/g)].map((m) => m[0])),
      )
      documented.add('--help')
      expect(new Set(spec.flags), name).toEqual(documented)
    }
  }, 60_000)

  it('completion bash is valid bash that completes commands and their flags', async () => {
    // Prepare
    const script = join(dir, 'netlake.bash')
    const out = await runCli(['completion', 'bash'])
    const { writeFileSync } = await import('node:fs')
    writeFileSync(script, out.stdout)
    const complete = (...words: string[]) =>
      execFileSync(
        'bash',
        [
          '-c',
          `source ${script}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _netlake; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ],
        { encoding: 'utf8' },
      )
        .trim()
        .split('\n')
    // Act
    const commands = complete('netlake', 'qu')
    const flags = complete('netlake', 'query', '--fo')
    const words = complete('netlake', 'lab', 'u')
    // Assess
    expect(out.code).toBe(0)
    expect(commands).toEqual(['query'])
    expect(flags).toEqual(['--format'])
    expect(words).toEqual(['up'])
    expect((await runCli(['completion', 'zsh'])).stdout).toMatch(/^#compdef netlake\n/)
    expect((await runCli(['completion', 'fish'])).code).toBe(2)
  })

  it('--help and --version load no package: the entry and its static imports are our code and node: built-ins', () => {
    // Prepare
    const seen = new Set<string>()
    const external = new Set<string>()
    const visit = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      for (const spec of staticImports(file)) {
        if (spec.startsWith('./') || spec.startsWith('../')) visit(join(dirname(file), spec))
        else external.add(spec)
      }
    }
    // Act
    visit(join(root, 'dist/cli/main.js'))
    // Assess
    expect(seen.size).toBeGreaterThan(1) // the registry chunk was followed
    expect([...external].filter((s) => !s.startsWith('node:'))).toEqual([])
    expect(readFileSync(join(root, 'bin/netlake.js'), 'utf8')).not.toMatch(/^import .* from 'tsx/m)
  })

  it('push with no stack and no --api says so at once, keeps the file spooled and exits 1', async () => {
    // Act
    const res = await runCli(
      [
        'push',
        join(root, 'test/fixtures/lab/os-s1/iperf3.json'),
        '--label',
        'platform=openstack',
        '--label',
        'scenario=os-s1',
        '--json',
      ],
      { NETLAKE_API: '', NETLAKE_DATA_DIR: join(dir, 'none'), NETLAKE_SPOOL: join(dir, 'spool') },
    )
    // Assess
    const events = res.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(res.code).toBe(1)
    expect(events.map((e) => e.event)).toEqual(['spooled', 'no-api', 'summary'])
    expect(events[1].reason).toContain(`no local stack running with data in ${join(dir, 'none')}`)
    expect(events[2]).toMatchObject({ uploaded: 0, spooled: 1 })
  })
})
