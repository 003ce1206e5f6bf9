import { describe, expect, it } from 'vitest'
import { canContinue, canResubmit, editPath } from './listRules'

describe('list rows of applications and products', () => {
  it('offers 继续填写 on drafts the owner may still submit, 重新提交 on returned ones', () => {
    expect(canContinue({ status: 'draft', actions: ['save_draft', 'submit', 'delete'] })).toBe(true)
    expect(canContinue({ status: 'draft', actions: [] })).toBe(false)
    expect(canContinue({ status: 'returned', actions: ['save_draft', 'resubmit'] })).toBe(false)
    expect(canResubmit({ status: 'returned', actions: ['save_draft', 'resubmit'] })).toBe(true)
    expect(canResubmit({ status: 'in_review', actions: ['withdraw_by_owner'] })).toBe(false)
  })

  it('edits these kinds on their own pages', () => {
    expect(editPath('alliance_join', 'c1')).toBe('/workbench/provider-applications/c1/edit')
    expect(editPath('product_entry', 'c 2')).toBe('/workbench/products/c%202/edit')
    expect(editPath('info_change', 'c3')).toBeNull()
  })
})
