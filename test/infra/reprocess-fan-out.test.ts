import { describe, expect, it } from 'vitest'
import {
  REPROCESS_ITEMS_PER_BATCH,
  REPROCESS_LIST_PREFIX,
  REPROCESS_RESULTS_PREFIX,
} from '../../infra/constructs/reprocess-fan-out.ts'
import { RAW_PREFIX } from '../../infra/stacks/data-stack.ts'
import { allows, flattenResource, grantsOf, logicalId, synthInline, template } from './helpers.ts'

const { stacks } = synthInline()
const { data, pipeline } = stacks
const raw = logicalId(data.raw)
const curated = logicalId(data.curated)
const reports = logicalId(data.reports)
const fnId = logicalId(pipeline.reprocess.fn.fn)

type State = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** The state machine's definition, with references flattened to `<GetAtt:…>` / `<import:…>` text. */
function definition(): { StartAt: string; States: Record<string, State> } {
  const machines = template(pipeline).findResources('AWS::StepFunctions::StateMachine')
  const [machine] = Object.values(machines)
  return JSON.parse(flattenResource(machine.Properties.DefinitionString))
}

describe('reprocess fan-out (Step Functions Distributed Map)', () => {
  it('lists raw/date= with ListObjectsV2, batches the keys to the reprocess function, writes results, then switches', () => {
    // Prepare
    const def = definition()

    // Act
    const map = def.States[def.StartAt]
    const inner = map.ItemProcessor.States[map.ItemProcessor.StartAt]
    const last = def.States[map.Next]

    // Assess: the Map reads the raw bucket's objects under the upload prefix
    expect(REPROCESS_LIST_PREFIX.startsWith(RAW_PREFIX)).toBe(true)
    expect(map.Type).toBe('Map')
    expect(map.ItemProcessor.ProcessorConfig).toEqual({
      Mode: 'DISTRIBUTED',
      ExecutionType: 'EXPRESS',
    })
    expect(map.ItemReader.Resource).toBe('arn:<Ref:AWS::Partition>:states:::s3:listObjectsV2')
    expect(map.ItemReader.Parameters.Bucket).toContain(raw)
    expect(map.ItemReader.Parameters.Prefix).toBe(REPROCESS_LIST_PREFIX)
    expect(map.ItemSelector).toEqual({ 'key.$': '$$.Map.Item.Value.Key' })
    expect(map.ItemBatcher).toEqual({ MaxItemsPerBatch: REPROCESS_ITEMS_PER_BATCH })
    expect(map.MaxConcurrency).toBe(40)
    expect(map.ToleratedFailurePercentage).toBe(100)
    // ... a resumable summary in S3 ...
    expect(map.ResultWriter.Resource).toBe('arn:<Ref:AWS::Partition>:states:::s3:putObject')
    expect(map.ResultWriter.Parameters.Bucket).toContain(reports)
    expect(`${map.ResultWriter.Parameters.Prefix}/`).toBe(REPROCESS_RESULTS_PREFIX)
    // ... each batch through the reprocess function, retried ...
    expect(inner.Resource).toBe(`<GetAtt:${fnId}.Arn>`) // the batch `{ Items: [{ key }] }` as is
    expect(inner.Parameters).toBeUndefined()
    expect(inner.Retry.map((r: State) => r.ErrorEquals).flat()).toContain('States.TaskFailed')
    expect(inner.End).toBe(true)
    // ... then one switch of the partitions, given where the results are
    expect(last.Resource).toBe(`<GetAtt:${fnId}.Arn>`)
    expect(last.Parameters).toEqual({ job: 'reprocess-switch', 'map.$': '$' })
    expect(last.End).toBe(true)
  })

  it('is a standard state machine with full logging and tracing, and its ARN is exported', () => {
    // Prepare
    const t = template(pipeline)

    // Act
    const [machine] = Object.values(t.findResources('AWS::StepFunctions::StateMachine'))
    const outputs = Object.values(t.findOutputs('*'))

    // Assess
    expect(machine.Properties.StateMachineType).toBe('STANDARD')
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true })
    expect(machine.Properties.LoggingConfiguration.Level).toBe('ALL')
    expect(
      outputs.some(
        (o) =>
          o.Export?.Name === 'netlake-test-pipeline-reprocess-state-machine' &&
          o.Value.Ref === logicalId(pipeline.reprocess.stateMachine),
      ),
    ).toBe(true)
  })

  it('lets the reprocess function read raw, write curated and its results, never delete anything', () => {
    // Prepare
    const grants = grantsOf(pipeline.reprocess.fn.role)

    // Act
    const can = (action: string, bucket: string, key: string) => allows(grants, action, bucket, key)

    // Assess
    expect(can('s3:GetObject', raw, 'raw/date=2026-01-01/abc.json')).toBe(true)
    expect(can('s3:PutObject', raw, 'raw/date=2026-01-01/abc.json')).toBe(false)
    expect(can('s3:PutObject', raw, 'quarantine/abc.json')).toBe(true)
    expect(can('s3:PutObject', curated, 'curated/runs/platform=x/date=2026-01-01/a.parquet')).toBe(
      true,
    )
    expect(can('s3:PutObject', curated, 'curated/_symlink/runs/date=2026-01-01/manifest')).toBe(
      true,
    )
    expect(can('s3:GetObject', reports, 'reprocess/run-1/manifest.json')).toBe(true)
    expect(can('s3:PutObject', reports, 'reprocess/run-1/summary.json')).toBe(true)
    expect(can('s3:PutObject', reports, 'reports/2026-01-01/report.html')).toBe(false)
    for (const [bucket, key] of [
      [raw, 'raw/date=2026-01-01/abc.json'],
      [curated, 'curated/runs/x.parquet'],
      [reports, 'reprocess/run-1/manifest.json'],
    ])
      expect(can('s3:DeleteObject', bucket, key)).toBe(false)
  })

  it('lets the state machine list the raw bucket and invoke only the reprocess function', () => {
    // Prepare
    const grants = grantsOf(pipeline.reprocess.stateMachine.role)

    // Act
    const invokes = grants.filter((g) => g.actions.includes('lambda:InvokeFunction'))

    // Assess
    expect(allows(grants, 's3:ListBucket', raw, null)).toBe(true)
    expect(allows(grants, 's3:ListBucket', curated, null)).toBe(false)
    expect(invokes.flatMap((g) => g.resources)).toEqual([
      `<GetAtt:${fnId}.Arn>`,
      `<GetAtt:${fnId}.Arn>:*`,
    ])
  })
})
