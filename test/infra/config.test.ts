import { describe, expect, it } from 'vitest'
import { RunRowSchema, IntervalRowSchema, MetricRowSchema } from '#schemas/tables.ts'
import { arrowColumns } from '#schemas/columns.ts'
import { parseConfig, readConfig } from '../../infra/config.ts'
import { GLUE_TYPE, glueColumns } from '../../infra/constructs/glue-columns.ts'
import { CDK_CONTEXT } from './helpers.ts'

describe('config', () => {
  it('reads cdk.json defaults and coerces CLI strings', () => {
    // Prepare
    const context: Record<string, unknown> = {
      ...CDK_CONTEXT,
      'netlake:stage': 'prod',
      'netlake:logRetentionDays': '90',
      'netlake:bundle': 'false',
      'netlake:corsOrigins': 'https://a.example, https://b.example',
    }

    // Act
    const config = readConfig((key) => context[key])

    // Assess
    expect(config).toMatchObject({
      stage: 'prod',
      logRetentionDays: 90,
      bundle: false,
      corsOrigins: ['https://a.example', 'https://b.example'],
      compactSchedule: 'rate(1 hour)',
      reportSchedule: 'cron(0 6 * * ? *)',
    })
    expect(config.alarmEmail).toBeUndefined()
  })

  it('rejects an unknown log retention and a malformed schedule, naming both keys', () => {
    // Prepare
    const input = { logRetentionDays: 31, compactSchedule: 'every hour' }

    // Act
    const act = () => parseConfig(input)

    // Assess
    expect(act).toThrow(/netlake:logRetentionDays[\s\S]*netlake:compactSchedule/)
  })
})

describe('glue columns', () => {
  it('maps every arrow kind of the tables to its Glue type, without partition keys', () => {
    // Prepare
    const tables = { runs: RunRowSchema, intervals: IntervalRowSchema, metrics: MetricRowSchema }

    // Act
    const runs = Object.fromEntries(glueColumns(tables.runs).map((c) => [c.name, c.type]))
    const intervals = Object.fromEntries(glueColumns(tables.intervals).map((c) => [c.name, c.type]))

    // Assess
    expect(runs).toMatchObject({
      run_id: 'string',
      throughput_bps: 'double',
      retransmits: 'bigint',
      document_index: 'int',
      started_at: 'timestamp',
    })
    expect(intervals.omitted).toBe('boolean')
    expect(runs.platform).toBeUndefined()
    expect(runs.date).toBeUndefined()
    expect(runs).toMatchObject({ platform_label: 'string', run_date: 'string' })
    expect(glueColumns(tables.runs)).toHaveLength(arrowColumns(tables.runs).length)
    expect(glueColumns(tables.metrics).map((c) => c.name)).toEqual(
      arrowColumns(tables.metrics).map((c) => c.name),
    )
    const kinds = ['bool', 'float64', 'int32', 'int64', 'timestamp', 'utf8']
    expect(Object.keys(GLUE_TYPE).sort()).toEqual(kinds)
  })
})
