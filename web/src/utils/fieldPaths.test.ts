import { describe, expect, it } from 'vitest'
import { currentErrors, formFileIds, normalizeField, parsePath, problemMap, productIndex, scopedErrors, snapshotAt, valueAt } from './fieldPaths'

describe('field paths of nested forms', () => {
  it('reads the server names with or without a form prefix', () => {
    expect(normalizeField('form.products[0].name')).toBe('products[0].name')
    expect(normalizeField('lead_unit_id')).toBe('lead_unit_id')
    expect(parsePath('products[1].cases[2].contract_file_ids')).toEqual(['products', 1, 'cases', 2, 'contract_file_ids'])
    expect(parsePath('cases')).toEqual(['cases'])
  })

  it('finds values and the product a path belongs to', () => {
    const form = { products: [{ name: 'MES' }, { name: 'ERP', cases: [{ enterprise: '甲' }] }] }
    expect(valueAt(form, 'products[1].cases[0].enterprise')).toBe('甲')
    expect(valueAt(form, 'products[3].name')).toBeUndefined()
    expect(valueAt(form, 'products[0].name.x')).toBeUndefined()
    expect(productIndex('products[12].cases[0].enterprise')).toBe(12)
    expect(productIndex('form.products[2].name')).toBe(2)
    expect(productIndex('products')).toBeNull()
    expect(productIndex('lead_unit_id')).toBeNull()
  })

  it('maps problems by path, first message first', () => {
    expect(
      problemMap([
        { field: 'form.name', message: '请填写产品/服务名称' },
        { field: 'name', message: '重名产品正在申报中或已申报过，不需要重复申报' },
        { field: 'cases', message: '请提供不少于3个成功应用案例，当前为1个' },
      ]),
    ).toEqual({ name: '请填写产品/服务名称', cases: '请提供不少于3个成功应用案例，当前为1个' })
  })

  it('hands each product card its own errors without the prefix', () => {
    const errors = {
      lead_unit_id: '请选择数字化牵引单位',
      'products[0].name': '请填写产品/服务名称',
      'products[0].cases[1].enterprise': '请填写服务企业名称',
      'products[1].price_max': '最高报价不能低于最低报价',
      'products[10].name': '重名',
    }
    expect(scopedErrors(errors, 'products[0].')).toEqual({ name: '请填写产品/服务名称', 'cases[1].enterprise': '请填写服务企业名称' })
    expect(scopedErrors(errors, 'products[1].')).toEqual({ price_max: '最高报价不能低于最低报价' })
    expect(Object.keys(scopedErrors(errors, ''))).toHaveLength(5)
  })

  it('keeps a server error only while its field holds the refused value', () => {
    const sent = { products: [{ name: 'MES' }] }
    const errors = { 'products[0].name': '重名产品正在申报中或已申报过，不需要重复申报', nature: '请选择公司性质' }
    const snaps = { 'products[0].name': snapshotAt(sent, 'products[0].name'), nature: snapshotAt(sent, 'nature') }
    expect(currentErrors(errors, snaps, sent)).toEqual(errors)
    expect(currentErrors(errors, snaps, { products: [{ name: 'MES 2' }] })).toEqual({ nature: '请选择公司性质' })
    expect(currentErrors(errors, snaps, { products: [{ name: 'MES' }], nature: '民营' })).toEqual({ 'products[0].name': errors['products[0].name'] })
  })

  it('collects every file id a form names, at any depth, once', () => {
    const form = {
      logo_file_ids: ['a'],
      license_file_ids: ['b', 'a'],
      note: 'x',
      products: [{ ip_proof_file_ids: ['c'], cases: [{ contract_file_ids: ['d', ''] }] }],
    }
    expect(formFileIds(form)).toEqual(['a', 'b', 'c', 'd'])
    expect(formFileIds(null)).toEqual([])
  })
})
