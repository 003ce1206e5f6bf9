import { describe, expect, it } from 'vitest'
import {
  clearLocalEdit,
  fieldLabels,
  isDirty,
  isEditableKind,
  localEditKey,
  readLocalEdit,
  readValues,
  writeLocalEdit,
  writeValues,
} from './caseForms'

function memoryStore() {
  const m = new Map<string, string>()
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    size: () => m.size,
  }
}

describe('the owner edit form', () => {
  it('knows which kinds it edits and their labels', () => {
    expect(isEditableKind('info_change')).toBe(true)
    expect(isEditableKind('provider_certification')).toBe(true)
    expect(isEditableKind('filing')).toBe(false)
    expect(fieldLabels('provider_certification')).toEqual({
      service_scopes: '服务范围',
      introduction: '企业简介',
      contact_name: '联系人',
      contact_phone: '联系电话',
    })
    expect(Object.keys(fieldLabels('info_change'))).toEqual(['name', 'uscc', 'region_code', 'contact_name', 'contact_phone'])
  })

  it('reads the raw form, tolerating missing and mistyped keys', () => {
    const v = readValues({ service_scopes: ['a', 3, 'b'], introduction: 5, contact_name: null })
    expect(v.service_scopes).toEqual(['a', 'b'])
    expect(v.introduction).toBe('5')
    expect(v.contact_name).toBe('')
    expect(v.region_code).toBeNull()
    expect(readValues(null).name).toBe('')
  })

  it('writes only its own fields back, keeping the rest of the form', () => {
    const form = { name: '旧名称', uscc: 'x', sub_industry: '灯具制造', attachment_ids: ['f1'] }
    const values = { ...readValues(form), name: ' 新名称 ', uscc: '91440300ma5fxxxx1a', region_code: '440703', region_name: '蓬江区' }
    const out = writeValues('info_change', form, values)
    expect(out).toMatchObject({
      name: '新名称',
      uscc: '91440300MA5FXXXX1A',
      region_code: '440703',
      region_name: '蓬江区',
      sub_industry: '灯具制造',
      attachment_ids: ['f1'],
    })
    expect('introduction' in out).toBe(false)
    expect(form.name).toBe('旧名称')
    expect(writeValues('info_change', form, { ...values, region_code: null })).toMatchObject({ region_code: null, region_name: '' })
    // A certification keeps the region it registered with.
    const cert = { company_name: '某公司', region_code: '441302', region_name: '惠城区', introduction: '旧' }
    expect(writeValues('provider_certification', cert, { ...readValues(cert), introduction: ' 新 ' })).toEqual({ ...cert, introduction: '新', service_scopes: [], contact_name: '', contact_phone: '' })
  })

  it('is dirty only when one of its fields changed', () => {
    const form = { service_scopes: ['a'], introduction: '简介', contact_name: '张三', contact_phone: '13800000000', other: 1 }
    const values = readValues(form)
    expect(isDirty('provider_certification', form, values)).toBe(false)
    expect(isDirty('provider_certification', form, { ...values, name: 'not a field of this kind' })).toBe(false)
    expect(isDirty('provider_certification', form, { ...values, introduction: '新简介' })).toBe(true)
    expect(isDirty('provider_certification', form, { ...values, service_scopes: ['a', 'b'] })).toBe(true)
  })

  it('keeps unsaved edits per user and case until cleared', () => {
    const store = memoryStore()
    const values = { ...readValues({}), introduction: '尚未保存的简介' }
    const mine = localEditKey('u1', 'c1')
    expect(readLocalEdit(store, mine)).toBeNull()
    writeLocalEdit(store, mine, { version: 3, saved_at: '2026-11-22T01:02:03Z', values })
    const back = readLocalEdit(store, mine)
    expect(back).toEqual({ version: 3, saved_at: '2026-11-22T01:02:03Z', values })
    expect(readLocalEdit(store, localEditKey('u1', 'c2'))).toBeNull()
    expect(readLocalEdit(store, localEditKey('u2', 'c1')), 'another user of the browser').toBeNull()
    clearLocalEdit(store, mine)
    expect(store.size()).toBe(0)
    store.setItem(localEditKey('u1', 'c3'), '{not json')
    expect(readLocalEdit(store, localEditKey('u1', 'c3'))).toBeNull()
  })
})
