import { describe, expect, it } from 'vitest'
import { blocksBlobFrame, previewKind, previewType } from './filePreview'

describe('previewKind', () => {
  it('previews PDFs and common images, by name', () => {
    expect(previewKind('营业执照.PDF')).toBe('pdf')
    expect(previewKind('现场照片.jpeg')).toBe('image')
    expect(previewKind('logo.png')).toBe('image')
    expect(previewKind('报价单.xlsx')).toBeNull()
    expect(previewKind('无扩展名')).toBeNull()
  })
})

describe('previewType', () => {
  it('types the blob itself: PDF always as PDF, images only as images', () => {
    expect(previewType('pdf', 'application/octet-stream')).toBe('application/pdf')
    expect(previewType('image', 'image/jpeg')).toBe('image/jpeg')
    expect(previewType('image', 'text/html')).toBe('image/png')
  })
})

describe('blocksBlobFrame', () => {
  it('recognizes the CSP refusing the blob: frame, and nothing else', () => {
    expect(blocksBlobFrame({ violatedDirective: 'frame-src', blockedURI: 'blob' })).toBe(true)
    expect(blocksBlobFrame({ violatedDirective: 'default-src', blockedURI: 'blob' })).toBe(true)
    expect(blocksBlobFrame({ violatedDirective: 'img-src', blockedURI: 'blob' })).toBe(false)
    expect(blocksBlobFrame({ violatedDirective: 'frame-src', blockedURI: 'https://example.com' })).toBe(false)
  })
})
