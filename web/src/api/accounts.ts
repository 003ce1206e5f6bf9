/**
 * 账号 (accounts): signing in and out, the session, captcha and SMS codes, passwords and the bound phone,
 * registration, and the organization's users (账号管理 / 人员管理).
 */
import { api, call, type CallOptions } from './client'
import type {
  Captcha,
  LoginRequest,
  ManagedUser,
  Permission,
  RegisterRequest,
  Role,
  ServiceScope,
  UserCreate,
  UserPage,
  UserQuery,
  UserUpdate,
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

/** The current user, or null when nobody is signed in (an answer, not a 401). Other failures throw. */
export async function fetchMe(): Promise<SessionUser | null> {
  return (await call(api.GET('/api/auth/session'))).user ?? null
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

// 注册 ------------------------------------------------------------------------------------------

let scopesPromise: Promise<ServiceScope[]> | null = null

/** 服务商服务范围 choices (cached for the page's lifetime). */
export function loadServiceScopes(): Promise<ServiceScope[]> {
  if (!scopesPromise) {
    scopesPromise = call(api.GET('/api/providers/service-scopes')).then((r) => r.items)
    scopesPromise.catch(() => {
      scopesPromise = null
    })
  }
  return scopesPromise
}

/** Register an enterprise or provider account (the user is not signed in afterwards). */
export async function register(body: RegisterRequest, options?: CallOptions): Promise<SessionUser> {
  return (await call(api.POST('/api/register', { body }), options)).user
}

// 账号 / 人员管理 ------------------------------------------------------------------------------

/** Menu permissions the caller may hand out in the own organization. */
export async function listPermissions(options?: CallOptions): Promise<Permission[]> {
  return (await call(api.GET('/api/permissions'), options)).items
}

export function listUsers(query: UserQuery, options?: CallOptions): Promise<UserPage> {
  return call(api.GET('/api/users', { params: { query } }), options)
}

export function createUser(body: UserCreate, options?: CallOptions): Promise<ManagedUser> {
  return call(api.POST('/api/users', { body }), options)
}

export function updateUser(id: string, body: UserUpdate, options?: CallOptions): Promise<ManagedUser> {
  return call(api.PUT('/api/users/{id}', { params: { path: { id } }, body }), options)
}

export async function deleteUser(id: string, options?: CallOptions): Promise<void> {
  await call(api.DELETE('/api/users/{id}', { params: { path: { id } } }), options)
}

/** A new one-time password for the user (shown once; the user must change it at the next login). */
export async function resetUserPassword(id: string, options?: CallOptions): Promise<string> {
  return (await call(api.POST('/api/users/{id}/reset-password', { params: { path: { id } } }), options)).password
}

export async function unlockUser(id: string, options?: CallOptions): Promise<void> {
  await call(api.POST('/api/users/{id}/unlock', { params: { path: { id } } }), options)
}

/** The full phone number (the server audits every look). */
export async function revealUserPhone(id: string, options?: CallOptions): Promise<string> {
  return (await call(api.GET('/api/users/{id}/phone', { params: { path: { id } } }), options)).phone
}

export function setUserRoles(id: string, roles: Role[], options?: CallOptions): Promise<ManagedUser> {
  return call(api.PUT('/api/users/{id}/roles', { params: { path: { id } }, body: { roles } }), options)
}
