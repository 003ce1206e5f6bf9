import { api, call, type CallOptions } from './client'
import type {
  Captcha,
  LoginRequest,
  PasswordChangeRequest,
  PasswordPolicy,
  PasswordResetRequest,
  PhoneChangeRequest,
  SessionUser,
  SmsLoginRequest,
  SmsSendRequest,
  SmsSent,
} from './types'

export async function login(body: LoginRequest, options?: CallOptions): Promise<SessionUser> {
  return (await call(api.POST('/api/auth/login', { body }), options)).user
}

export async function loginWithSms(body: SmsLoginRequest, options?: CallOptions): Promise<SessionUser> {
  return (await call(api.POST('/api/auth/login/sms', { body }), options)).user
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

/** A fresh graphical captcha (each one can be used once). */
export function fetchCaptcha(options?: CallOptions): Promise<Captcha> {
  return call(api.GET('/api/captcha'), options)
}

let policyPromise: Promise<PasswordPolicy> | null = null

/** The server's password rules (cached for the page's lifetime). */
export function loadPasswordPolicy(): Promise<PasswordPolicy> {
  if (!policyPromise) {
    policyPromise = call(api.GET('/api/auth/password-policy'), { silent: true })
    policyPromise.catch(() => {
      policyPromise = null
    })
  }
  return policyPromise
}

export function sendSmsCode(body: SmsSendRequest, options?: CallOptions): Promise<SmsSent> {
  return call(api.POST('/api/sms/send', { body }), options)
}

export async function resetPassword(body: PasswordResetRequest, options?: CallOptions): Promise<void> {
  await call(api.POST('/api/auth/password/reset', { body }), options)
}

/** Change the own password; the server ends every session of the user (log in again). */
export async function changePassword(body: PasswordChangeRequest, options?: CallOptions): Promise<void> {
  await call(api.POST('/api/auth/password', { body }), options)
}

export async function changePhone(body: PhoneChangeRequest, options?: CallOptions): Promise<SessionUser> {
  return (await call(api.POST('/api/auth/phone', { body }), options)).user
}
