#!/usr/bin/env node
// The `netlake` command runs the JavaScript built by `npm run build:cli` (dist/cli/): no TypeScript
// is compiled at run time. NETLAKE_FROM_SOURCE=1 runs the TypeScript sources through tsx instead
// (development, before a build).
import { existsSync } from 'node:fs'

// The lockfile pins an AWS SDK that runs on Node 20; its notice about future releases is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
const built = new URL('../dist/cli/main.js', import.meta.url)
let entry
if (process.env.NETLAKE_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api')
  register()
  entry = new URL('../cli/main.ts', import.meta.url)
} else if (existsSync(built)) {
  entry = built
} else {
  console.error(
    "netlake: the CLI is not built (no dist/cli/main.js): run 'npm run build:cli' in " +
      new URL('..', import.meta.url).pathname +
      ', or set NETLAKE_FROM_SOURCE=1 to run the TypeScript sources through tsx',
  )
  process.exit(1)
}
const { main } = await import(entry.href)
process.exitCode = await main(process.argv.slice(2))
