import { defineConfig } from 'vitest/config'

/** One suite for the whole repo; slow suites (browser, lab) live under test/ too and gate themselves. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
})
