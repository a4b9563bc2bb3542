/**
 * Standard normal distribution function, via the complementary error function of W. J. Cody
 * (rational Chebyshev approximations, relative error below 1e-14 over the whole range).
 */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2)
}

/** Complementary error function (Cody 1969, as in many numerical libraries). */
export function erfc(x: number): number {
  const ax = Math.abs(x)
  let result: number
  if (ax < 0.5) {
    result = 1 - erfSmall(x)
    return result
  }
  result = ax < 4 ? erfcMid(ax) : erfcLarge(ax)
  return x < 0 ? 2 - result : result
}

function erfSmall(x: number): number {
  const a = [
    3.1611237438705656, 113.86415415105016, 377.485237685302, 3209.3775891384694,
    0.18577770618460315,
  ]
  const b = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171]
  const z = x * x
  let num = a[4] * z
  let den = z
  for (let i = 0; i < 3; i++) {
    num = (num + a[i]) * z
    den = (den + b[i]) * z
  }
  return (x * (num + a[3])) / (den + b[3])
}

function erfcMid(y: number): number {
  const c = [
    0.5641884969886701, 8.883149794388376, 66.11919063714163, 298.635138197400131, 881.952221241769,
    1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
  ]
  const d = [
    15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903,
    3290.7992357334835, 4362.619090143247, 3439.3676741437216, 1230.3393548037495,
  ]
  let num = c[8] * y
  let den = y
  for (let i = 0; i < 7; i++) {
    num = (num + c[i]) * y
    den = (den + d[i]) * y
  }
  return expSquared(y) * ((num + c[7]) / (den + d[7]))
}

function erfcLarge(y: number): number {
  const p = [
    0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275,
    6.587491615298378e-4, 0.016315387137302097,
  ]
  const q = [
    2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132,
    0.0023352049762686918,
  ]
  if (y > 26.5) return 0
  const z = 1 / (y * y)
  let num = p[5] * z
  let den = z
  for (let i = 0; i < 4; i++) {
    num = (num + p[i]) * z
    den = (den + q[i]) * z
  }
  let r = (z * (num + p[4])) / (den + q[4])
  r = (1 / Math.sqrt(Math.PI) - r) / y
  return expSquared(y) * r
}

/** exp(−y²) computed in two parts to keep precision for large y. */
function expSquared(y: number): number {
  const ysq = Math.trunc(y * 16) / 16
  const del = (y - ysq) * (y + ysq)
  return Math.exp(-ysq * ysq) * Math.exp(-del)
}
