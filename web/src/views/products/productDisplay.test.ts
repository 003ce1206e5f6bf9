import { describe, expect, it } from 'vitest'
import { excerpt, industryText, memberProducts, priceRange } from './productDisplay'

describe('product display', () => {
  it('shows the API’s yuan amounts as 万元 with two decimals', () => {
    expect(priceRange('25000.00', '180000.00')).toBe('2.50 - 18.00 万元')
    expect(priceRange('30000.00', '30000.00')).toBe('3.00 万元')
    expect(priceRange('30000.00', null)).toBe('3.00 万元起')
    expect(priceRange(null, '80000.00')).toBe('8.00 万元以内')
    expect(priceRange(undefined, null)).toBe('面议')
    expect(priceRange('not money', '')).toBe('面议')
  })

  it('rounds half up to the hundredth of 万元, exactly', () => {
    // 10,050 元 is 1.005 万元: half up gives 1.01, where (1.005).toFixed(2) on a float gives 1.00.
    expect(priceRange('10050.00', null)).toBe('1.01 万元起')
    expect(priceRange('123456.78', null)).toBe('12.35 万元起')
    expect(priceRange('49.99', '100.49')).toBe('0.00 - 0.01 万元')
    expect(priceRange(null, '1000000000.00')).toBe('100000.00 万元以内')
  })

  it('cuts descriptions by characters', () => {
    expect(excerpt('生产\n执行   系统', 80)).toBe('生产 执行 系统')
    expect(excerpt('一二三四五', 3)).toBe('一二三…')
    expect(excerpt(null)).toBe('')
  })

  it('counts the products of a member', () => {
    expect(memberProducts(2)).toBe('2 个')
    expect(memberProducts(null)).toBe('—')
  })

  it('names industries', () => {
    expect(industryText('C', '制造业')).toBe('C 制造业')
    expect(industryText('C', null)).toBe('C')
    expect(industryText(null, null)).toBe('—')
  })
})
