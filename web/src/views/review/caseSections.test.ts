import { describe, expect, it } from 'vitest'
import { groupFields, isFileField, sectionId } from './caseSections'

const row = (key: string, label: string, value = '') => ({ key, label, value })

describe('groupFields', () => {
  const fields = [
    row('application', '申报类型', '首次申报'),
    row('company_name', '单位名称', '江门市某某科技有限公司'),
    row('introduction', '服务商简介', '专注制造业'),
    row('products[0].name', '产品1·产品/服务名称', '智能排产系统'),
    row('products[0].industry_code', '产品1·所属行业', 'C'),
    row('products[1].name', '产品2·产品/服务名称', '设备联网平台'),
    row('surprise', '新增字段', '值'),
  ]
  const spec = [
    { title: '基本信息', keys: ['application', 'company_name'] },
    { title: '数字化转型服务能力', keys: ['introduction', 'product_count'] },
    { title: '产品信息', collection: 'products' },
  ]

  it('puts the rows in the sections the kind names, in its order, with anchor ids', () => {
    const s = groupFields(fields, spec)
    expect(s.map((x) => x.title)).toEqual(['基本信息', '数字化转型服务能力', '产品信息', '其他信息'])
    expect(s.map((x) => x.id)).toEqual([sectionId(0), sectionId(1), sectionId(2), sectionId(3)])
    expect(s[0]!.rows.map((r) => r.key)).toEqual(['application', 'company_name'])
    expect(s[3]!.rows.map((r) => r.key)).toEqual(['surprise'])
  })

  it('makes each product a card of its own, named, with the 产品N· prefix taken off its labels', () => {
    const products = groupFields(fields, spec)[2]!
    expect(products.rows).toEqual([])
    expect(products.items.map((i) => [i.key, i.title, i.name])).toEqual([
      ['products[0]', '产品1', '智能排产系统'],
      ['products[1]', '产品2', '设备联网平台'],
    ])
    expect(products.items[0]!.rows).toEqual([
      row('products[0].name', '产品/服务名称', '智能排产系统'),
      row('products[0].industry_code', '所属行业', 'C'),
    ])
  })

  it('without a spec: one 申请内容 section, and repeated parts named after their items', () => {
    const s = groupFields(fields)
    expect(s.map((x) => x.title)).toEqual(['申请内容', '产品信息'])
    expect(s[0]!.rows).toHaveLength(4)
    expect(s[1]!.items).toHaveLength(2)
  })

  it('leaves out empty sections and numbers the anchors of those shown', () => {
    const s = groupFields([row('introduction', '服务商简介', 'x')], spec)
    expect(s).toEqual([{ id: sectionId(0), title: '数字化转型服务能力', rows: [row('introduction', '服务商简介', 'x')], items: [] }])
  })
})

describe('isFileField', () => {
  it('knows file fields at the top and inside items', () => {
    expect(isFileField('license_file_ids')).toBe(true)
    expect(isFileField('products[0].ip_proof_file_ids')).toBe(true)
    expect(isFileField('product_count')).toBe(false)
  })
})
