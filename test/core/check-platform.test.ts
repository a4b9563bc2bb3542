import { describe, expect, it } from 'vitest'
import { checkPlatform, editDistance } from '#core/check-platform.ts'

describe('checkPlatform', () => {
  it('accepts the known platforms in any case, and the declared ones', () => {
    expect(['openstack', 'KubeVirt', 'baremetal'].map((p) => checkPlatform(p))).toEqual([
      null,
      null,
      null,
    ])
    expect(checkPlatform('vmware', ['VMware'])).toBeNull()
  })

  it('refuses a near miss naming what it probably meant', () => {
    // Act
    const typos = ['openstak', 'kubvirt', 'bare-metal', 'vmwre'].map((p) =>
      checkPlatform(p, ['vmware']),
    )
    // Assess
    expect(typos[0]).toContain("did you mean 'openstack'?")
    expect(typos[1]).toContain("did you mean 'kubevirt'?")
    expect(typos[2]).toContain("did you mean 'baremetal'?")
    expect(typos[3]).toContain("did you mean 'vmware'?")
  })

  it('refuses an unrelated name without a guess, listing the allowed platforms', () => {
    const problem = checkPlatform('aws')
    expect(problem).not.toContain('did you mean')
    expect(problem).toContain('openstack, kubevirt, baremetal')
    expect(problem).toContain('NETLAKE_PLATFORMS')
  })

  it('measures edit distance as insertions, deletions and substitutions', () => {
    // openstak + c = openstack; kitten → sitting is the textbook 3
    expect(editDistance('openstak', 'openstack')).toBe(1)
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('', 'abc')).toBe(3)
    expect(editDistance('same', 'same')).toBe(0)
  })
})
