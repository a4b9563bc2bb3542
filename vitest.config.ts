import { defineConfig } from 'vitest/config'

/** One suite for the whole repo; slow suites (browser, lab) live under test/ too and gate themselves. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One worker per core: vitest's default (cores − 1) runs the suite on one core of the 2-core
    // CI machine, where most of the time is spent waiting on servers, browsers and tools.
    maxWorkers: 2,
    // A worker keeps its loaded modules from one test file to the next: re-importing the AWS SDK,
    // DuckDB and the servers for each of ~130 files cost about two minutes of the 2-core budget.
    // Tests share no module state they rely on (each builds its own lake, stack and env).
    isolate: false,
    // Tests that spawn `netlake` run the built CLI: dist/ is rebuilt first when a source is newer.
    globalSetup: ['test/helpers/build-cli.global.ts'],
    setupFiles: ['test/helpers/env-guard.setup.ts'],
    // The lockfile pins an AWS SDK that runs on Node 20; its notice about 2027 releases is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    reporters: ['default'],
  },
})
