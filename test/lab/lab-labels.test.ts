import { describe, expect, it } from 'vitest'
import { LabelsSchema } from '#schemas/labels.ts'
import { labLabels } from '../../lab/lab-labels.ts'
import { buildOsS1 } from '../../lab/scenarios-openstack.ts'

const system = { hostname: 'box', kernel: '6.1.0', iperf3_version: '3.12', qperf_version: null }

describe('lab labels', () => {
  it('carry platform, scenario, lab-netns profile, MTUs and how the lab ran; user labels win but not the scenario', () => {
    // Prepare
    const scenario = buildOsS1({ offloadsOff: true })
    const user = { campaign: 'c7', mtu: 1400, scenario: 'other', software: { note: 'x' } }

    // Act
    const labels = LabelsSchema.parse(
      labLabels(
        scenario,
        system,
        { offloadsOff: true, pin: true },
        user,
        2,
        '2026-11-26T09:00:00.000Z',
      ),
    )

    // Assess
    expect(labels).toEqual({
      platform: 'openstack',
      scenario: 'os-s1',
      campaign: 'c7',
      hardware_profile: 'lab-netns',
      mtu: 1400,
      link_mtu: 1500,
      collector_id: 'box',
      source: { vm: 'nlk-os-s1-vm1', host: 'box' },
      destination: { vm: 'nlk-os-s1-vm2', host: 'box' },
      software: {
        emulation: 'netns-one-kernel',
        offloads: 'off',
        cpu_pin: '0,0',
        kernel: '6.1.0',
        iperf3: '3.12',
        note: 'x',
      },
      repetition: 2,
      collected_at: '2026-11-26T09:00:00.000Z',
    })
  })
})
