import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'

const listTasks = vi.hoisted(() => vi.fn())
vi.mock('@/api/review', () => ({ listTasks }))

import { positionIn, useReviewQueueStore, type ReviewQueue } from './reviewQueue'

/** sessionStorage as the browser has it (Node has none). */
class MemoryStorage {
  data = new Map<string, string>()
  getItem(k: string) {
    return this.data.get(k) ?? null
  }
  setItem(k: string, v: string) {
    this.data.set(k, v)
  }
  removeItem(k: string) {
    this.data.delete(k)
  }
}

const page = (ids: string[], total: number) => ({ items: ids.map((case_id) => ({ case_id })), total, counts: [] })

function queue(over: Partial<ReviewQueue> = {}): ReviewQueue {
  return { ids: ['a', 'b', 'c'], query: { state: 'open', kind: 'alliance_join' }, page: 1, pageSize: 3, total: 7, listPath: '/workbench/review/todo?kind=alliance_join', ...over }
}

beforeEach(() => {
  vi.stubGlobal('sessionStorage', new MemoryStorage())
  setActivePinia(createPinia())
  listTasks.mockReset()
})

describe('positionIn', () => {
  it('gives the neighbours of a case in the list, and nothing for a case not in it', () => {
    expect(positionIn(queue(), 'b')).toEqual({ index: 1, count: 7, prev: 'a', next: 'c' })
    expect(positionIn(queue(), 'a')).toMatchObject({ prev: null, next: 'b' })
    expect(positionIn(queue(), 'z')).toBeNull()
    expect(positionIn(null, 'a')).toBeNull()
  })
})

describe('useReviewQueueStore', () => {
  it('remembers the list for the tab (sessionStorage) and reads it back in a new page', () => {
    useReviewQueueStore().remember(queue())
    setActivePinia(createPinia())
    expect(useReviewQueueStore().position('c')).toMatchObject({ index: 2, prev: 'b', next: null })
  })

  it('goes on within the remembered page without asking the server', async () => {
    const s = useReviewQueueStore()
    s.remember(queue())
    expect(await s.nextAfter('a')).toBe('b')
    expect(listTasks).not.toHaveBeenCalled()
  })

  it('at the end of the page of open tasks reads the same page again first (decided tasks left it)', async () => {
    const s = useReviewQueueStore()
    s.remember(queue())
    listTasks.mockResolvedValueOnce(page(['d', 'e', 'f'], 4))
    expect(await s.nextAfter('c')).toBe('d')
    expect(listTasks).toHaveBeenCalledWith({ state: 'open', kind: 'alliance_join', page: 1, page_size: 3 }, { silent: true })
    expect(s.position('d')).toMatchObject({ index: 3, prev: 'c', next: 'e' })
  })

  it('then the next page, and says null at the end of the list', async () => {
    const s = useReviewQueueStore()
    s.remember(queue({ total: 4 }))
    listTasks.mockResolvedValueOnce(page(['a', 'b', 'c'], 4)).mockResolvedValueOnce(page(['g'], 4))
    expect(await s.nextAfter('c')).toBe('g')
    expect(listTasks.mock.calls.map((c) => c[0].page)).toEqual([1, 2])
    listTasks.mockResolvedValue(page([], 4))
    expect(await s.nextAfter('g')).toBeNull()
  })

  it('in the 已审核 list reads the next page only', async () => {
    const s = useReviewQueueStore()
    s.remember(queue({ query: { state: 'done' } }))
    listTasks.mockResolvedValueOnce(page(['x'], 7))
    expect(await s.nextAfter('c')).toBe('x')
    expect(listTasks.mock.calls.map((c) => c[0].page)).toEqual([2])
  })

  it('knows nothing of a case opened elsewhere, and forgets on request', async () => {
    const s = useReviewQueueStore()
    s.remember(queue())
    expect(await s.nextAfter('elsewhere')).toBeNull()
    s.forget()
    expect(s.position('a')).toBeNull()
    expect(sessionStorage.getItem('shuzhuan.review.queue.v1')).toBeNull()
  })
})
