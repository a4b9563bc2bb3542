import { Validations } from 'aws-cdk-lib'
import { AwsSolutionsChecks, type IApplyRule, type NagPackProps } from 'cdk-nag'
import type { IConstruct } from 'constructs'

/**
 * Acknowledge cdk-nag findings on a construct (and its children) with a written reason. cdk-nag 3
 * matches each finding id exactly, e.g. `AwsSolutions-L1` or `AwsSolutions-IAM5[Action::s3:List*]`.
 */
export function acknowledge(scope: IConstruct, reason: string, ...ids: string[]): void {
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason })
}

const PATTERN_METADATA = 'netlake:nag-acknowledged-pattern'

interface PatternAcknowledgement {
  rule: string
  pattern: string
  reason: string
}

/**
 * Acknowledge the findings of a granular rule (such as `AwsSolutions-IAM5`) whose text matches
 * `pattern`, with a reason. Needed where a finding names a cross-stack export (e.g. a bucket ARN
 * imported from the data stack) that only exists after synthesis. Honoured by `NetlakeNagChecks`.
 */
export function acknowledgeMatching(
  scope: IConstruct,
  rule: string,
  pattern: RegExp,
  reason: string,
): void {
  const data: PatternAcknowledgement = { rule, pattern: pattern.source, reason }
  scope.node.addMetadata(PATTERN_METADATA, data)
}

function patternsFor(node: IConstruct, rule: string): RegExp[] {
  const found: RegExp[] = []
  for (let current: IConstruct | undefined = node; current; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      const data = entry.data as PatternAcknowledgement | undefined
      if (entry.type !== PATTERN_METADATA || data?.rule !== rule) continue
      found.push(new RegExp(data.pattern))
    }
  }
  return found
}

/**
 * The AWS Solutions pack, plus `acknowledgeMatching` support: matching findings of granular rules
 * are dropped before cdk-nag checks exact acknowledgements. Everything else is unchanged.
 */
export class NetlakeNagChecks extends AwsSolutionsChecks {
  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props)
  }

  protected override applyRule(params: IApplyRule): void {
    const rule = `${this.readPackName}-${params.ruleSuffixOverride ?? params.rule.name}`
    const patterns = patternsFor(params.node, rule)
    if (patterns.length === 0) return super.applyRule(params)
    const check = params.rule
    const filtered: typeof check = (node) => {
      const result = check(node)
      if (!Array.isArray(result)) return result
      return result.filter((finding) => !patterns.some((p) => p.test(finding)))
    }
    const ruleSuffixOverride = params.ruleSuffixOverride ?? check.name
    super.applyRule({ ...params, ruleSuffixOverride, rule: filtered })
  }
}
