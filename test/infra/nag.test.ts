import { App, Stack } from 'aws-cdk-lib'
import * as s3 from 'aws-cdk-lib/aws-s3'
import { describe, expect, it } from 'vitest'
import { NetlakeNagChecks } from '../../infra/nag.ts'
import { synthInline } from './helpers.ts'

const violationsOf = (scope: App) =>
  new NetlakeNagChecks().validateScope(scope).violations.map((v) => ({
    rule: v.ruleName,
    at: v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId),
  }))

const EXACT = 'aws:cdk:acknowledged-rules'
const PATTERN = 'netlake:nag-acknowledged-pattern'
const { app } = synthInline({ alarmEmail: 'ops@example.org' })

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged finding on the whole app', () => {
    // Prepare
    expect(app.node.findAll().length).toBeGreaterThan(100)

    // Act
    const violations = violationsOf(app)

    // Assess
    expect(violations).toEqual([])
  })

  it('still reports findings on a non-compliant bucket (the check is live)', () => {
    // Prepare
    const bad = new App()
    const stack = new Stack(bad, 'Bad')
    new s3.Bucket(stack, 'Open')
    bad.synth()

    // Act
    const rules = violationsOf(bad).map((v) => v.rule)

    // Assess
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']))
  })

  it('gives every acknowledgement a written reason', () => {
    // Prepare
    const constructs = app.node.findAll()

    // Act
    const reasons = constructs
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === EXACT || m.type === PATTERN)
      .flatMap((m) => (m.type === PATTERN ? [m.data.reason] : Object.values(m.data)))

    // Assess
    expect(reasons.length).toBeGreaterThan(10)
    for (const reason of reasons) expect(String(reason).length).toBeGreaterThan(40)
  })
})
