import { describe, expect, it } from 'vitest'
import { PLATFORM_COLORS, platformColor, platformScale, sortPlatforms } from '#core/palette.ts'

describe('palette', () => {
  it('gives each known platform its own colour and an unknown one a colour from its name alone', () => {
    // Act
    const known = ['baremetal', 'openstack', 'kubevirt'].map(platformColor)
    const alone = platformColor('vmware')
    const amongOthers = platformScale(['kubevirt', 'vmware', 'baremetal', 'xen'])
    // Assess
    expect(new Set(known).size).toBe(3)
    expect(known).toEqual(Object.values(PLATFORM_COLORS))
    expect(amongOthers.domain).toEqual(['baremetal', 'kubevirt', 'vmware', 'xen'])
    expect(amongOthers.range[2]).toBe(alone)
    expect(Object.values(PLATFORM_COLORS)).not.toContain(alone)
    expect(sortPlatforms(['openstack', 'a', 'baremetal'])).toEqual(['baremetal', 'openstack', 'a'])
  })
})
