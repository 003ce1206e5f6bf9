import { defineStore } from 'pinia'
import { ref } from 'vue'
import { fetchUnreadCount } from '@/api/review'

/** Don't ask again within this many milliseconds (route changes come in bursts). */
const MIN_INTERVAL_MS = 3_000

/**
 * The signed-in user's unread notification count (the header bell). Refreshed by the bell every 60 s
 * and on route changes, and by the pages that read or mark notifications (force).
 */
export const useNotificationStore = defineStore('notifications', () => {
  const unread = ref(0)
  let lastAt = 0
  let pending: Promise<void> | null = null

  /** Ask the server; failures are silent (the next poll tries again). */
  function refresh(force = false): Promise<void> {
    if (pending) return pending
    if (!force && Date.now() - lastAt < MIN_INTERVAL_MS) return Promise.resolve()
    lastAt = Date.now()
    pending = fetchUnreadCount({ silent: true })
      .then((n) => {
        unread.value = Math.max(0, n)
      })
      .catch(() => undefined)
      .finally(() => {
        pending = null
      })
    return pending
  }

  /** A count the caller already knows (e.g. `unread` of GET /api/notifications). */
  function set(count: number) {
    unread.value = Math.max(0, count)
    lastAt = Date.now()
  }

  function clear() {
    unread.value = 0
    lastAt = 0
  }

  return { unread, refresh, set, clear }
})
