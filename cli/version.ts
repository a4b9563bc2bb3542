import { readFileSync } from 'node:fs'

declare const __NETLAKE_VERSION__: string | undefined

/** The package version: baked in by `npm run build:cli`, read from package.json when run from sources. */
export function netlakeVersion(): string {
  if (typeof __NETLAKE_VERSION__ === 'string') return __NETLAKE_VERSION__
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  return String(pkg.version)
}
