import { describe, expect, it } from 'vitest'
import { fileExtension, formatBytes, formatDate, formatDateTime, formatScore } from './format'

describe('format', () => {
  it('shows instants in China time as 2025-11-25 23:10:31, whatever the offset they come with', () => {
    expect(formatDateTime('2025-11-25T23:10:31+08:00')).toBe('2025-11-25 23:10:31')
    expect(formatDateTime('2025-11-25T15:10:31Z')).toBe('2025-11-25 23:10:31')
    expect(formatDateTime('2025-11-25T10:10:31-05:00')).toBe('2025-11-25 23:10:31')
    // Late at night in China is the next day there, though still the day before in UTC.
    expect(formatDate('2025-11-25T16:30:00Z')).toBe('2025-11-26')
    expect(formatDate('2025-11-25')).toBe('2025-11-25')
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

describe('formatScore', () => {
  it('shows every score, full marks too, with two decimals', () => {
    expect(formatScore(10)).toBe('10.00')
    expect(formatScore(49.335)).toBe('49.34')
    expect(formatScore(2.5)).toBe('2.50')
    expect(formatScore(0)).toBe('0.00')
  })
})
