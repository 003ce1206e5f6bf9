import { api, call, type CallOptions } from './client'
import type { LoginRequest, SessionUser } from './types'

export async function login(body: LoginRequest, options?: CallOptions): Promise<SessionUser> {
  return (await call(api.POST('/api/auth/login', { body }), options)).user
}

export async function logout(): Promise<void> {
  await call(api.POST('/api/auth/logout'))
}

/** The current user, or null when not logged in (401). Other failures throw. */
export async function fetchMe(): Promise<SessionUser | null> {
  try {
    return (await call(api.GET('/api/auth/me'), { silent: (e) => e.status === 401 })).user
  } catch (e) {
    if (e instanceof Error && 'status' in e && e.status === 401) return null
    throw e
  }
}
