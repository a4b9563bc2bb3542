/**
 * Student's t distribution: density, distribution function and its inverse, for any real
 * degrees of freedom > 0 (Welch's df is not an integer). Pure.
 *
 * The distribution function goes through the regularized incomplete beta function,
 * P(T > t) = ½·I_{df/(df+t²)}(df/2, ½) for t ≥ 0, evaluated with the continued fraction of
 * Numerical Recipes §6.4 (modified Lentz) and a Lanczos log-gamma. The inverse is Newton's method
 * on that function, kept inside a bracket (bisection whenever a step would leave it), started
 * from a Cornish-Fisher expansion of a normal quantile. Checked against scipy.stats.t to 1e-10.
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
]

/** ln Γ(x) for x > 0 (Lanczos, g = 7; relative error about 1e-15). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x)
  const z = x - 1
  let a = LANCZOS[0]
  const t = z + 7.5
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i)
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a)
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), without the cancellation of that difference when
 * a parameter is large (the split of R's `lbeta`: Stirling's series for the large arguments).
 */
export function lnBeta(a: number, b: number): number {
  const p = Math.min(a, b)
  const q = Math.max(a, b)
  if (q < 10) return lnGamma(p) + lnGamma(q) - lnGamma(p + q)
  const share = p / (p + q)
  if (p < 10) {
    const corr = stirlingCorrection(q) - stirlingCorrection(p + q)
    return lnGamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-share)
  }
  const corr = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q)
  return (
    -0.5 * Math.log(q) +
    0.5 * Math.log(2 * Math.PI) +
    corr +
    (p - 0.5) * Math.log(share) +
    q * Math.log1p(-share)
  )
}

/** ln Γ(x) − [(x − ½) ln x − x + ½ ln 2π] for x ≥ 10, by Stirling's series (error < 1e-14). */
function stirlingCorrection(x: number): number {
  const x2 = 1 / (x * x)
  return (1 / 12 - x2 * (1 / 360 - x2 * (1 / 1260 - x2 * (1 / 1680 - x2 / 1188)))) / x
}

/**
 * Regularized incomplete beta I_x(a, b). `y` = 1 − x may be passed when it is known more
 * precisely than `1 - x` (x close to 1).
 */
export function betaRegularized(x: number, a: number, b: number, y: number = 1 - x): number {
  if (!(a > 0 && b > 0)) throw new RangeError(`beta parameters must be positive: ${a}, ${b}`)
  if (x <= 0) return 0
  if (y <= 0) return 1
  const lnFront = a * Math.log(x) + b * Math.log(y) - lnBeta(a, b)
  const front = Math.exp(lnFront)
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a
  return 1 - (front * betaContinuedFraction(y, b, a)) / b
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - (qab * x) / qap
  if (Math.abs(d) < tiny) d = tiny
  d = 1 / d
  let h = d
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + aa / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + aa / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < 1e-16) break
  }
  return h
}

function checkDf(df: number): void {
  if (!(df > 0) || !Number.isFinite(df))
    throw new RangeError(`degrees of freedom must be > 0: ${df}`)
}

/** Density of Student's t with `df` degrees of freedom. */
export function tPdf(t: number, df: number): number {
  checkDf(df)
  const lnC = -lnBeta(df / 2, 0.5) - 0.5 * Math.log(df)
  return Math.exp(lnC - ((df + 1) / 2) * Math.log1p((t * t) / df))
}

/** Upper tail P(T > t), precise far into the tail. */
export function tSurvival(t: number, df: number): number {
  checkDf(df)
  if (Number.isNaN(t)) return Number.NaN
  if (t === Number.POSITIVE_INFINITY) return 0
  if (t === Number.NEGATIVE_INFINITY) return 1
  const t2 = t * t
  const half = 0.5 * betaRegularized(df / (df + t2), df / 2, 0.5, t2 / (df + t2))
  return t >= 0 ? half : 1 - half
}

/** Distribution function P(T ≤ t). */
export function tCdf(t: number, df: number): number {
  return tSurvival(-t, df)
}

/** Quantile (inverse distribution function) of Student's t: the t with P(T ≤ t) = p. */
export function tQuantile(p: number, df: number): number {
  checkDf(df)
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability out of range: ${p}`)
  if (p === 0) return Number.NEGATIVE_INFINITY
  if (p === 1) return Number.POSITIVE_INFINITY
  if (p === 0.5) return 0
  if (p < 0.5) return -upperQuantile(p, df)
  return upperQuantile(1 - p, df)
}

/** The t > 0 with P(T > t) = q, for 0 < q < ½. */
function upperQuantile(q: number, df: number): number {
  if (df === 1) return Math.tan(Math.PI * (0.5 - q))
  let lo = 0
  let hi = Math.max(1, cornishFisher(q, df))
  while (tSurvival(hi, df) > q) {
    lo = hi
    hi *= 2
  }
  let t = Math.min(Math.max(cornishFisher(q, df), lo), hi)
  for (let i = 0; i < 200; i++) {
    const excess = tSurvival(t, df) - q
    if (excess === 0) return t
    if (excess > 0) lo = t
    else hi = t
    let next = t + excess / tPdf(t, df)
    if (!(next > lo && next < hi)) next = (lo + hi) / 2
    if (Math.abs(next - t) <= 1e-15 * Math.max(1, Math.abs(t))) return next
    t = next
  }
  return t
}

/** Starting point: Abramowitz & Stegun 26.2.23 normal quantile, Cornish-Fisher corrected for df. */
function cornishFisher(q: number, df: number): number {
  const w = Math.sqrt(-2 * Math.log(q))
  const z =
    w -
    (2.515517 + 0.802853 * w + 0.010328 * w * w) /
      (1 + 1.432788 * w + 0.189269 * w * w + 0.001308 * w ** 3)
  const z3 = z ** 3
  const z5 = z ** 5
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df)
}
