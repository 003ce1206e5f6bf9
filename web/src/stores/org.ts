import { defineStore } from 'pinia'
import { ref } from 'vue'
import { fetchMyOrg } from '@/api/orgs'
import type { OrgMe } from '@/api/types'

/**
 * The signed-in user's organization with its profile and certification status (GET /api/orgs/me).
 * Loaded by the workbench; `null` until then or when the server does not answer.
 */
export const useOrgStore = defineStore('org', () => {
  const me = ref<OrgMe | null>(null)
  const loading = ref(false)
  /** Id of the user the data belongs to (reload when someone else logs in). */
  const ownerId = ref<string | null>(null)
  let pending: Promise<OrgMe | null> | null = null

  function load(userId: string, force = false): Promise<OrgMe | null> {
    if (!force && me.value && ownerId.value === userId) return Promise.resolve(me.value)
    if (pending && !force) return pending
    loading.value = true
    pending = fetchMyOrg({ silent: (e) => e.status === 401 || e.status === 403 || e.status === 404 })
      .then((r) => {
        me.value = r
        ownerId.value = userId
        return r
      })
      .catch(() => null)
      .finally(() => {
        loading.value = false
        pending = null
      })
    return pending
  }

  function set(value: OrgMe) {
    me.value = value
  }

  function clear() {
    me.value = null
    ownerId.value = null
  }

  return { me, loading, load, set, clear }
})
