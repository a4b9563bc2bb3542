#!/usr/bin/env node
// The `netlake` command: TypeScript sources run through tsx's loader, so the package needs no build step.
import { register } from 'tsx/esm/api'

// The lockfile pins an AWS SDK that runs on Node 20; its notice about future releases is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
register()
const { main } = await import('../cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
