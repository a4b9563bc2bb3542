import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '#adapters/config.ts'

const base = {
  NETLAKE_RAW_BUCKET: 'raw',
  NETLAKE_CURATED_BUCKET: 'curated',
  NETLAKE_REPORTS_BUCKET: 'reports',
  NETLAKE_TABLE: 'catalog',
}

describe('loadConfig', () => {
  it('reads the variables, defaulting the region and leaving endpoints unset', () => {
    // Act
    const config = loadConfig(base)
    // Assess
    expect(config).toEqual({
      rawBucket: 'raw',
      curatedBucket: 'curated',
      reportsBucket: 'reports',
      table: 'catalog',
      region: 'us-east-1',
      s3Endpoint: undefined,
      dynamoDbEndpoint: undefined,
      reportTopicArn: undefined,
      platforms: [],
      allowedHosts: [],
    })
  })

  it('reads the Host names a deployment serves, and names NETLAKE_ALLOWED_HOSTS when one is malformed', () => {
    // Prepare
    const base = {
      NETLAKE_RAW_BUCKET: 'raw',
      NETLAKE_CURATED_BUCKET: 'curated',
      NETLAKE_REPORTS_BUCKET: 'reports',
      NETLAKE_TABLE: 'catalog',
    }
    // Act
    const config = loadConfig({ ...base, NETLAKE_ALLOWED_HOSTS: 'API.example.org, [::1]' })
    const bad = () => loadConfig({ ...base, NETLAKE_ALLOWED_HOSTS: 'https://api.example.org' })
    // Assess
    expect(config.allowedHosts).toEqual(['api.example.org', '[::1]'])
    expect(bad).toThrow(/NETLAKE_ALLOWED_HOSTS/)
  })

  it('reads the platforms a deployment declares, and names NETLAKE_PLATFORMS when one is malformed', () => {
    // Act
    const config = loadConfig({ ...base, NETLAKE_PLATFORMS: 'VMware, hyperv' })
    const bad = () => loadConfig({ ...base, NETLAKE_PLATFORMS: 'vmware,two words' })
    // Assess
    expect(config.platforms).toEqual(['vmware', 'hyperv'])
    expect(bad).toThrow(ConfigError)
    expect(bad).toThrow(/NETLAKE_PLATFORMS/)
  })

  it('takes local endpoints, region and topic', () => {
    // Prepare
    const env = {
      ...base,
      AWS_REGION: 'eu-west-1',
      NETLAKE_S3_ENDPOINT: 'http://127.0.0.1:4569',
      NETLAKE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:4570',
      NETLAKE_REPORT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:1:reports',
    }
    // Act
    const config = loadConfig(env)
    // Assess
    expect(config.region).toBe('eu-west-1')
    expect(config.s3Endpoint).toBe('http://127.0.0.1:4569')
    expect(config.dynamoDbEndpoint).toBe('http://127.0.0.1:4570')
    expect(config.reportTopicArn).toBe('arn:aws:sns:eu-west-1:1:reports')
  })

  it('fails fast naming every missing or invalid variable', () => {
    // Prepare
    const env = {
      ...base,
      NETLAKE_TABLE: undefined,
      NETLAKE_RAW_BUCKET: ' ',
      NETLAKE_S3_ENDPOINT: 'nope',
    }
    // Act
    const error = (() => {
      try {
        loadConfig(env)
      } catch (e) {
        return e
      }
    })()
    // Assess
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).variables.sort()).toEqual([
      'NETLAKE_RAW_BUCKET',
      'NETLAKE_S3_ENDPOINT',
      'NETLAKE_TABLE',
    ])
    expect((error as Error).message).toMatch(/NETLAKE_TABLE: is required but not set/)
  })

  it('treats empty optional variables as unset', () => {
    // Act
    const config = loadConfig({ ...base, AWS_REGION: '', NETLAKE_S3_ENDPOINT: '' })
    // Assess
    expect(config.region).toBe('us-east-1')
    expect(config.s3Endpoint).toBeUndefined()
  })
})
