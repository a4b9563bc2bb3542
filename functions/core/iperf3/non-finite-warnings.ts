import type { ParseWarning } from '#schemas/parse-result.ts'
import type { TolerantValue } from '#core/json/tolerant-json.ts'

/** One warning per `nan`/`inf` token the tolerant reader replaced by null, naming its JSON path. */
export function nonFiniteWarnings(read: TolerantValue): ParseWarning[] {
  return read.nonFinite.map((nf) => ({
    code: 'non-finite-number',
    message: `${nf.path} is ${nf.token} (invalid JSON, printed by iperf3 up to 3.1.2); read as null`,
    path: nf.path,
    offset: nf.offset,
  }))
}
