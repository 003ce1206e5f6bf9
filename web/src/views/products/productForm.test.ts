import { describe, expect, it } from 'vitest'
import {
  emptyProduct,
  priceProblems,
  productFieldLabel,
  productFiles,
  readProduct,
  validateProduct,
  writeProduct,
} from './productForm'
import { productJson } from './productForm.fixture'
import { fileNames } from '@/utils/localDraft'

describe('product form ↔ JSON', () => {
  it('starts empty with the three cases the form asks for', () => {
    const p = emptyProduct()
    expect(p.cases).toHaveLength(3)
    expect(p.price_min).toBe('')
    expect(writeProduct(p)).toMatchObject({ price_min: '', price_max: '' })
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
    const v = readProduct({ discount_rate: '12', categories: ['MES', 3], cases: 'x', industry_code: '' })
    expect(v.discount_rate).toBe(12)
    expect(v.categories).toEqual(['MES'])
    expect(v.cases).toEqual([])
    expect(v.industry_code).toBeNull()
    expect(readProduct(null).name).toBe('')
  })

  it('keeps prices as the text typed, and sends them trimmed', () => {
    const v = readProduct({ ...productJson(), price_min: ' 2.5 ', price_max: '12.345678' })
    expect([v.price_min, v.price_max]).toEqual([' 2.5 ', '12.345678'])
    expect(writeProduct(v)).toMatchObject({ price_min: '2.5', price_max: '12.345678' })
    // Not an amount: kept, so the user sees what to fix (the check says why).
    expect(readProduct({ price_min: 'abc' }).price_min).toBe('abc')
    expect(readProduct({ price_min: null, price_max: {} })).toMatchObject({ price_min: '', price_max: '' })
  })

  it('reads an older draft’s numbers as their decimal text', () => {
    const v = readProduct({ ...productJson(), price_min: 2.5, price_max: 18 })
    expect([v.price_min, v.price_max]).toEqual(['2.5', '18'])
    expect(writeProduct(v)).toMatchObject({ price_min: '2.5', price_max: '18' })
    expect(validateProduct(v)).toEqual([])
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
      price_min: '30',
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

  it('checks the price range as exact amounts', () => {
    expect(priceProblems('', ' ').map((p) => p.message)).toEqual(['请填写最低报价（万元）', '请填写最高报价（万元）'])
    expect(priceProblems('10', '5')).toEqual([{ field: 'price_max', message: '最高报价不能低于最低报价' }])
    expect(priceProblems('5', '5.000000')).toEqual([])
    // Compared as fen: one fen apart is apart, and "18" is above "2.5" (not below, as text would sort).
    expect(priceProblems('12.345678', '12.345677')).toEqual([{ field: 'price_max', message: '最高报价不能低于最低报价' }])
    expect(priceProblems('2.5', '18')).toEqual([])
    expect(priceProblems('1,000万元', '１２００')).toEqual([])
    expect(priceProblems('0', '100000')).toEqual([])
    expect(priceProblems('0', '100000.000001', 'products[0].')).toEqual([
      { field: 'products[0].price_max', message: '最高报价应在0至100000万元之间' },
    ])
  })

  it('says why a price is not an amount, in the server’s words', () => {
    const messages = (min: string) => priceProblems(min, '20').map((p) => p.message)
    expect(messages('-1')).toEqual(['最低报价：金额不能为负数'])
    expect(messages('2.5.1')).toEqual(['最低报价：金额格式不正确，请输入数字，如“1,234.56”'])
    expect(messages('12,34')).toEqual(['最低报价：金额格式不正确，请输入数字，如“1,234.56”'])
    expect(messages('1.2345678')).toEqual(['最低报价：金额最多保留6位小数（精确到分）'])
    expect(messages('99999999999999')).toEqual(['最低报价：金额超出允许范围'])
    expect(messages('200000')).toEqual(['最低报价应在0至100000万元之间'])
  })

  it('limits text by characters', () => {
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
