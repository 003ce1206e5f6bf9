import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { useKeptDraft } from './useKeptDraft'

/** localStorage as a Map: the node environment of the unit tests has none. */
function memoryStorage() {
  const m = new Map<string, string>()
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), size: () => m.size }
}

describe('useKeptDraft', () => {
  let store: ReturnType<typeof memoryStorage>
  beforeEach(() => {
    store = memoryStorage()
    vi.stubGlobal('localStorage', store)
  })
  afterEach(() => vi.unstubAllGlobals())

  function page(version: number) {
    const edits = ref<Record<string, unknown>>({ name: '原名称' })
    const saved = ref<Record<string, unknown> | null>({ name: '原名称' })
    const names = ref<Record<string, string>>({ f1: '合同.pdf' })
    const scope = effectScope()
    const kept = scope.run(() => useKeptDraft({ edits, saved, names, editable: () => true, version: () => version }))!
    return { edits, saved, names, kept, scope }
  }

  it('keeps what is typed beyond the server copy, and gives it back to the same record at the same version', async () => {
    const first = page(3)
    expect(first.kept.open('lifecycle.signing', 'u1', 'p1')).toBeNull()
    first.edits.value = { name: '改过的名称' }
    await nextTick()
    expect(first.kept.dirty.value).toBe(true)
    expect(store.size()).toBe(1)
    first.scope.stop()

    const again = page(3)
    again.names.value = {}
    expect(again.kept.open('lifecycle.signing', 'u1', 'p1')).toEqual({ name: '改过的名称' })
    expect(again.kept.restoredAt.value).toBeTruthy()
    expect(again.names.value.f1).toBe('合同.pdf')
    // A page that opens in a mode of its own for kept edits (信息变更) asks first, without taking them.
    expect(page(3).kept.has('lifecycle.signing', 'u1', 'p1')).toBe(true)
    expect(page(4).kept.has('lifecycle.signing', 'u1', 'p1')).toBe(false)
    // Another user, or the record saved elsewhere since (a newer version): nothing restored, the stale copy forgotten.
    expect(page(3).kept.open('lifecycle.signing', 'u2', 'p1')).toBeNull()
    expect(page(4).kept.open('lifecycle.signing', 'u1', 'p1')).toBeNull()
    expect(store.size()).toBe(0)
  })

  it('forgets the copy once the server has the edits', async () => {
    const p = page(1)
    p.kept.open('lifecycle.signing', 'u1', 'p1')
    p.edits.value = { name: '新名称' }
    await nextTick()
    expect(store.size()).toBe(1)
    p.saved.value = { name: '新名称' }
    p.kept.clear()
    await nextTick()
    expect(p.kept.dirty.value).toBe(false)
    expect(store.size()).toBe(0)
  })
})
