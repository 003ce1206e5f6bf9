import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as accounts from '@/api/accounts'
import type { LoginRequest, SessionUser, SmsLoginRequest } from '@/api/types'
import type { CallOptions } from '@/api/client'

/** The logged-in user. The session itself is an HttpOnly cookie the page never sees. */
export const useSessionStore = defineStore('session', () => {
  const user = ref<SessionUser | null>(null)
  /** true once GET /api/auth/me has answered (with a user or 401) in this page load. */
  const checked = ref(false)
  let pending: Promise<SessionUser | null> | null = null

  const loggedIn = computed(() => user.value !== null)

  /** Ask the server who is logged in. Concurrent callers share one request. */
  function refresh(): Promise<SessionUser | null> {
    if (!pending) {
      pending = accounts
        .fetchMe()
        .then((u) => {
          user.value = u
          checked.value = true
          return u
        })
        .finally(() => {
          pending = null
        })
    }
    return pending
  }

  /** The user if already known, otherwise asks the server. */
  async function ensure(): Promise<SessionUser | null> {
    if (user.value) return user.value
    return refresh()
  }

  async function login(body: LoginRequest, options?: CallOptions): Promise<SessionUser> {
    const u = await accounts.login(body, options)
    user.value = u
    checked.value = true
    return u
  }

  async function loginWithSms(body: SmsLoginRequest, options?: CallOptions): Promise<SessionUser> {
    const u = await accounts.loginWithSms(body, options)
    user.value = u
    checked.value = true
    return u
  }

  /** Replace the known user (e.g. after the bound phone changed). */
  function setUser(u: SessionUser) {
    user.value = u
    checked.value = true
  }

  async function logout(): Promise<void> {
    try {
      await accounts.logout()
    } finally {
      clear()
    }
  }

  /** Forget the user locally (session expired or logged out). */
  function clear() {
    user.value = null
    checked.value = true
  }

  return { user, checked, loggedIn, refresh, ensure, login, loginWithSms, setUser, logout, clear }
})
