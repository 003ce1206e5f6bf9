import { describe, expect, it } from 'vitest'
import { FILING_STEPS, stageTone } from './stages'

describe('filing stages', () => {
  it('draws the seed\'s five filing steps', () => {
    expect(FILING_STEPS).toEqual(['项目备案提交', '镇街审核', '第三方初审', '市工信复审', '备案完成'])
  })
  it('colours statuses', () => {
    expect(stageTone('approved')).toBe('success')
    expect(stageTone('returned')).toBe('warning')
    expect(stageTone('in_review')).toBe('primary')
    expect(stageTone('rejected')).toBe('danger')
    expect(stageTone('draft')).toBe('info')
  })
})
