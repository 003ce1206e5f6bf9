import { describe, expect, it } from 'vitest'
import { fileExtension, formatBytes, formatDate, formatDateTime } from './format'

describe('format', () => {
  it('shows dates as 2025-11-25 23:10:31', () => {
    expect(formatDateTime('2025-11-25 23:10:31')).toBe('2025-11-25 23:10:31')
    expect(formatDate('2025-11-25 23:10:31')).toBe('2025-11-25')
    expect(formatDateTime(null)).toBe('—')
    expect(formatDateTime('不是日期')).toBe('不是日期')
  })

  it('shows sizes', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(2097152)).toBe('2 MB')
    expect(formatBytes(104857600)).toBe('100 MB')
  })

  it('reads extensions case-insensitively', () => {
    expect(fileExtension('报告.PDF')).toBe('pdf')
    expect(fileExtension('a.tar.gz')).toBe('gz')
    expect(fileExtension('README')).toBe('')
  })
})
