/**
 * Exact decimals of number fields (人数, 项数, 占比), the server's `form::Decimal` (crates/core/src/form/number.rs)
 * step for step: the text typed is read into integer millionths held as BigInt, never a float, so 0.1 + 0.2 is
 * 0.3 and a sum of table cells is the sum the server writes. Amounts in 万元 have their own rules
 * (`parseWan` in utils/money.ts, the server's `Money::parse_wan`).
 */

const SCALE = 1_000_000n
/** Decimal places a number field may have at most. */
export const MAX_PLACES = 6
/** The server holds a decimal in an i128. */
const I128_MAX = (1n << 127n) - 1n
const I128_MIN = -(1n << 127n)

export type DecimalError = 'format' | 'too_many_places' | 'too_large'
export type DecimalParse = { ok: true; micros: bigint } | { ok: false; error: DecimalError; places: number }

/** Unicode White_Space, what Rust's `str::trim` removes (JS `trim` differs at U+FEFF and U+0085). */
const SPACE = '\\t-\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000'
const EDGE_SPACE = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'g')

/** Rust's `str::trim`. */
export function rustTrim(s: string): string {
  return s.replace(EDGE_SPACE, '')
}

/**
 * Parses `12`, `-3.5`, `+2`, `.5`, `１２．５` (full-width digits, point and minus), with at most `places`
 * decimals (trailing zeros allowed). Refuses `1.`, `1e3`, `1,000` and more than 18 integer digits.
 */
export function parseDecimal(input: string, places: number): DecimalParse {
  const s = [...rustTrim(input)]
    .map((c) => {
      const code = c.charCodeAt(0)
      if (code >= 0xff10 && code <= 0xff19) return String.fromCharCode(code - 0xff10 + 48)
      if (c === '．') return '.'
      if (c === '－') return '-'
      return c
    })
    .join('')
  let neg = false
  let digits = s
  if (s.startsWith('-')) {
    neg = true
    digits = s.slice(1)
  } else if (s.startsWith('+')) {
    digits = s.slice(1)
  }
  const dot = digits.indexOf('.')
  const int = dot < 0 ? digits : digits.slice(0, dot)
  let frac = dot < 0 ? '' : digits.slice(dot + 1)
  const fail = (error: DecimalError): DecimalParse => ({ ok: false, error, places })
  if ((int === '' && frac === '') || !/^[0-9]*$/.test(int) || !/^[0-9]*$/.test(frac) || (dot >= 0 && frac === '')) {
    return fail('format')
  }
  frac = frac.replace(/0+$/, '')
  if (frac.length > Math.min(places, MAX_PLACES)) return fail('too_many_places')
  if (int.replace(/^0+/, '').length > 18) return fail('too_large')
  const v = BigInt(int || '0') * SCALE + BigInt(frac.padEnd(6, '0') || '0')
  return { ok: true, micros: neg ? -v : v }
}

/** The shortest exact text of millionths: `12`, `12.5`, `-0.25`. */
export function formatDecimal(micros: bigint): string {
  const sign = micros < 0n ? '-' : ''
  const a = micros < 0n ? -micros : micros
  const int = a / SCALE
  const frac = a % SCALE
  if (frac === 0n) return `${sign}${int}`
  return `${sign}${int}.${String(frac).padStart(6, '0').replace(/0+$/, '')}`
}

/** Adds millionths as the server does: null past what an i128 holds. */
export function checkedAdd(a: bigint, b: bigint): bigint | null {
  const s = a + b
  return s > I128_MAX || s < I128_MIN ? null : s
}

/** Fen (万元 × 10⁶) as the exact 万元 text the server stores and shows, trailing zeros dropped: `1500.25`. */
export function exactWan(fen: bigint): string {
  return formatDecimal(fen)
}
