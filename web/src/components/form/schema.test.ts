import { describe, expect, it } from 'vitest'
import { checkedAdd, formatDecimal, parseDecimal } from './decimal'
import { sampleSchema, validValues } from './sampleSchema'
import infoChangeForm from '../../../../data/forms/info_change.json'
import {
  FILE_TYPES,
  REFERENCE_SOURCES,
  companyTargets,
  computedSum,
  displayValue,
  emptySchema,
  findField,
  isVisible,
  kindLabel,
  sumsMoney,
  validKey,
  type Field,
  type FormValues,
} from './schema'

const schema = sampleSchema()
const field = (key: string): Field => findField(schema, key)!

// The cases of crates/core/src/form/tests.rs and number.rs, so the page and the server read values alike.

describe('decimals (Rust form::Decimal)', () => {
  const text = (s: string, places: number) => {
    const d = parseDecimal(s, places)
    return d.ok ? formatDecimal(d.micros) : d.error
  }

  it('parses exactly', () => {
    expect(text('12', 0)).toBe('12')
    expect(text(' -3.50 ', 1)).toBe('-3.5')
    expect(text('１２．５', 2)).toBe('12.5')
    expect(text('.5', 1)).toBe('0.5')
    expect(text('+7', 0)).toBe('7')
    const a = parseDecimal('0.1', 1)
    const b = parseDecimal('0.2', 1)
    expect(a.ok && b.ok && formatDecimal(checkedAdd(a.micros, b.micros)!)).toBe('0.3')
  })

  it('refuses what the server refuses', () => {
    expect(parseDecimal('1.25', 1)).toEqual({ ok: false, error: 'too_many_places', places: 1 })
    expect(text('1.', 2)).toBe('format')
    expect(text('', 2)).toBe('format')
    expect(text('1e3', 2)).toBe('format')
    expect(text('1,000', 2)).toBe('format')
    expect(text('-+1', 2)).toBe('format')
    expect(text('1'.repeat(19), 0)).toBe('too_large')
    expect(text(`000${'1'.repeat(18)}`, 0)).toBe('1'.repeat(18))
    expect(text('2.50', 1)).toBe('2.5')
  })
})

describe('isVisible (Rust is_visible)', () => {
  it('shows a conditional field only while its condition holds, keeping nothing from the value', () => {
    const patents = field('patents')
    expect(isVisible(schema, {}, patents)).toBe(false)
    expect(isVisible(schema, { has_patents: false, patents: '3' }, patents)).toBe(false)
    expect(isVisible(schema, { has_patents: true }, patents)).toBe(true)
    expect(isVisible(schema, { has_patents: 'true' }, patents)).toBe(false)
    expect(isVisible(schema, {}, field('staff'))).toBe(true)
  })

  it('follows the chain: a field whose condition names a hidden field is hidden', () => {
    const s = emptySchema()
    s.sections[0]!.fields = [
      { key: 'a', label: 'A', type: 'yes_no' },
      { key: 'b', label: 'B', type: 'choice', options: ['甲', '乙'], when: { field: 'a', equals: true } },
      { key: 'c', label: 'C', type: 'text', when: { field: 'b', equals: '乙' } },
    ]
    const c = s.sections[0]!.fields[2]!
    expect(isVisible(s, { a: true, b: '乙' }, c)).toBe(true)
    expect(isVisible(s, { a: false, b: '乙' }, c)).toBe(false)
    expect(isVisible(s, { a: true, b: '甲' }, c)).toBe(false)
  })

  it('ends on schemas that were never checked (self, unknown, cycles)', () => {
    const s = emptySchema()
    s.sections[0]!.fields = [
      { key: 'a', label: 'A', type: 'yes_no', when: { field: 'a', equals: true } },
      { key: 'b', label: 'B', type: 'yes_no', when: { field: 'c', equals: true } },
      { key: 'c', label: 'C', type: 'yes_no', when: { field: 'b', equals: true } },
      { key: 'd', label: 'D', type: 'text', when: { field: 'zzz', equals: true } },
    ]
    const [a, b, , d] = s.sections[0]!.fields
    expect(isVisible(s, { a: true }, a!)).toBe(false)
    expect(isVisible(s, { b: true, c: true }, b!)).toBe(false)
    expect(isVisible(s, { zzz: true }, d!)).toBe(false)
  })
})

describe('computedSum (Rust computed_sum)', () => {
  it('sums 万元 exactly: 1200 + 1500.25 + 1800.000001 = 4500.250001', () => {
    const values = validValues()
    expect(computedSum(schema, values, { table: 'years', column: 'revenue' })).toBe('4500.250001')
    expect(computedSum(schema, values, { table: 'cases', column: 'amount' })).toBe('30')
    expect(sumsMoney(schema, { table: 'years', column: 'revenue' })).toBe(true)
  })

  it('sums numbers (JSON numbers read through their text), skipping empty and wrong cells', () => {
    const values = validValues()
    expect(computedSum(schema, values, { table: 'years', column: 'rd' })).toBe('42')
    const rows = { years: [{ rd: '1' }, { rd: 'x' }, { rd: '2.5' }, { rd: '' }, 'not a row', { rd: 3 }] }
    // 2.5 has more places than the column allows (0): the server's check names it; the sum leaves it out.
    expect(computedSum(schema, rows, { table: 'years', column: 'rd' })).toBe('4')
  })

  it('is 0 for an empty table, null for a missing or non-numeric column', () => {
    expect(computedSum(schema, {}, { table: 'cases', column: 'amount' })).toBe('0')
    expect(computedSum(schema, {}, { table: 'cases', column: 'client' })).toBeNull()
    expect(computedSum(schema, {}, { table: 'cases', column: 'nope' })).toBeNull()
    expect(computedSum(schema, {}, { table: 'staff', column: 'x' })).toBeNull()
  })

  it('never drifts like floats: many cents add up to the exact total', () => {
    let seed = 7n
    const rows = []
    let total = 0n
    for (let i = 0; i < 300; i++) {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) % (1n << 64n)
      const fen = seed % 10_000_000_000n
      total += fen
      rows.push({ revenue: `${fen / 1_000_000n}.${String(fen % 1_000_000n).padStart(6, '0')}` })
    }
    const want = formatDecimal(total)
    expect(computedSum(schema, { years: rows }, { table: 'years', column: 'revenue' })).toBe(want)
    // Where floats drift (0.1 + 0.2 = 0.30000000000000004), the sum does not.
    expect(computedSum(schema, { years: [{ revenue: '0.1' }, { revenue: '0.2' }] }, { table: 'years', column: 'revenue' })).toBe('0.3')
  })

  it('refuses a money sum past the largest amount', () => {
    const big = '9007199254.740991'
    expect(computedSum(schema, { years: [{ revenue: big }] }, { table: 'years', column: 'revenue' })).toBe(big)
    expect(computedSum(schema, { years: [{ revenue: big }, { revenue: '0.000001' }] }, { table: 'years', column: 'revenue' })).toBeNull()
  })
})

describe('displayValue (Rust display)', () => {
  const values: FormValues = { ...validValues(), revenue_total: '4500.250001' }
  const show = (key: string) => displayValue(field(key), values[key], values[`${key}_other`])

  it('reads as the reviewer sees it', () => {
    expect(show('domain')).toBe('其他（工业互联网平台）')
    expect(show('needs')).toBe('研发设计、其他（绿色低碳）')
    expect(show('has_patents')).toBe('是')
    expect(show('staff')).toBe('25 人')
    expect(show('patents')).toBe('6 项')
    expect(show('capital')).toBe('1500.5 万元')
    expect(show('period')).toBe('2024-01-01 至 2024-12-31')
    expect(show('license')).toBe('1个文件')
    expect(show('years')).toBe('3行')
    expect(show('note')).toBe('')
    expect(show('revenue_total')).toBe('4500.250001')
    const years = field('years')
    if (years.type !== 'table') throw new Error('years is a table')
    expect(displayValue(years.columns[0]!, '1500.25')).toBe('1500.25 万元')
  })

  it('is empty for nothing, and shows what it cannot read as typed', () => {
    expect(displayValue(field('staff'), null)).toBe('')
    expect(displayValue(field('staff'), undefined)).toBe('')
    expect(displayValue(field('staff'), '  ')).toBe('')
    expect(displayValue(field('has_patents'), false)).toBe('否')
    expect(displayValue(field('capital'), 'abc')).toBe('abc')
    expect(displayValue(field('capital'), '1,200.50万元')).toBe('1200.5 万元')
    expect(displayValue(field('ratio'), '3.50')).toBe('3.50 %')
    expect(displayValue(field('period'), { start: '', end: '' })).toBe('')
    expect(displayValue(field('domain'), '其他')).toBe('其他')
    expect(displayValue(field('license'), [])).toBe('')
    expect(displayValue(field('contact'), ' 张三 ')).toBe('张三')
  })
})

describe('constants and helpers', () => {
  it('mirror the server', () => {
    expect(REFERENCE_SOURCES.map((r) => r.source)).toContain('assessment.date')
    expect(REFERENCE_SOURCES).toHaveLength(13)
    expect(FILE_TYPES).toEqual(['pdf', 'jpg', 'jpeg', 'png', 'doc', 'docx', 'xls', 'xlsx', 'zip', 'rar', 'ofd'])
    expect(validKey('f1')).toBe(true)
    expect(validKey('A b')).toBe(false)
    expect(validKey('a'.repeat(41))).toBe(false)
    expect(kindLabel(field('needs'))).toBe('多选')
    expect(kindLabel(field('domain'))).toBe('单选')
    expect(emptySchema().sections).toHaveLength(1)
  })
})

describe('companyTargets', () => {
  it('sends a picked company to the form’s credit-code and region fields', () => {
    expect(companyTargets(infoChangeForm as never)).toEqual({ uscc: 'uscc', region: 'region_code' })
    expect(companyTargets({ title: '表', sections: [{ key: 's', title: '分组', fields: [] }] })).toEqual({ uscc: undefined, region: undefined })
  })
})
