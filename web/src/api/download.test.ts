import { describe, expect, it } from 'vitest'
import { dispositionName } from './download'

describe('download file names', () => {
  it('reads RFC 5987 names first, then plain ones', () => {
    expect(dispositionName("attachment; filename=\"timeline.pdf\"; filename*=UTF-8''%E5%AE%A1%E6%A0%B8%E8%BF%9B%E5%BA%A6.pdf")).toBe('审核进度.pdf')
    expect(dispositionName('attachment; filename="report.pdf"')).toBe('report.pdf')
    expect(dispositionName('attachment; filename=report.pdf')).toBe('report.pdf')
    expect(dispositionName('attachment')).toBeNull()
    expect(dispositionName(null)).toBeNull()
  })
})
