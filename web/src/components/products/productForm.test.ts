import { describe, expect, it } from 'vitest'
import {
  emptyProduct,
  fileNames,
  priceProblems,
  productFieldLabel,
  productFiles,
  readProduct,
  validateProduct,
  writeProduct,
} from './productForm'
import { productJson } from './productForm.fixture'

describe('product form ↔ JSON', () => {
  it('starts empty with the three cases the form asks for', () => {
    const p = emptyProduct()
    expect(p.cases).toHaveLength(3)
    expect(p.price_min).toBeNull()
    expect(writeProduct(p).cases).toEqual([
      { enterprise: '', contract_file_ids: [] },
      { enterprise: '', contract_file_ids: [] },
      { enterprise: '', contract_file_ids: [] },
    ])
  })

  it('round-trips the contract shape and names files it knows', () => {
    const json = productJson()
    const names = fileNames([{ id: 'f1', name: '甲合同.pdf', size: 1200 }])
    const v = readProduct(json, names)
    expect(v.cases[0]!.contracts[0]).toMatchObject({ id: 'f1', name: '甲合同.pdf', size: 1200, purpose: 'credential' })
    expect(v.cases[1]!.contracts[0]).toMatchObject({ id: 'f2', name: '已上传的文件' })
    expect(writeProduct(v)).toEqual(json)
    expect(productFiles(v).map((f) => f.id)).toEqual(['f1', 'f2', 'f3'])
  })

  it('reads numbers kept as text and drops mistyped values', () => {
    const v = readProduct({ price_min: ' 1.5 ', price_max: 'abc', discount_rate: 12, categories: ['MES', 3], cases: 'x', industry_code: '' })
    expect(v.price_min).toBe(1.5)
    expect(v.price_max).toBeNull()
    expect(v.discount_rate).toBe(12)
    expect(v.categories).toEqual(['MES'])
    expect(v.cases).toEqual([])
    expect(v.industry_code).toBeNull()
    expect(readProduct(null).name).toBe('')
  })

  it('trims text and keeps 其他 and 获奖说明 only while they apply', () => {
    const v = readProduct({ ...productJson(), name: '  智能 MES ', category_other: '数字孪生', award_note: '省级奖' })
    expect(writeProduct(v)).toMatchObject({ name: '智能 MES', category_other: '', award_note: '' })
    v.categories.push('其他')
    v.awards = '省部级'
    expect(writeProduct(v)).toMatchObject({ category_other: '数字孪生', award_note: '省级奖' })
  })
})

describe('product checks (as the server makes them on submit)', () => {
  it('passes a complete product', () => {
    expect(validateProduct(readProduct(productJson()))).toEqual([])
  })

  it('names each problem by field, with the prefix of its product', () => {
    const v = readProduct({
      ...productJson(''),
      price_min: 30,
      cases: [{ enterprise: '甲', contract_file_ids: [] }],
      categories: ['其他'],
      discount_rate: 120,
    })
    const fields = validateProduct(v, 'products[0].').map((p) => p.field)
    expect(fields).toEqual([
      'products[0].name',
      'products[0].category_other',
      'products[0].price_max',
      'products[0].discount_rate',
      'products[0].cases',
      'products[0].cases[0].contract_file_ids',
    ])
  })

  it('asks for at least three cases, each with an enterprise and a contract', () => {
    const v = readProduct(productJson())
    v.cases.pop()
    v.cases[0]!.enterprise = '  '
    const problems = validateProduct(v)
    expect(problems).toContainEqual({ field: 'cases', message: '请提供不少于3个成功应用案例，当前为2个' })
    expect(problems).toContainEqual({ field: 'cases[0].enterprise', message: '请填写服务企业名称' })
  })

  it('checks the price range and the text limits', () => {
    expect(priceProblems(null, null).map((p) => p.message)).toEqual(['请填写最低报价（万元）', '请填写最高报价（万元）'])
    expect(priceProblems(10, 5)).toEqual([{ field: 'price_max', message: '最高报价不能低于最低报价' }])
    expect(priceProblems(5, 5)).toEqual([])
    expect(priceProblems(-1, 200000).map((p) => p.field)).toEqual(['price_min', 'price_max'])
    const v = readProduct(productJson())
    v.other_note = '字'.repeat(1001)
    v.description = '𠀀'.repeat(2000) // counted as characters, not UTF-16 units
    expect(validateProduct(v)).toEqual([{ field: 'other_note', message: '其他需要说明的情况不能超过1000个字，当前为1001个字' }])
  })

  it('labels paths for the summary', () => {
    expect(productFieldLabel('price_max')).toBe('最高报价')
    expect(productFieldLabel('cases[1].contract_file_ids')).toBe('服务案例2 · 合同等证明材料')
    expect(productFieldLabel('cases[0].enterprise')).toBe('服务案例1 · 服务企业名称')
    expect(productFieldLabel('unknown')).toBe('unknown')
  })
})
