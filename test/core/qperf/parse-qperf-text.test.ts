import { describe, expect, it } from 'vitest'
import { parseQperfText } from '#core/qperf/parse-qperf-text.ts'

describe('parseQperfText', () => {
  it('splits blocks, fields, notices, errors and unparsed lines with 1-based line numbers', () => {
    // Prepare
    const text = [
      'stray',
      'tcp_lat:',
      'warning: msg_size set but not used in test tcp_lat',
      '    latency  =  17.7 us',
      '    ???',
      '',
      'tcp_bw:',
      '127.0.0.1: failed to connect',
      '',
    ].join('\n')

    // Act
    const parsed = parseQperfText(text)

    // Assess
    expect(parsed).toEqual({
      prelude: [{ line: 1, text: 'stray' }],
      blocks: [
        {
          test: 'tcp_lat',
          headerLine: 2,
          fields: [{ line: 4, name: 'latency', printed: '17.7 us' }],
          errors: [],
          notices: [{ line: 3, text: 'warning: msg_size set but not used in test tcp_lat' }],
          unparsed: [{ line: 5, text: '???' }],
        },
        {
          test: 'tcp_bw',
          headerLine: 7,
          fields: [],
          errors: [{ line: 8, text: '127.0.0.1: failed to connect' }],
          notices: [],
          unparsed: [],
        },
      ],
    })
  })

  it('keeps the count value with its trailing space and a string value with spaces', () => {
    // Prepare
    const text = 'conf:\n    loc_os  =  Linux 6.18.44\ntcp_lat:\n    loc_send_msgs  =  41,623 \n'

    // Act
    const parsed = parseQperfText(text)

    // Assess
    expect(parsed.blocks[0].fields[0]).toEqual({
      line: 2,
      name: 'loc_os',
      printed: 'Linux 6.18.44',
    })
    expect(parsed.blocks[1].fields[0]).toEqual({
      line: 4,
      name: 'loc_send_msgs',
      printed: '41,623',
    })
  })

  it('accepts CR-only line endings', () => {
    // Prepare
    const text = 'tcp_lat:\r    latency  =  17.7 us\r'

    // Act
    const parsed = parseQperfText(text)

    // Assess
    expect(parsed.blocks[0].fields).toEqual([{ line: 2, name: 'latency', printed: '17.7 us' }])
  })
})
