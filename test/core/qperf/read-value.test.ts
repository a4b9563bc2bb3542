import { describe, expect, it } from 'vitest'
import { readValue } from '#core/qperf/read-value.ts'

describe('readValue', () => {
  it.each([
    ['latency', '850 ns', 850e-9, 's'],
    ['latency', '21.7 us', 21.7e-6, 's'],
    ['latency', '1.5 ms', 1.5e-3, 's'],
    ['time', '2 sec', 2, 's'],
    ['bw', '512 bytes/sec', 512, 'B/s'],
    ['bw', '93.4 KB/sec', 93.4e3, 'B/s'],
    ['bw', '781 MB/sec', 781e6, 'B/s'],
    ['bw', '1.27 GB/sec', 1.27e9, 'B/s'],
    ['bw', '1.1 TB/sec', 1.1e12, 'B/s'],
    ['bw', '512 bits/sec', 512, 'bit/s'],
    ['bw', '912 Kb/sec', 912e3, 'bit/s'],
    ['bw', '850 Mb/sec', 850e6, 'bit/s'],
    ['bw', '9.36 Gb/sec', 9.36e9, 'bit/s'],
    ['bw', '1.2 Tb/sec', 1.2e12, 'bit/s'],
    ['msg_rate', '0.48 /sec', 0.48, '1/s'],
    ['msg_rate', '46.1 K/sec', 46.1e3, '1/s'],
    ['msg_rate', '1.2 M/sec', 1.2e6, '1/s'],
    ['msg_rate', '3.1 G/sec', 3.1e9, '1/s'],
    ['msg_rate', '2 T/sec', 2e12, '1/s'],
    ['msg_size', '1 bytes', 1, 'B'],
    ['loc_send_bytes', '41.6 KB', 41600, 'B'],
    ['x_bytes', '2.5 MB', 2.5e6, 'B'],
    ['x_bytes', '3.82 GB', 3.82e9, 'B'],
    ['x_bytes', '1.5 TB', 1.5e12, 'B'],
    ['msg_size', '16 KiB (16,384)', 16384, 'B'],
    ['msg_size', '64 KiB (65,536)', 65536, 'B'],
    ['sock_buf_size', '1 MiB (1,048,576)', 1048576, 'B'],
    ['x_bytes', '3 GiB (3,221,225,472)', 3221225472, 'B'],
    ['x_bytes', '1 TiB (1,099,511,627,776)', 1099511627776, 'B'],
    ['loc_send_msgs', '41,623', 41623, 'count'],
    ['loc_send_msgs', '41623', 41623, 'count'],
    ['x_msgs', '1.26 million', 1.26e6, 'count'],
    ['x_msgs', '12.5 thousand', 12500, 'count'],
    ['x_msgs', '2.5 billion', 2.5e9, 'count'],
    ['x_msgs', '1.1 trillion', 1.1e12, 'count'],
    ['loc_cpus_used', '90.5 % cpus', 90.5, 'percent'],
    ['send_cost', '950 ns/GB', 950e-18, 's/B'],
    ['send_cost', '126 us/GB', 126e-15, 's/B'],
    ['send_cost', '880 ms/GB', 880e-12, 's/B'],
    ['send_cost', '1.24 sec/GB', 1.24e-9, 's/B'],
    ['bw', '1,234 TB/sec', 1234e12, 'B/s'],
  ])('%s = %s → %d %s', (name, printed, value, si) => {
    // Prepare
    const field = { name, printed }

    // Act
    const read = readValue(field.name, field.printed)

    // Assess
    expect(read).toMatchObject({ kind: 'number', value, si })
  })

  it('reads conf and string parameters as text even when they start with a digit', () => {
    // Prepare
    const printed = '2 Cores: Intel Xeon 2.3GHz'

    // Act
    const cpu = readValue('rem_cpu', printed)
    const version = readValue('loc_qperf', '0.4.11')

    // Assess
    expect(cpu).toEqual({ kind: 'text', text: printed })
    expect(version).toEqual({ kind: 'text', text: '0.4.11' })
  })

  it.each([
    ['bw', '1.25 XB/sec', 'unknown-unit'],
    ['bw', '1.25 mb/sec', 'unknown-unit'],
    ['latency', 'fast', 'unparsed-value'],
    ['latency', '', 'unparsed-value'],
    ['latency', '-3 us', 'negative-value'],
    ['loc_send_msgs', '4,1623', 'unparsed-value'],
    ['bw', '12 GB/sec (12)', 'unparsed-value'],
    ['bw', `${'9'.repeat(400)} TB/sec`, 'non-finite-number'],
  ])('%s = %s → problem %s, never a number', (name, printed, code) => {
    // Prepare
    const field = { name, printed }

    // Act
    const read = readValue(field.name, field.printed)

    // Assess
    expect(read).toMatchObject({ kind: 'problem', code })
  })

  it('flags decimal-unit sizes as rounded and binary or byte sizes as exact', () => {
    // Prepare
    const printed = ['1.5 KB', '1500 bytes', '64 KiB (65,536)']

    // Act
    const rounded = printed.map((p) => {
      const read = readValue('msg_size', p)
      return read.kind === 'number' ? read.rounded : null
    })

    // Assess
    expect(rounded).toEqual([true, false, false])
  })
})
