import { describe, expect, it } from 'vitest'
import { readProduct } from '@/views/products/productForm'
import { fileNames } from '@/utils/localDraft'
import { productJson as product } from '@/views/products/productForm.fixture'
import {
  applicationFieldLabel,
  applicationFiles,
  applicationType,
  duplicateNames,
  emptyApplication,
  nameKey,
  readApplication,
  tabOf,
  tabsOf,
  validateApplication,
  writeApplication,
} from './applicationForm'

function application(extra: Record<string, unknown> = {}) {
  return {
    application: 'first',
    logo_file_ids: ['logo'],
    license_file_ids: ['l'],
    nature: '民营',
    credit_report_file_ids: [],
    lead_unit_id: 'u',
    cooperation_proof_file_ids: ['c'],
    product_count: 2,
    introduction: '简介',
    guarantee: '',
    team_list_file_ids: [],
    products: [product('MES')],
    ...extra,
  }
}

describe('application form ↔ JSON', () => {
  it('round-trips the contract shape and keeps what the server filled in', () => {
    const json = application()
    const base = { ...json, company_name: '江门市某公司', uscc: '91440700MA4U884', lead_unit_name: '牵引单位1' }
    const v = readApplication(base, fileNames([{ id: 'logo', name: 'logo.png', size: 5 }]))
    expect(v.logo[0]).toMatchObject({ name: 'logo.png', purpose: 'photo' })
    expect(writeApplication(v, base)).toEqual(base)
    expect(applicationFiles(v).map((f) => f.id)).toEqual(['logo', 'l', 'c', 'f1', 'f2', 'f3'])
  })

  it('sends prices as the 万元 text typed, also for an older draft that kept numbers', () => {
    const v = readApplication(application({ products: [{ ...product('MES'), price_min: 2.5, price_max: 18 }] }))
    expect(v.products[0]).toMatchObject({ price_min: '2.5', price_max: '18' })
    v.products[0]!.price_max = ' 18.5 '
    expect(writeApplication(v).products).toMatchObject([{ price_min: '2.5', price_max: '18.5' }])
  })

  it('starts a first application with one product and a repeat one with none', () => {
    expect(emptyApplication('first').products).toHaveLength(1)
    expect(emptyApplication('repeat').products).toEqual([])
    expect(readApplication(writeApplication(emptyApplication('first'))).products).toHaveLength(1)
  })

  it('reads the type as the server does and never sends products with a repeat', () => {
    expect(applicationType({ application: 'repeat' })).toBe('repeat')
    expect(applicationType({})).toBe('first')
    const v = readApplication(application({ application: 'repeat' }))
    expect(v.products).toEqual([])
    v.products.push(readProduct(product('MES')))
    expect(writeApplication(v).products).toEqual([])
  })
})

describe('application checks (as the server makes them on submit)', () => {
  it('passes a complete first application', () => {
    expect(validateApplication(readApplication(application()))).toEqual([])
  })

  it('needs a product in a first application, none in a repeat one', () => {
    const first = validateApplication(readApplication(application({ products: [] })))
    expect(first).toEqual([{ field: 'products', message: '服务商首次申报时，必须填写至少一款产品同时进行申报' }])
    expect(validateApplication(readApplication(application({ application: 'repeat', products: [] })))).toEqual([])
  })

  it('names every missing field of the first two tabs', () => {
    const v = emptyApplication('repeat')
    expect(validateApplication(v).map((p) => p.field)).toEqual([
      'license_file_ids',
      'nature',
      'lead_unit_id',
      'cooperation_proof_file_ids',
      'product_count',
      'introduction',
    ])
  })

  it('limits 服务商简介 and 服务实施保障 to 500 characters and the count to whole numbers', () => {
    const v = readApplication(application({ introduction: '长'.repeat(501), guarantee: '保'.repeat(501), product_count: 2.5 }))
    expect(validateApplication(v)).toEqual([
      { field: 'product_count', message: '产品/服务数量应为1至10000的整数' },
      { field: 'introduction', message: '服务商简介不能超过500个字，当前为501个字' },
      { field: 'guarantee', message: '服务实施保障不能超过500个字，当前为501个字' },
    ])
    expect(validateApplication(readApplication(application({ introduction: '长'.repeat(500) })))).toEqual([])
  })

  it('checks each product under its own path and refuses the same name twice', () => {
    const v = readApplication(application({ products: [product('MES'), { ...product(' m es '), price_min: '30' }] }))
    expect(validateApplication(v)).toEqual([
      { field: 'products[1].price_max', message: '最高报价不能低于最低报价' },
      { field: 'products[1].name', message: '与产品/服务1重名，请勿重复申报' },
    ])
    expect(nameKey(' 智能 MES ')).toBe(nameKey('智能mes'))
    expect(duplicateNames([readProduct(product('')), readProduct(product(''))])).toEqual([])
  })
})

describe('tabs and labels', () => {
  it('puts each field on its tab', () => {
    expect(tabOf('license_file_ids')).toBe('basic')
    expect(tabOf('lead_unit_id')).toBe('basic')
    expect(tabOf('introduction')).toBe('capability')
    expect(tabOf('team_list_file_ids')).toBe('capability')
    expect(tabOf('products')).toBe('products')
    expect(tabOf('products[2].cases[0].enterprise')).toBe('products')
    expect(tabsOf('first')).toEqual(['basic', 'capability', 'products'])
    expect(tabsOf('repeat')).toEqual(['basic', 'capability'])
  })

  it('labels nested paths for the summary', () => {
    expect(applicationFieldLabel('lead_unit_id')).toBe('数字化牵引单位名称')
    expect(applicationFieldLabel('products[0].name')).toBe('产品/服务1 · 产品/服务名称')
    expect(applicationFieldLabel('products[1].cases[2].contract_file_ids')).toBe('产品/服务2 · 服务案例3 · 合同等证明材料')
  })
})
