import { describe, expect, it } from 'vitest'
import {
  betaRegularized,
  lnBeta,
  lnGamma,
  tCdf,
  tPdf,
  tQuantile,
  tSurvival,
} from '#core/compare/student-t.ts'

// Reference values from scipy 1.17.1 (python3 -c "from scipy import stats; print(stats.t.ppf(p, df))"),
// rows are df, columns are p = 0.6, 0.9, 0.95, 0.975, 0.995, 0.9995, 0.025, 1e-6.
const PS = [0.6, 0.9, 0.95, 0.975, 0.995, 0.9995, 0.025, 1e-6]
const SCIPY_PPF: Array<[number, number[]]> = [
  [
    1,
    [
      0.32491969623290634, 3.0776835371752544, 6.313751514675037, 12.706204736174694,
      63.656741162871526, 636.6192487687897, -12.706204736174705, -318309.8861827435,
    ],
  ],
  [
    2,
    [
      0.2886751345948128, 1.8856180831641272, 2.9199855803537242, 4.302652729749462,
      9.924843200918287, 31.599054576445365, -4.302652729749464, -707.1057205259339,
    ],
  ],
  [
    2.5,
    [
      0.2814595127485477, 1.7302509288071766, 2.5582186141359355, 3.5746548420036817,
      7.163728138948783, 18.277893528131457, -3.5746548420036834, -220.17342917823686,
    ],
  ],
  [
    3,
    [
      0.2766706623326898, 1.637744353696209, 2.3533634348018233, 3.1824463052837078,
      5.840909309733355, 12.923978636687961, -3.1824463052837086, -103.29946778041935,
    ],
  ],
  [
    4.7,
    [
      0.2680827195410317, 1.4901550815168034, 2.043811093013787, 2.62072607535317,
      4.1678920401190584, 7.266542375825276, -2.6207260753531707, -28.20094979234241,
    ],
  ],
  [
    5,
    [
      0.2671808657041451, 1.4758840488244815, 2.0150483733330233, 2.5705818356363146,
      4.032142983555228, 6.868826625881276, -2.5705818356363155, -24.771029720515948,
    ],
  ],
  [
    8,
    [
      0.26192109674883235, 1.3968153097438654, 1.8595480375308973, 2.306004135204166,
      3.355387331333395, 5.041305433373456, -2.3060041352041662, -12.109834665556214,
    ],
  ],
  [
    10,
    [
      0.2601848294920803, 1.372183641110336, 1.8124611228116756, 2.228138851986274,
      3.16927267261695, 4.586893858702708, -2.2281388519862753, -9.751995490940581,
    ],
  ],
  [
    30,
    [
      0.2556053649519128, 1.3104150253913955, 1.697260886593957, 2.0422724563012378,
      2.7499956535672254, 3.6459586350420627, -2.042272456301238, -5.871117120418882,
    ],
  ],
  [
    100,
    [
      0.25402218245822766, 1.290074761346516, 1.6602343260853392, 1.9839715185235518,
      2.6258905214380173, 3.390491311164263, -1.983971518523552, -5.048830877228346,
    ],
  ],
  [
    1000,
    [
      0.25341451583949876, 1.2823987214609247, 1.6463788172854643, 1.9623390808264083,
      2.580754698065951, 3.300282648423944, -1.9623390808264085, -4.781608620458351,
    ],
  ],
  [
    1e5,
    [
      0.25334777715718015, 1.2815600314493614, 1.6448688647849696, 1.9599877075346095,
      2.575878469908375, 3.2906240314119137, -1.95998770753461, -4.753704716391288,
    ],
  ],
]

describe('tQuantile', () => {
  it('matches scipy.stats.t.ppf to 1e-10 relative, integer and fractional df', () => {
    for (const [df, expected] of SCIPY_PPF) {
      // Act
      const got = PS.map((p) => tQuantile(p, df))

      // Assess
      got.forEach((t, i) => {
        expect(Math.abs(t - expected[i]), `df=${df} p=${PS[i]}`).toBeLessThanOrEqual(
          1e-10 * Math.abs(expected[i]),
        )
      })
    }
  })

  it('is 0 at ½, ±∞ at 0 and 1, antisymmetric, and inverts tCdf', () => {
    // Prepare
    const ps = [0.001, 0.03, 0.2, 0.45, 0.7, 0.99]

    // Act
    const roundTrip = ps.map((p) => tCdf(tQuantile(p, 3.7), 3.7))

    // Assess
    expect(tQuantile(0.5, 4)).toBe(0)
    expect(tQuantile(0, 4)).toBe(Number.NEGATIVE_INFINITY)
    expect(tQuantile(1, 4)).toBe(Number.POSITIVE_INFINITY)
    expect(tQuantile(0.1, 6.2)).toBe(-tQuantile(0.9, 6.2))
    roundTrip.forEach((p, i) => expect(p).toBeCloseTo(ps[i], 13))
  })

  it('rejects df ≤ 0 and p outside [0, 1]', () => {
    expect(() => tQuantile(0.5, 0)).toThrow(RangeError)
    expect(() => tQuantile(1.2, 3)).toThrow(RangeError)
  })
})

describe('tCdf and tSurvival', () => {
  it('match scipy.stats.t.cdf / t.sf, including far tails', () => {
    // Prepare: python3 -c "from scipy import stats; print(stats.t.cdf(t, df), stats.t.sf(t, df))"
    const cdf: Array<[number, number, number]> = [
      [-3, 2, 0.04773298313335456],
      [0.5, 3.3, 0.6757324618002207],
      [2.1, 7, 0.9630644018935387],
      [10, 4, 0.999718998188642],
      [-40, 2.2, 0.00017115773828230282],
      [1.5, 1e4, 0.9331770140881902],
    ]
    const sf: Array<[number, number, number]> = [
      [12, 3, 0.0006225079003946681],
      [50, 10, 1.23715516465134e-13],
      [8, 2.5, 0.0038283220655217234],
    ]

    // Act + Assess
    for (const [t, df, p] of cdf)
      expect(Math.abs(tCdf(t, df) - p)).toBeLessThanOrEqual(1e-12 * p + 1e-15)
    for (const [t, df, p] of sf)
      expect(Math.abs(tSurvival(t, df) - p)).toBeLessThanOrEqual(1e-10 * p)
  })
})

describe('lnGamma and betaRegularized', () => {
  it('give known values: Γ(5) = 24, Γ(½) = √π, I_x(1, 1) = x, I_x(2, 3) by its polynomial', () => {
    // Prepare: I_x(2, 3) = 6x² − 8x³ + 3x⁴ (integrate 12 t (1 − t)²)
    const x = 0.3

    // Act + Assess
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 13)
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13)
    expect(betaRegularized(x, 1, 1)).toBeCloseTo(x, 14)
    expect(betaRegularized(x, 2, 3)).toBeCloseTo(6 * x ** 2 - 8 * x ** 3 + 3 * x ** 4, 14)
    expect(betaRegularized(0.9, 2, 3)).toBeCloseTo(6 * 0.81 - 8 * 0.729 + 3 * 0.6561, 14)
  })
})

describe('lnBeta and tPdf', () => {
  it('match scipy.special.betaln and scipy.stats.t.pdf where a parameter is large', () => {
    // Prepare: ln B from mpmath at 40 digits (python3 -c "import mpmath as m; m.mp.dps = 40;
    // print(m.log(m.beta(50000, 0.5)))"): scipy.special.betaln(5e4, 0.5) is itself 3.5e-11 off.
    // Densities: python3 -c "from scipy import stats; print(stats.t.pdf(1.3, 7.5))"
    const cases: Array<[number, number, number]> = [
      [5e4, 0.5, -4.8375216992804415],
      [30, 40, -48.301749095916125],
      [3, 12.5, -7.109419798619222],
    ]

    // Act + Assess
    for (const [a, b, expected] of cases)
      expect(Math.abs(lnBeta(a, b) - expected)).toBeLessThan(1e-12 * Math.abs(expected))
    expect(tPdf(1.3, 7.5)).toBeCloseTo(0.16270280955398916, 14)
    expect(tPdf(0.2, 2e5)).toBeCloseTo(0.3910421668502632, 12)
  })
})
