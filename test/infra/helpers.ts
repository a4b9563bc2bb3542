import { readFileSync } from 'node:fs'
import { App, Stack } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import type { CfnResource } from 'aws-cdk-lib'
import type { IConstruct } from 'constructs'
import { type NetlakeConfigInput, parseConfig } from '../../infra/config.ts'
import { addNetlakeStacks, type NetlakeStacks } from '../../infra/netlake.ts'

/** The feature flags and defaults of `cdk.json`, so tests synthesize what `cdk synth` does. */
export const CDK_CONTEXT = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context as Record<string, unknown>

/** Build the whole app with placeholder code (no bundling) and synthesize it once. */
export function synthInline(overrides: NetlakeConfigInput = {}): {
  app: App
  stacks: NetlakeStacks
} {
  const app = new App({ context: CDK_CONTEXT })
  const config = parseConfig({ stage: 'test', ...overrides, bundle: false })
  const stacks = addNetlakeStacks(app, config)
  app.synth()
  return { app, stacks }
}

/** The template of a stack (cached by the assertions library per stack). */
export const template = (stack: Stack): Template => Template.fromStack(stack)

/** The logical id a construct's CloudFormation resource gets in its stack. */
export function logicalId(construct: IConstruct): string {
  const resource = (construct.node.defaultChild ?? construct) as CfnResource
  return Stack.of(construct).getLogicalId(resource)
}

/** Flatten an IAM resource value to text: imports become `<import:name>`, refs `<Ref:id>`. */
export function flattenResource(value: unknown): string {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return value.map(flattenResource).join(',')
  const v = value as Record<string, unknown>
  if ('Fn::Join' in v) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]]
    return parts.map(flattenResource).join(sep)
  }
  if ('Fn::ImportValue' in v) return `<import:${flattenResource(v['Fn::ImportValue'])}>`
  if ('Fn::GetAtt' in v) return `<GetAtt:${(v['Fn::GetAtt'] as string[]).join('.')}>`
  if ('Ref' in v) return `<Ref:${v.Ref as string}>`
  return JSON.stringify(v)
}

/** One Allow statement of a role's policies, flattened. */
export interface Grant {
  actions: string[]
  resources: string[]
}

/** Every Allow statement attached (via AWS::IAM::Policy) to a role in its stack. */
export function grantsOf(role: IConstruct): Grant[] {
  const roleId = logicalId(role)
  const policies = Template.fromStack(Stack.of(role)).findResources('AWS::IAM::Policy')
  const grants: Grant[] = []
  for (const policy of Object.values(policies)) {
    const roles = (policy.Properties.Roles as Array<{ Ref: string }>).map((r) => r.Ref)
    if (!roles.includes(roleId)) continue
    for (const s of policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>) {
      if (s.Effect !== 'Allow') continue
      grants.push({
        actions: [s.Action].flat() as string[],
        resources: [s.Resource].flat().map(flattenResource),
      })
    }
  }
  return grants
}

const glob = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`)

/**
 * Whether the grants allow `action` on `key` in the bucket whose logical id is `bucketId`
 * (`key` null: the bucket itself, e.g. for s3:ListBucket).
 */
export function allows(
  grants: Grant[],
  action: string,
  bucketId: string,
  key: string | null,
): boolean {
  return grants.some(
    (g) =>
      g.actions.some((a) => glob(a).test(action)) &&
      g.resources.some((r) => {
        if (r === '*') return true
        const at = r.indexOf('>')
        if (!r.includes(bucketId) || at < 0) return false
        const path = r.slice(at + 1)
        return key === null ? path === '' : path !== '' && glob(path).test(`/${key}`)
      }),
  )
}
