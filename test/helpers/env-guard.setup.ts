import { afterAll, expect } from 'vitest'

// Test files share worker processes (`isolate: false`): a file that leaves a NETLAKE_* or AWS_*
// variable changed would silently steer the next file's commands, so it fails here instead.
const watched = () =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => /^(NETLAKE|AWS)_/.test(name)))
const before = watched()

afterAll(() => {
  expect(watched(), 'set variables with stubEnvs() and undo them with vi.unstubAllEnvs()').toEqual(
    before,
  )
})
