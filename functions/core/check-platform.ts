import { KNOWN_PLATFORMS } from '#schemas/labels.ts'

/**
 * Why `platform` is refused, or null when it is one of the known platforms or one the deployment
 * declares (`NETLAKE_PLATFORMS`, `netlake start --platforms`). A near miss names the platform it
 * probably meant (`openstak` → `openstack`), so a typo never becomes a platform of its own. Pure.
 */
export function checkPlatform(platform: string, declared: readonly string[] = []): string | null {
  const allowed = [...new Set([...KNOWN_PLATFORMS, ...declared.map((p) => p.toLowerCase())])]
  const value = platform.toLowerCase()
  if (allowed.includes(value)) return null
  const nearest = allowed
    .map((candidate) => ({ candidate, distance: editDistance(value, candidate) }))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))[0]
  const hint =
    nearest && nearest.distance <= Math.max(2, Math.floor(nearest.candidate.length / 3))
      ? `did you mean '${nearest.candidate}'? `
      : ''
  return `unknown platform '${platform}': ${hint}known platforms are ${allowed.join(', ')} (a deployment declares more with NETLAKE_PLATFORMS or netlake start --platforms)`
}

/** Levenshtein distance (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    }
    previous = current
  }
  return previous[b.length]
}
