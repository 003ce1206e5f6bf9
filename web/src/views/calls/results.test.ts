import { describe, expect, it } from 'vitest'
import { DEFAULT_PERIOD_DAYS, defaultNotice, showsApplyMode } from './results'

describe('结果公示 drafts', () => {
  it('names the program and where objections go', () => {
    const d = defaultNotice({ program_name: '2024年广东省智能制造生态合作伙伴', owner_org_name: '广东省工业和信息化厅' })
    expect(d.title).toBe('2024年广东省智能制造生态合作伙伴拟入选名单公示')
    expect(d.body).toContain('向广东省工业和信息化厅反映')
    expect(d.period_days).toBe(DEFAULT_PERIOD_DAYS)
  })

  it('falls back when the owner has no name', () => {
    expect(defaultNotice({ program_name: '专题', owner_org_name: '' }).body).toContain('向主办单位反映')
  })

  it('shows 申报方式 only when an entry has one', () => {
    const entry = { seq: 1, applicant_name: '甲', track_name: '关键软件', recommender: '惠州市工业和信息化局' }
    expect(showsApplyMode({ entries: [{ ...entry, apply_mode: null }] })).toBe(false)
    expect(showsApplyMode({ entries: [{ ...entry, apply_mode: null }, { ...entry, apply_mode: '直接认定' }] })).toBe(true)
  })
})
