import { describe, expect, it } from 'vitest'
import { FEN_PER_WAN, MAX_FEN, fenFromYuan, formatWan, formatYuan, parseWan, parseYuan, type MoneyParse } from './money'

function fen(p: MoneyParse): bigint {
  if (!p.ok) throw new Error(`expected an amount, got ${p.code}`)
  return p.fen
}
const yuan = (s: string) => fen(parseYuan(s))
const wan = (s: string) => fen(parseWan(s))
const yuanError = (s: string) => {
  const p = parseYuan(s)
  return p.ok ? 'ok' : p.code
}

/** A seeded generator (mulberry32), so a failing case comes back on every run. */
function random(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    int: (n: number) => Math.floor(next() * n),
    /** An amount in fen up to `max`, of any number of digits (small amounts as likely as huge ones). */
    fen(max: bigint = MAX_FEN): bigint {
      const digits = 1 + Math.floor(next() * String(max).length)
      let n = 0n
      for (let i = 0; i < digits; i++) n = n * 10n + BigInt(Math.floor(next() * 10))
      return n > max ? n % (max + 1n) : n
    },
  }
}

/** Fen as exact 万元 text with all six decimals. */
const exactWan = (n: bigint) => `${n / FEN_PER_WAN}.${String(n % FEN_PER_WAN).padStart(6, '0')}`

describe('parsing amounts (the server’s rules)', () => {
  it('reads yuan as users type it', () => {
    expect(yuan('12')).toBe(1200n)
    expect(yuan('12.5')).toBe(1250n)
    expect(yuan('12.05')).toBe(1205n)
    expect(yuan('0.01')).toBe(1n)
    expect(yuan('.5')).toBe(50n)
    expect(yuan('5.')).toBe(500n)
    expect(yuan('1,234.56')).toBe(123_456n)
    expect(yuan('1,234,567')).toBe(123_456_700n)
    expect(yuan('12.500')).toBe(1250n)
    expect(yuan(' ¥1,234.56 ')).toBe(123_456n)
    expect(yuan('￥ 100')).toBe(10_000n)
    expect(yuan('100元')).toBe(10_000n)
    expect(yuan('１，２３４．５６')).toBe(123_456n)
    expect(yuan('007')).toBe(700n)
    expect(yuan('0')).toBe(0n)
    expect(yuan('-0')).toBe(0n)
  })

  it('reads 万元 to the fen', () => {
    expect(wan('1')).toBe(1_000_000n)
    expect(wan('2.5')).toBe(2_500_000n)
    expect(wan('12.3456')).toBe(12_345_600n)
    expect(wan('12.345678')).toBe(12_345_678n)
    expect(wan('0.000001')).toBe(1n)
    expect(wan('1,200.5万元')).toBe(1_200_500_000n)
    expect(wan('3万')).toBe(3_000_000n)
    expect(wan('3 万元')).toBe(3_000_000n)
    expect(wan('\u3000１８\u3000')).toBe(18_000_000n)
  })

  it('refuses what is not an amount, saying why', () => {
    for (const s of ['', ' ¥ ', '元', '-']) expect(yuanError(s)).toBe('money_empty')
    for (const s of ['abc', '.', '1.2.3', '12,34', '1234,567', ',123', '1,234.5,6', '1e5', '+5', '12万', '1 000', '-abc', 'NaN', 'Infinity', '0x10']) {
      expect(yuanError(s), s).toBe('money_format')
    }
    expect(yuanError('-5')).toBe('money_negative')
    expect(yuanError('-1,234.56')).toBe('money_negative')
    expect(yuanError('-12.345')).toBe('money_negative')
    expect(yuanError('12.345')).toBe('money_too_many_decimals')
    expect(yuanError('99999999999999999999')).toBe('money_too_large')
    expect(yuanError('90071992547409.92')).toBe('money_too_large')
    expect(yuan('90071992547409.91')).toBe(MAX_FEN)
    expect(parseWan('1.0000001')).toMatchObject({ ok: false, code: 'money_too_many_decimals' })
    expect(parseWan('1.0000000')).toEqual({ ok: true, fen: 1_000_000n })
  })

  it('words the errors as the server does', () => {
    const message = (p: MoneyParse) => (p.ok ? '' : p.message)
    expect(message(parseWan(''))).toBe('请输入金额')
    expect(message(parseWan('2.5.1'))).toBe('金额格式不正确，请输入数字，如“1,234.56”')
    expect(message(parseWan('-3'))).toBe('金额不能为负数')
    expect(message(parseWan('1.2345678'))).toBe('金额最多保留6位小数（精确到分）')
    expect(message(parseYuan('1.234'))).toBe('金额最多保留2位小数（精确到分）')
    expect(message(parseWan('9999999999999'))).toBe('金额超出允许范围')
  })

  it('reads the API’s yuan strings, and nothing else', () => {
    expect(fenFromYuan('25000.00')).toBe(2_500_000n)
    expect(fenFromYuan('0.07')).toBe(7n)
    expect(fenFromYuan(null)).toBeNull()
    expect(fenFromYuan(undefined)).toBeNull()
    expect(fenFromYuan('abc')).toBeNull()
    expect(fenFromYuan('-1.00')).toBeNull()
  })
})

describe('showing amounts', () => {
  it('shows yuan with thousands separators', () => {
    expect(formatYuan(12_345_678n)).toBe('123,456.78')
    expect(formatYuan(0n)).toBe('0.00')
    expect(formatYuan(5n)).toBe('0.05')
    expect(formatYuan(100_000n)).toBe('1,000.00')
    expect(formatYuan(99_999n)).toBe('999.99')
    expect(formatYuan(2_500_000n)).toBe('25,000.00')
    expect(formatYuan(MAX_FEN)).toBe('90,071,992,547,409.91')
  })

  it('shows 万元 with two decimals, rounding half up', () => {
    expect(formatWan(2_500_000n)).toBe('2.50')
    expect(formatWan(12_345_678n)).toBe('12.35')
    expect(formatWan(12_345_000n)).toBe('12.35')
    expect(formatWan(12_344_999n)).toBe('12.34')
    expect(formatWan(0n)).toBe('0.00')
    expect(formatWan(4_999n)).toBe('0.00')
    expect(formatWan(5_000n)).toBe('0.01')
    expect(formatWan(99_995_000n)).toBe('100.00')
    expect(formatWan(MAX_FEN)).toBe('9007199254.74')
  })
})

describe('exactness (property style, seeded)', () => {
  it('adds 0.1 and 0.2 to exactly 0.3', () => {
    expect(0.1 + 0.2).not.toBe(0.3) // what floats do
    expect(wan('0.1') + wan('0.2')).toBe(wan('0.3'))
    expect(yuan('0.1') + yuan('0.2')).toBe(yuan('0.3'))
    expect(formatYuan(yuan('0.1') + yuan('0.2'))).toBe('0.30')
  })

  it('reads back every amount it shows, to the fen', () => {
    const r = random(12)
    for (let i = 0; i < 5000; i++) {
      const n = r.fen()
      expect(yuan(formatYuan(n))).toBe(n)
      // The API's form: plain yuan with two decimals.
      const api = `${n / 100n}.${String(n % 100n).padStart(2, '0')}`
      expect(fenFromYuan(api)).toBe(n)
      expect(wan(exactWan(n))).toBe(n)
    }
  })

  it('shows 万元 within half a hundredth of the amount', () => {
    const r = random(34)
    // Below MAX: rounding up at the very top gives an amount past the limit (covered above).
    for (let i = 0; i < 5000; i++) {
      const n = r.fen(MAX_FEN - 10_000n)
      const diff = wan(formatWan(n)) - n
      expect(diff > -5_000n && diff <= 5_000n, `n=${n}`).toBe(true)
    }
  })

  it('sums many amounts exactly, where the same amounts as floats of yuan drift', () => {
    const r = random(56)
    let drifted = 0
    for (let trial = 0; trial < 300; trial++) {
      const amounts = Array.from({ length: 1 + r.int(200) }, () => r.int(100_000_000))
      const exact = amounts.reduce((a, b) => a + b, 0) // integer fen: exact well below 2^53
      const texts = amounts.map((a) => formatYuan(BigInt(a)))
      const sum = texts.reduce((a, t) => a + yuan(t), 0n)
      expect(sum).toBe(BigInt(exact))
      expect(yuan(formatYuan(sum))).toBe(sum)
      const floats = texts.reduce((a, t) => a + Number(t.replace(/,/g, '')), 0)
      if (floats * 100 !== exact) drifted++
    }
    expect(drifted).toBeGreaterThan(0)
  })

  it('never throws on arbitrary text', () => {
    const r = random(78)
    const alphabet = ['0', '1', '5', '9', ',', '.', '-', '+', ' ', '万', '元', '¥', '￥', '１', '．', '，', '\u3000', 'e', 'a', '𠀀']
    for (let i = 0; i < 3000; i++) {
      const s = Array.from({ length: r.int(16) }, () => alphabet[r.int(alphabet.length)]).join('')
      const p = parseWan(s)
      if (p.ok) expect(p.fen >= 0n && p.fen <= MAX_FEN).toBe(true)
      else expect(p.message).not.toBe('')
      expect(() => parseYuan(s)).not.toThrow()
    }
  })
})
