/** An iperf3 version read from `start.version` ("iperf 3.12", "iperf 3.1.3", "iperf 3.17.1+"). */
export interface Iperf3Version {
  /** As stored in `tool_version`: "3.12", "3.1.3". */
  text: string
  major: number
  minor: number
  patch: number
}

const VERSION = /(\d+)\.(\d+)(?:\.(\d+))?/

/** Parses `start.version`; null when absent or unrecognisable. */
export function parseIperf3Version(version: string | null): Iperf3Version | null {
  if (version === null) return null
  const m = VERSION.exec(version)
  if (!m) return null
  const text = m[3] === undefined ? `${m[1]}.${m[2]}` : `${m[1]}.${m[2]}.${m[3]}`
  return {
    text,
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: m[3] === undefined ? 0 : Number(m[3]),
  }
}

/** True when `v` is within [from, to] by major.minor. */
export function versionBetween(v: Iperf3Version | null, from: number, to: number): boolean {
  if (v === null || v.major !== 3) return false
  return v.minor >= from && v.minor <= to
}
