import { describe, expect, it } from 'vitest'
import { normalizeQperf } from '#core/qperf/normalize-qperf.ts'
import { PARSER_VERSION, runIdFor } from '#core/rows.ts'
import type { NormalizedRows, NormalizeResult, RawContext } from '#schemas/parse-result.ts'
import { fixtureText } from './qperf-fixtures.ts'

const context: RawContext = { raw_key: 'raw/date=2026-11-26/abc.json', raw_sha256: 'abc123' }

function rows(result: NormalizeResult): NormalizedRows {
  if (!result.ok) throw new Error(`rejected: ${result.error.code} ${result.error.message}`)
  return result
}

function normalizeFixture(key: string): NormalizedRows {
  return rows(normalizeQperf(fixtureText(key), context))
}

function metric(result: NormalizedRows, runIndex: number, name: string) {
  const runId = result.runs[runIndex].run_id
  return result.metrics.find((m) => m.run_id === runId && m.name === name)
}

describe('normalizeQperf on real qperf 0.4.11 output', () => {
  it('reads tcp_lat/tcp_bw: one-way latency as printed, GB/sec as decimal bytes', () => {
    // Prepare
    const key = 'test/fixtures/real/qperf-v-tcp_lat-tcp_bw.txt'

    // Act
    const result = normalizeFixture(key)
    const [lat, bw] = result.runs

    // Assess
    expect(result.runs).toHaveLength(2)
    expect(lat.test).toBe('tcp_lat')
    expect(lat.latency_s).toBeCloseTo(21.7e-6, 15)
    expect(lat.cpu_local_percent).toBe(90.5)
    expect(lat.cpu_remote_percent).toBe(90.5)
    expect(bw.test).toBe('tcp_bw')
    expect(bw.throughput_bps).toBe(1.27e9 * 8)
    expect(bw.receiver_bps).toBe(1.27e9 * 8)
    expect(bw.sender_bps).toBeNull()
    expect(bw.cpu_local_percent).toBe(158)
    expect(bw.cpu_remote_percent).toBe(158)
    expect(metric(result, 1, 'send_cost')).toMatchObject({
      value: 1.24e-9,
      unit: 's/B',
      text_value: '1.24 sec/GB',
    })
    expect(metric(result, 1, 'msg_rate')).toMatchObject({ value: 19400, unit: '1/s' })
    expect(metric(result, 0, 'latency')).toMatchObject({ unit: 's', text_value: '21.7 us' })
  })

  it('stamps identity columns and leaves labels, dates, key and ceiling null', () => {
    // Prepare
    const key = 'test/fixtures/real/qperf-tcp_lat-tcp_bw.txt'

    // Act
    const [lat, bw] = normalizeFixture(key).runs

    // Assess
    expect(lat).toMatchObject({
      run_id: runIdFor('abc123', 0),
      raw_key: context.raw_key,
      raw_sha256: 'abc123',
      document_index: 0,
      tool: 'qperf',
      tool_version: null,
      parser_version: PARSER_VERSION,
      status: 'ok',
      error_message: null,
      protocol: 'tcp',
      direction: 'forward',
      duration_s: null,
      warning_count: 0,
      platform: null,
      date: null,
      comparison_key: null,
      ceiling_bps: null,
      started_at: null,
    })
    expect(bw.run_id).toBe(runIdFor('abc123', 1))
    expect(bw.throughput_bps).toBe(1.25e9 * 8)
  })

  it('applies and records the documented default message size when -vu is absent', () => {
    // Prepare
    const key = 'test/fixtures/real/qperf-udp_lat-udp_bw.txt'

    // Act
    const result = normalizeFixture(key)
    const [lat, bw] = result.runs

    // Assess
    expect(lat.msg_size_bytes).toBe(1)
    expect(bw.msg_size_bytes).toBe(32768)
    expect(metric(result, 1, 'msg_size_default')).toMatchObject({ value: 32768, unit: 'B' })
    expect(bw.sender_bps).toBe(7.91e9 * 8)
    expect(bw.receiver_bps).toBe(5.22e9 * 8)
    expect(bw.throughput_bps).toBe(5.22e9 * 8)
    expect(bw.protocol).toBe('udp')
  })

  it('reads -vv: counts with thousands separators, sizes, times, duration', () => {
    // Prepare
    const key = 'test/fixtures/real/qperf-vv-tcp_lat.txt'

    // Act
    const result = normalizeFixture(key)

    // Assess
    expect(result.runs[0].latency_s).toBeCloseTo(24e-6, 15)
    expect(result.runs[0].duration_s).toBe(2)
    expect(result.runs[0].msg_size_bytes).toBe(1)
    expect(metric(result, 0, 'loc_send_msgs')).toMatchObject({
      value: 41623,
      unit: 'count',
      text_value: '41,623',
    })
    expect(metric(result, 0, 'loc_send_bytes')).toMatchObject({ value: 41600, unit: 'B' })
    expect(metric(result, 0, 'loc_cpu_time')).toMatchObject({ value: 1.75, unit: 's' })
    expect(metric(result, 0, 'timeout')).toMatchObject({ value: 5, unit: 's' })
    expect(metric(result, 0, 'msg_size_default')).toBeUndefined()
    expect(result.metrics).toHaveLength(25)
  })

  it('makes one run per -oo loop value with msg_size from the -vu line (KiB raw count)', () => {
    // Prepare
    const key = 'test/fixtures/real/qperf-oo-msg_size-1-64K-x2-tcp_bw-tcp_lat.txt'

    // Act
    const result = normalizeFixture(key)
    const sizes = result.runs.map((r) => r.msg_size_bytes)

    // Assess
    expect(result.runs).toHaveLength(34)
    expect(sizes.slice(0, 17)).toEqual([
      1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536,
    ])
    expect(result.runs[14].throughput_bps).toBe(1.32e9 * 8)
    expect(result.runs[0].throughput_bps).toBe(1.78e6 * 8)
    expect(result.runs[17].test).toBe('tcp_lat')
    expect(result.runs[17].latency_s).toBeCloseTo(47.7e-6, 15)
    expect(result.runs.every((r) => r.duration_s === 1)).toBe(true)
    expect(new Set(result.runs.map((r) => r.run_id)).size).toBe(34)
    expect(result.runs.map((r) => r.document_index)).toEqual([...Array(34).keys()])
  })

  it('turns "127.0.0.1: failed to connect" into an error run named after the block', () => {
    // Prepare
    const key = 'test/fixtures/real/qperf-error-connection-refused.txt'

    // Act
    const result = normalizeFixture(key)

    // Assess
    expect(result.runs).toHaveLength(1)
    expect(result.runs[0]).toMatchObject({
      test: 'tcp_lat',
      status: 'error',
      error_message: '127.0.0.1: failed to connect',
      latency_s: null,
      msg_size_bytes: null,
    })
    expect(result.metrics).toEqual([])
  })
})

describe('normalizeQperf on crafted output', () => {
  it('reads -ub bit units as bits (Gb/sec is bits, not bytes)', () => {
    // Prepare
    const key = 'test/fixtures/crafted/qperf-crafted-ub-bits.txt'

    // Act
    const result = normalizeFixture(key)

    // Assess
    expect(result.runs.map((r) => r.throughput_bps)).toEqual([
      9.36e9, 41.8e9, 850e6, 912e3, 512, 1.2e12,
    ])
    expect(result.runs[1].sender_bps).toBe(63.3e9)
    expect(metric(result, 0, 'bw')).toMatchObject({ value: 9.36e9, unit: 'bit/s' })
  })

  it('reads -uu raw values (no separators, base units)', () => {
    // Prepare
    const key = 'test/fixtures/crafted/qperf-crafted-uu.txt'

    // Act
    const result = normalizeFixture(key)
    const [lat, bw] = result.runs

    // Assess
    expect(lat.latency_s).toBeCloseTo(17.7e-6, 15)
    expect(lat.duration_s).toBe(2)
    expect(bw.throughput_bps).toBe(1.25e9 * 8)
    expect(bw.msg_size_bytes).toBe(65536)
    expect(bw.cpu_local_percent).toBe(158)
    expect(bw.cpu_remote_percent).toBe(112)
    expect(metric(result, 1, 'recv_cost')).toMatchObject({ value: 8.8e-10, unit: 's/B' })
    expect(metric(result, 0, 'loc_send_msgs')).toMatchObject({ value: 41623, unit: 'count' })
    expect(result.warnings).toEqual([])
  })

  it('reads conf: tool_version for every run, hosts as text metrics, notices as warnings', () => {
    // Prepare
    const key = 'test/fixtures/crafted/qperf-crafted-conf.txt'

    // Act
    const result = normalizeFixture(key)
    const [conf, lat] = result.runs

    // Assess
    expect(conf).toMatchObject({
      test: 'conf',
      status: 'ok',
      protocol: null,
      tool_version: '0.4.11',
    })
    expect(lat).toMatchObject({ test: 'tcp_lat', tool_version: '0.4.11', document_index: 1 })
    expect(metric(result, 0, 'loc_cpu')).toMatchObject({
      value: null,
      unit: null,
      text_value: '2 Cores: Intel Xeon 2.3GHz',
    })
    expect(metric(result, 0, 'rem_node')).toMatchObject({
      value: null,
      unit: null,
      text_value: 'lab-server',
    })
    expect(result.warnings).toEqual([
      {
        code: 'qperf-warning',
        message: "line 2: qperf printed 'warning: msg_size set but not used in test conf'",
        path: 'line 2',
        document_index: 0,
      },
    ])
    expect(conf.warning_count).toBe(1)
  })

  it('reads -vvs counts with thousand/million/billion/trillion and binary sizes', () => {
    // Prepare
    const key = 'test/fixtures/crafted/qperf-crafted-vvs.txt'

    // Act
    const result = normalizeFixture(key)

    // Assess
    expect(metric(result, 0, 'send_msgs')?.value).toBe(116580)
    expect(metric(result, 0, 'recv_errors')?.value).toBe(17)
    expect(metric(result, 0, 'send_bytes')?.value).toBe(3.82e9)
    expect(metric(result, 1, 'loc_send_msgs')?.value).toBe(1.26e6)
    expect(metric(result, 1, 'loc_recv_msgs')?.value).toBe(2.5e9)
    expect(metric(result, 1, 'rem_send_msgs')?.value).toBe(1.1e12)
    expect(metric(result, 1, 'rem_send_bytes')?.value).toBe(1048576)
    expect(metric(result, 1, 'rem_recv_bytes')?.value).toBe(3221225472)
    expect(result.runs[0].throughput_bps).toBe(1.52e9 * 8)
  })

  it('reads -vt costs in every unit and maps send_/recv_ cpus to local/remote', () => {
    // Prepare
    const key = 'test/fixtures/crafted/qperf-crafted-vt.txt'

    // Act
    const result = normalizeFixture(key)

    // Assess
    expect(metric(result, 0, 'recv_cost')?.value).toBe(880e-12)
    expect(metric(result, 2, 'send_cost')?.value).toBe(126e-15)
    expect(metric(result, 2, 'recv_cost')?.value).toBe(950e-18)
    expect(result.runs[0].cpu_local_percent).toBe(158)
    expect(result.runs[0].cpu_remote_percent).toBe(112)
    expect(result.runs[1].cpu_remote_percent).toBe(88.2)
    expect(result.runs[2].cpu_remote_percent).toBe(49.6)
  })

  it('reads every time, bandwidth, rate and size scale', () => {
    // Prepare
    const key = 'test/fixtures/crafted/qperf-crafted-time-units.txt'

    // Act
    const result = normalizeFixture(key)

    // Assess
    expect(result.runs[0].latency_s).toBeCloseTo(850e-9, 15)
    expect(result.runs[1].latency_s).toBeCloseTo(1.5e-3, 15)
    expect(result.runs[2].latency_s).toBe(2.1)
    expect(metric(result, 2, 'msg_rate')?.value).toBe(0.48)
    expect(result.runs[3].throughput_bps).toBe(512 * 8)
    expect(metric(result, 3, 'msg_rate')?.value).toBe(1.2e6)
    expect(result.runs[4].throughput_bps).toBe(93.4e3 * 8)
    expect(metric(result, 4, 'msg_rate')?.value).toBe(3.1e9)
    expect(result.runs[5].throughput_bps).toBe(1.1e12 * 8)
    expect(result.runs[5].msg_size_bytes).toBe(1500)
    expect(result.warnings.map((w) => [w.code, w.path])).toEqual([['rounded-value', 'line 17']])
    expect(result.runs[6]).toMatchObject({
      msg_size_bytes: 4194304,
      duration_s: 10,
      throughput_bps: 118e6 * 8,
    })
    expect(metric(result, 6, 'sock_buf_size')?.value).toBe(1e6)
  })

  it('warns with the line number on unknown units and unparsed lines and stores null', () => {
    // Prepare
    const key = 'test/fixtures/crafted/qperf-crafted-unknown-unit.txt'

    // Act
    const result = normalizeFixture(key)

    // Assess
    expect(result.warnings.map((w) => [w.code, w.path, w.document_index])).toEqual([
      ['unknown-unit', 'line 2', 0],
      ['unknown-unit', 'line 5', 1],
      ['unparsed-line', 'line 10', 2],
    ])
    expect(result.warnings[0].message).toBe("line 2: 'bw': unknown unit 'XB/sec'; value skipped")
    expect(result.runs[0].throughput_bps).toBeNull()
    expect(metric(result, 0, 'bw')).toMatchObject({
      value: null,
      unit: null,
      text_value: '1.25 XB/sec',
    })
    expect(metric(result, 0, 'msg_rate')?.value).toBe(19400)
    expect(result.runs[1]).toMatchObject({
      latency_s: null,
      status: 'error',
      error_message: 'this line is garbage',
    })
    expect(result.runs[2].latency_s).toBeCloseTo(17.7e-6, 15)
    expect(result.runs.map((r) => r.warning_count)).toEqual([1, 1, 1])
  })

  it('reads sctp_bw (bw) and rds_bw (send_bw/recv_bw) with protocol and defaults', () => {
    // Prepare
    const sctp = normalizeFixture('test/fixtures/crafted/qperf-crafted-sctp_bw.txt')

    // Act
    const rds = normalizeFixture('test/fixtures/crafted/qperf-crafted-rds_bw.txt')

    // Assess
    expect(sctp.runs[0]).toMatchObject({
      protocol: 'sctp',
      throughput_bps: 812e6 * 8,
      msg_size_bytes: 32768,
    })
    expect(sctp.runs[1].latency_s).toBeCloseTo(31.4e-6, 15)
    expect(rds.runs[0]).toMatchObject({
      protocol: 'rds',
      sender_bps: 2.13e9 * 8,
      receiver_bps: 2.08e9 * 8,
      throughput_bps: 2.08e9 * 8,
      msg_size_bytes: 8192,
    })
  })

  it('turns "could not make TCP connection to server" into an error run', () => {
    // Prepare
    const key = 'test/fixtures/crafted/qperf-crafted-tcp-connection-error.txt'

    // Act
    const result = normalizeFixture(key)

    // Assess
    expect(result.runs).toHaveLength(1)
    expect(result.runs[0]).toMatchObject({
      test: 'tcp_bw',
      status: 'error',
      error_message: 'could not make TCP connection to server',
      throughput_bps: null,
      msg_size_bytes: null,
    })
  })

  it('reads Windows CRLF output exactly like LF output', () => {
    // Prepare
    const crlf = fixtureText('test/fixtures/crafted/qperf-crafted-crlf.txt')

    // Act
    const fromCrlf = rows(normalizeQperf(crlf, context))
    const fromLf = rows(normalizeQperf(crlf.replaceAll('\r\n', '\n'), context))

    // Assess
    expect(crlf.includes('\r\n')).toBe(true)
    expect(fromCrlf).toEqual(fromLf)
    expect(fromCrlf.runs[1]).toMatchObject({
      msg_size_bytes: 16384,
      throughput_bps: 1.25e9 * 8,
      duration_s: 2,
    })
    expect(fromCrlf.warnings).toEqual([])
  })
})

describe('normalizeQperf edge cases', () => {
  it('rejects text with no qperf block, naming why', () => {
    // Prepare
    const text = 'hello world\nthis is not qperf\n'

    // Act
    const result = normalizeQperf(text, context)

    // Assess
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'not-qperf',
        message:
          "no qperf test block found: expected a header such as 'tcp_lat:' followed by indented 'name = value' lines; line 1 is 'hello world'",
      },
    })
  })

  it('rejects a header with nothing after it', () => {
    // Prepare
    const text = 'Note:\n'

    // Act
    const result = normalizeQperf(text, context)

    // Assess
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error.code).toBe('not-qperf')
  })

  it('keeps a fatal error printed before any header as an error run with no test', () => {
    // Prepare
    const text = 'myserver: failed to connect\n'

    // Act
    const result = rows(normalizeQperf(text, context))

    // Assess
    expect(result.runs).toHaveLength(1)
    expect(result.runs[0]).toMatchObject({
      test: null,
      status: 'error',
      error_message: 'myserver: failed to connect',
    })
  })

  it('leaves a printed zero latency null with a warning and never invents values', () => {
    // Prepare
    const text = 'tcp_lat:\n    latency  =  0 ns\n'

    // Act
    const result = rows(normalizeQperf(text, context))

    // Assess
    expect(result.runs[0].latency_s).toBeNull()
    expect(result.warnings.map((w) => w.code)).toEqual(['zero-latency'])
  })

  it('refuses a value whose unit belongs to another family for the run column', () => {
    // Prepare
    const text = 'tcp_lat:\n    latency  =  5 GB/sec\n'

    // Act
    const result = rows(normalizeQperf(text, context))

    // Assess
    expect(result.runs[0].latency_s).toBeNull()
    expect(result.warnings.map((w) => w.code)).toEqual(['unexpected-unit'])
  })

  it('keeps the raw count when a binary size disagrees with it, with a warning', () => {
    // Prepare
    const text = 'tcp_bw:\n    bw        =  1 GB/sec\n    msg_size  =  64 KiB (65,000)\n'

    // Act
    const result = rows(normalizeQperf(text, context))

    // Assess
    expect(result.runs[0].msg_size_bytes).toBe(65000)
    expect(result.warnings.map((w) => w.code)).toEqual(['size-mismatch'])
  })

  it('skips a quit block and ignores blank lines and text before the first header with a warning', () => {
    // Prepare
    const text = '$ qperf host tcp_lat quit\n\ntcp_lat:\n    latency  =  17.7 us\n\nquit:\n'

    // Act
    const result = rows(normalizeQperf(text, context))

    // Assess
    expect(result.runs.map((r) => r.test)).toEqual(['tcp_lat'])
    expect(result.warnings.map((w) => [w.code, w.path])).toEqual([['orphan-text', 'line 1']])
  })

  it('warns on a block whose name is not a qperf test', () => {
    // Prepare
    const text = 'summary:\n    latency  =  17.7 us\n'

    // Act
    const result = rows(normalizeQperf(text, context))

    // Assess
    expect(result.runs[0]).toMatchObject({ test: 'summary', protocol: null, latency_s: 17.7e-6 })
    expect(result.warnings.map((w) => w.code)).toEqual(['unknown-test'])
  })

  it('returns the rejection "internal" instead of throwing on an unexpected failure', () => {
    // Prepare
    const hostile = {
      raw_key: null,
      get raw_sha256(): string {
        throw new Error('boom')
      },
    } as RawContext

    // Act
    const result = normalizeQperf('tcp_lat:\n    latency  =  17.7 us\n', hostile)

    // Assess
    expect(result).toEqual({
      ok: false,
      error: { code: 'internal', message: 'qperf normalizer failed unexpectedly: boom' },
    })
  })
})
