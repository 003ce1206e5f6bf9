import { describe, expect, it } from 'vitest'
import { clearLocalDraft, localDraftKey, readLocalDraft, writeLocalDraft } from './localDraft'

function memory() {
  const m = new Map<string, string>()
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    map: m,
  }
}

describe('unsaved edits kept in the browser', () => {
  it('keys by form, user and case', () => {
    expect(localDraftKey('providers.application', 'u1', 'new-first')).toBe('shuzhuan.providers.application.u1.new-first.v1')
  })

  it('round-trips a draft with its file names', () => {
    const store = memory()
    const key = localDraftKey('products.entry', 'u1', 'c1')
    writeLocalDraft(store, key, { version: 3, saved_at: '2025-11-25T10:00:00Z', form: { name: 'MES' }, files: [{ id: 'f1', name: '合同.pdf', size: 10 }] })
    expect(readLocalDraft(store, key)).toEqual({
      version: 3,
      saved_at: '2025-11-25T10:00:00Z',
      form: { name: 'MES' },
      files: [{ id: 'f1', name: '合同.pdf', size: 10 }],
    })
    clearLocalDraft(store, key)
    expect(readLocalDraft(store, key)).toBeNull()
  })

  it('ignores what it cannot read', () => {
    const store = memory()
    store.setItem('a', 'not json')
    store.setItem('b', JSON.stringify({ form: [] }))
    store.setItem('c', JSON.stringify({ form: {}, files: [{ name: 'no id' }, null, { id: 'x', name: 'x.pdf' }] }))
    expect(readLocalDraft(store, 'a')).toBeNull()
    expect(readLocalDraft(store, 'b')).toBeNull()
    expect(readLocalDraft(store, 'c')).toEqual({ version: 0, saved_at: '', form: {}, files: [{ id: 'x', name: 'x.pdf', size: 0 }] })
  })

  it('survives a storage that refuses writes', () => {
    const broken = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError')
      },
      removeItem: () => {
        throw new Error('denied')
      },
    }
    expect(() => writeLocalDraft(broken, 'k', { version: 0, saved_at: '', form: {}, files: [] })).not.toThrow()
    expect(() => clearLocalDraft(broken, 'k')).not.toThrow()
  })
})
