import { describe, expect, it } from 'vitest'
import { caseKind, caseKindOptions, caseKinds, registerCaseKind } from './kinds'

// The kinds the capabilities register at startup (main.ts imports the same three).
import '@/views/orgs/kinds'
import '@/views/providers/kinds'
import '@/views/products/kinds'

describe('the case kind registry', () => {
  it('holds the kinds each capability registered, in order', () => {
    expect(caseKinds().map((k) => k.key)).toEqual(['provider_certification', 'info_change', 'alliance_join', 'product_entry'])
    expect(caseKind('filing')).toBeUndefined()
  })

  it('knows where the owner edits each kind', () => {
    expect(caseKind('info_change')?.editComponent).toBeDefined()
    expect(caseKind('provider_certification')?.editComponent).toBe(caseKind('info_change')?.editComponent)
    expect(caseKind('info_change')?.editPath).toBeUndefined()
    expect(caseKind('alliance_join')?.editPath?.('c1')).toBe('/workbench/provider-applications/c1/edit')
    expect(caseKind('product_entry')?.editPath?.('c 2')).toBe('/workbench/products/c%202/edit')
    expect(caseKind('product_entry')?.editComponent).toBeUndefined()
  })

  it('offers the registered kinds and every kind the server mentioned', () => {
    const opts = caseKindOptions([
      { kind: 'filing', kind_name: '项目备案' },
      { kind: 'info_change', kind_name: '企业信息变更' },
      { kind: 'filing', kind_name: '项目备案' },
    ])
    expect(opts.map((o) => o.value)).toEqual(['provider_certification', 'info_change', 'alliance_join', 'product_entry', 'filing'])
    expect(opts.find((o) => o.value === 'info_change')!.label).toBe('企业信息变更')
    // The registry is not changed by a call.
    expect(caseKind('info_change')!.label).toBe('信息变更')
  })

  it('replaces a kind registered again', () => {
    registerCaseKind({ key: 'product_entry', label: '产品申报' })
    expect(caseKinds().map((k) => k.key)).toEqual(['provider_certification', 'info_change', 'alliance_join', 'product_entry'])
    expect(caseKind('product_entry')!.label).toBe('产品申报')
  })
})
