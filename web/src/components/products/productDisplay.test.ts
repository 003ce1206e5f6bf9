import { describe, expect, it } from 'vitest'
import { excerpt, formatWan, industryText, memberProducts, priceRange } from './productDisplay'

describe('product display', () => {
  it('shows prices in 万元 with two decimals', () => {
    expect(formatWan(1.5)).toBe('1.50')
    expect(priceRange(1.5, 10)).toBe('1.50 - 10.00 万元')
    expect(priceRange(3, 3)).toBe('3.00 万元')
    expect(priceRange(3, null)).toBe('3.00 万元起')
    expect(priceRange(null, 8)).toBe('8.00 万元以内')
    expect(priceRange(undefined, null)).toBe('面议')
  })

  it('cuts descriptions by characters', () => {
    expect(excerpt('生产\n执行   系统', 80)).toBe('生产 执行 系统')
    expect(excerpt('一二三四五', 3)).toBe('一二三…')
    expect(excerpt(null)).toBe('')
  })

  it('reads member products as a count or names', () => {
    expect(memberProducts(2)).toBe('2 个')
    expect(memberProducts(['MES', 'ERP'])).toBe('MES、ERP')
    expect(memberProducts([])).toBe('—')
    expect(memberProducts(null)).toBe('—')
  })

  it('names industries', () => {
    expect(industryText('C', '制造业')).toBe('C 制造业')
    expect(industryText('C', null)).toBe('C')
    expect(industryText(null, null)).toBe('—')
  })
})
