import { describe, expect, it } from 'vitest'
import { emptyProductEntry, productEntryFieldLabel, readProductEntry, validateProductEntry, writeProductEntry } from './productEntryForm'

describe('product application form', () => {
  it('adds the reviewing lead unit to the product and keeps what the server filled in', () => {
    const base = { provider_name: '某服务商', lead_unit_name: '牵引单位1', lead_unit_id: 'u1', name: 'ERP' }
    const v = readProductEntry(base)
    expect(v.lead_unit_id).toBe('u1')
    expect(writeProductEntry(v, base)).toMatchObject({ provider_name: '某服务商', lead_unit_name: '牵引单位1', lead_unit_id: 'u1', name: 'ERP' })
  })

  it('asks for the lead unit with the product fields', () => {
    const fields = validateProductEntry(emptyProductEntry()).map((p) => p.field)
    expect(fields).toContain('name')
    expect(fields).toContain('cases[0].enterprise')
    expect(fields[fields.length - 1]).toBe('lead_unit_id')
    expect(productEntryFieldLabel('lead_unit_id')).toBe('审核数字化牵引单位')
  })
})
