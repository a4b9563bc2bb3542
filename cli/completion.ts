import { COMMANDS } from './commands.ts'

const USAGE = `usage: netlake completion bash|zsh

Prints a completion script for the shell. Load it for this shell, or for good:
  source <(netlake completion bash)        # or: netlake completion bash >> ~/.bashrc
  source <(netlake completion zsh)         # or: netlake completion zsh > "\${fpath[1]}/_netlake"`

/** `netlake completion bash|zsh` */
export async function run(argv: string[]): Promise<number> {
  const [shell, ...rest] = argv
  if (shell === '--help' || shell === '-h') return (console.log(USAGE), 0)
  if (rest.length || (shell !== 'bash' && shell !== 'zsh')) {
    console.error(
      `netlake completion: expected 'bash' or 'zsh'${shell ? `, got '${shell}'` : ''}\n\n${USAGE}`,
    )
    return 2
  }
  console.log(shell === 'bash' ? bashCompletion() : zshCompletion())
  return 0
}

const GLOBAL = ['help', '--help', '--version', '-V']

/** A bash script registering `complete -F _netlake netlake`. */
export function bashCompletion(): string {
  const cases = Object.entries(COMMANDS)
    .map(([name, c]) => `    ${name}) words="${[...(c.words ?? []), ...c.flags].join(' ')}" ;;`)
    .join('\n')
  return `# netlake bash completion: source <(netlake completion bash)
_netlake() {
  local cur=\${COMP_WORDS[COMP_CWORD]} cmd=\${COMP_WORDS[1]} words
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${[...Object.keys(COMMANDS), ...GLOBAL].join(' ')}" -- "$cur"))
    return
  fi
  case "$cmd" in
    help) words="${Object.keys(COMMANDS).join(' ')}" ;;
${cases}
    *) words="" ;;
  esac
  if [[ "$cur" == -* || -n "$words" && "$cur" != */* ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  fi
  [ \${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _netlake netlake`
}

/** A zsh script (compdef) completing commands, their words and flags, and files. */
export function zshCompletion(): string {
  const commands = Object.entries(COMMANDS)
    .map(
      ([name, c]) => `    '${name}:${c.summary.replaceAll("'", "'\\''").replaceAll(':', '\\:')}'`,
    )
    .join('\n')
  const cases = Object.entries(COMMANDS)
    .map(
      ([name, c]) =>
        `    ${name}) compadd -- ${[...(c.words ?? []), ...c.flags].join(' ')}; _files ;;`,
    )
    .join('\n')
  return `#compdef netlake
# netlake zsh completion: source <(netlake completion zsh)
_netlake() {
  local -a commands
  commands=(
${commands}
  )
  if (( CURRENT == 2 )); then
    _describe 'netlake command' commands
    compadd -- ${GLOBAL.join(' ')}
    return
  fi
  case $words[2] in
    help) _describe 'netlake command' commands ;;
${cases}
    *) _files ;;
  esac
}
if (( $+functions[compdef] )); then compdef _netlake netlake; else autoload -Uz compinit && compinit && compdef _netlake netlake; fi`
}
