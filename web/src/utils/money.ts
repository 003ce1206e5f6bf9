/**
 * Amounts of money (issue 12: `Money` end to end), exactly: integer fen held as BigInt, never a float.
 *
 * The server keeps amounts as integer fen and sends them as decimal strings of yuan ("25000.00"); forms keep
 * what the user typed in 万元 ("2.5"). Reading either through `Number` would make 0.1 + 0.2 come out as
 * 0.30000000000000004 and could show a price a fen away from the one entered, so every conversion here works
 * on the decimal digits. The parsing rules and messages are the server's (`Money::parse_wan` /
 * `Money::parse_yuan`, crates/core/src/money.rs), so a value this page accepts the server accepts too, and a
 * refused one reads the same on both sides.
 */

export const FEN_PER_YUAN = 100n
export const FEN_PER_WAN = 1_000_000n
/** The largest amount the server holds (2^53 − 1 fen), so its integer survives any JSON reader. */
export const MAX_FEN = (1n << 53n) - 1n

/** Why a text is not an amount: the server's `MoneyError` codes. */
export type MoneyErrorCode = 'money_empty' | 'money_format' | 'money_negative' | 'money_too_many_decimals' | 'money_too_large'

/** An amount read from text: its fen, or why not (with the server's message). */
export type MoneyParse = { ok: true; fen: bigint } | { ok: false; code: MoneyErrorCode; message: string }

function fail(code: MoneyErrorCode, places = 2): MoneyParse {
  const message = {
    money_empty: '请输入金额',
    money_format: '金额格式不正确，请输入数字，如“1,234.56”',
    money_negative: '金额不能为负数',
    money_too_many_decimals: `金额最多保留${places}位小数（精确到分）`,
    money_too_large: '金额超出允许范围',
  }[code]
  return { ok: false, code, message }
}

/**
 * An amount in 万元 as users type it: `2.5`, `12.345678`, `1,200.5万元`, `3万`, full-width digits. Up to six
 * decimals (one fen); thousands commas must group by three, so a mistyped decimal point is refused rather
 * than multiplying the amount.
 */
export function parseWan(text: string): MoneyParse {
  return parseScaled(text, ['万元', '万'], 6)
}

/** An amount in yuan as users type it: `12.5`, `¥1,234.56`, `100元`. Up to two decimals. */
export function parseYuan(text: string): MoneyParse {
  return parseScaled(text, ['元'], 2)
}

/**
 * The fen of an amount as the API sends it (a decimal string of yuan, "25000.00"); null when absent or not an
 * amount, so a page shows nothing rather than a wrong figure.
 */
export function fenFromYuan(text: string | null | undefined): bigint | null {
  if (typeof text !== 'string') return null
  const parsed = parseYuan(text)
  return parsed.ok ? parsed.fen : null
}

/** Fen (≥ 0) as 万元 with two decimals, rounded half up, no separators (as the manuals print it): "2.50". */
export function formatWan(fen: bigint): string {
  const hundredths = (fen + FEN_PER_WAN / 200n) / (FEN_PER_WAN / 100n)
  return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`
}

/** Fen (≥ 0) as yuan with thousands separators and two decimals: "25,000.00". */
export function formatYuan(fen: bigint): string {
  const yuan = String(fen / FEN_PER_YUAN).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${yuan}.${String(fen % FEN_PER_YUAN).padStart(2, '0')}`
}

// ---------------------------------------------------------------------------------------------
// Parsing (the server's `parse_scaled`, step for step)
// ---------------------------------------------------------------------------------------------

/**
 * Unicode White_Space, what Rust's `trim` removes. JS `trim` differs at the edges (it takes U+FEFF and leaves
 * U+0085), and the two sides must agree on what counts as empty.
 */
const SPACE = '\\t-\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000'
const LEADING_SPACE = new RegExp(`^[${SPACE}]+`)
const TRAILING_SPACE = new RegExp(`[${SPACE}]+$`)
const trimStart = (s: string) => s.replace(LEADING_SPACE, '')
const trimEnd = (s: string) => s.replace(TRAILING_SPACE, '')

/** Full-width ASCII (what Chinese input methods type in full-width mode) as half-width, trimmed. */
function foldWidth(s: string): string {
  const folded = s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ')
  return trimEnd(trimStart(folded))
}

/** The digits of an integer part, after checking any commas group by three; null when not that shape. */
function ungroup(intPart: string): string | null {
  if (!intPart.includes(',')) return /^[0-9]*$/.test(intPart) ? intPart : null
  return /^[0-9]{1,3}(,[0-9]{3})+$/.test(intPart) ? intPart.replace(/,/g, '') : null
}

/** `places` is how many decimals make one fen in the text's unit: 2 for yuan, 6 for 万元. */
function parseScaled(input: string, suffixes: readonly string[], places: number): MoneyParse {
  let s = foldWidth(input)
  if (s.startsWith('¥') || s.startsWith('￥')) s = trimStart(s.slice(1))
  for (const suffix of suffixes) {
    if (s.endsWith(suffix)) {
      s = trimEnd(s.slice(0, -suffix.length))
      break
    }
  }
  if (!s) return fail('money_empty')
  if (s.startsWith('-')) {
    // Negative only when what follows is otherwise a number, so "-abc" hears about the format instead.
    const rest = parseScaled(s.slice(1), [], places)
    if (rest.ok) return rest.fen === 0n ? rest : fail('money_negative')
    return rest.code === 'money_too_many_decimals' || rest.code === 'money_too_large' ? fail('money_negative') : rest
  }

  const dot = s.indexOf('.')
  const intPart = dot < 0 ? s : s.slice(0, dot)
  const fracPart = dot < 0 ? '' : s.slice(dot + 1)
  if (!intPart && !fracPart) return fail('money_format')
  const digits = ungroup(intPart)
  if (digits === null || !/^[0-9]*$/.test(fracPart)) return fail('money_format')
  // Trailing zeros past one fen are harmless ("12.500" 元); anything else would be a fraction of a fen.
  if (/[1-9]/.test(fracPart.slice(places))) return fail('money_too_many_decimals', places)

  const fen = BigInt(digits || '0') * 10n ** BigInt(places) + BigInt(fracPart.slice(0, places).padEnd(places, '0'))
  return fen > MAX_FEN ? fail('money_too_large') : { ok: true, fen }
}
