import { defineStore } from 'pinia'
import { ref } from 'vue'
import { listTasks } from '@/api/review'
import type { TaskQuery } from '@/api/types'

/**
 * The reviewer's current list (待办审核 with its filters), remembered when a case is opened from it, so the
 * case page offers 上一件 / 下一件 and goes on to the next case after a decision. Kept in sessionStorage: one
 * list per browser tab, surviving a reload, gone with the tab.
 */
export interface ReviewQueue {
  /** Case ids in the list's order: the page it was opened from, then whatever was read after it. */
  ids: string[]
  /** The list's query (state and filters), to read on. */
  query: TaskQuery
  /** The last page read and its size. */
  page: number
  pageSize: number
  /** How many the list had when last read. */
  total: number
  /** The list's address, for 返回待办. */
  listPath: string
}

export interface QueuePosition {
  index: number
  count: number
  prev: string | null
  next: string | null
}

const STORAGE_KEY = 'shuzhuan.review.queue.v1'

function storage(): Storage | null {
  return typeof sessionStorage === 'undefined' ? null : sessionStorage
}

function restore(): ReviewQueue | null {
  try {
    const raw = storage()?.getItem(STORAGE_KEY)
    const q = raw ? (JSON.parse(raw) as ReviewQueue) : null
    return q && Array.isArray(q.ids) ? q : null
  } catch {
    return null
  }
}

/** Where `id` is in `ids`, with its neighbours; null when the list does not have it. */
export function positionIn(q: Pick<ReviewQueue, 'ids' | 'total'> | null, id: string): QueuePosition | null {
  const index = q ? q.ids.indexOf(id) : -1
  if (!q || index < 0) return null
  return { index, count: Math.max(q.total, q.ids.length), prev: q.ids[index - 1] ?? null, next: q.ids[index + 1] ?? null }
}

export const useReviewQueueStore = defineStore('reviewQueue', () => {
  const queue = ref<ReviewQueue | null>(restore())

  function save() {
    try {
      if (queue.value) storage()?.setItem(STORAGE_KEY, JSON.stringify(queue.value))
      else storage()?.removeItem(STORAGE_KEY)
    } catch {
      /* storage full or disabled: the list is remembered for this page only */
    }
  }

  /** Called by the list when a case is opened from it. */
  function remember(q: ReviewQueue) {
    queue.value = { ...q, ids: [...q.ids], query: { ...q.query } }
    save()
  }

  function forget() {
    queue.value = null
    save()
  }

  function position(id: string): QueuePosition | null {
    return positionIn(queue.value, id)
  }

  /**
   * The case after `id`, reading on when the remembered page is used up: in the 待审核 list decided tasks leave
   * it, so the same page is read again first (later tasks moved up into it), then the next page. Null at the
   * end of the list (or when it cannot be read now).
   */
  async function nextAfter(id: string): Promise<string | null> {
    const q = queue.value
    const at = positionIn(q, id)
    if (!q || !at) return null
    if (at.next) return at.next
    const pages = q.query.state === 'done' ? [q.page + 1] : [q.page, q.page + 1]
    for (const page of pages) {
      const cur = queue.value!
      if (page > cur.page && (page - 1) * cur.pageSize >= cur.total) break
      let fresh: string[]
      try {
        const res = await listTasks({ ...cur.query, page, page_size: cur.pageSize }, { silent: true })
        fresh = res.items.map((t) => t.case_id).filter((c) => !cur.ids.includes(c))
        queue.value = { ...cur, ids: [...cur.ids, ...fresh], page: Math.max(cur.page, page), total: res.total }
      } catch {
        return null
      }
      save()
      if (fresh.length) return fresh[0]!
    }
    return null
  }

  return { queue, remember, forget, position, nextAfter }
})
