import { api, call, type CallOptions } from './client'
import type {
  AuditPage,
  AuditQuery,
  Department,
  DepartmentInput,
  ManagedUser,
  Permission,
  Role,
  UserCreate,
  UserPage,
  UserUpdate,
} from './types'

// 部门管理 ------------------------------------------------------------------------------------

export async function listDepartments(options?: CallOptions): Promise<Department[]> {
  return (await call(api.GET('/api/departments'), options)).items
}

export function createDepartment(body: DepartmentInput, options?: CallOptions): Promise<Department> {
  return call(api.POST('/api/departments', { body }), options)
}

export function updateDepartment(id: string, body: DepartmentInput, options?: CallOptions): Promise<Department> {
  return call(api.PUT('/api/departments/{id}', { params: { path: { id } }, body }), options)
}

export async function deleteDepartment(id: string, options?: CallOptions): Promise<void> {
  await call(api.DELETE('/api/departments/{id}', { params: { path: { id } } }), options)
}

// 账号 / 人员管理 ------------------------------------------------------------------------------

/** Menu permissions the caller may hand out in the own organization. */
export async function listPermissions(options?: CallOptions): Promise<Permission[]> {
  return (await call(api.GET('/api/permissions'), options)).items
}

export function listUsers(query: { page: number; page_size: number; q?: string }, options?: CallOptions): Promise<UserPage> {
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

// 审计日志 ------------------------------------------------------------------------------------

export function listAudit(query: AuditQuery, options?: CallOptions): Promise<AuditPage> {
  return call(api.GET('/api/audit', { params: { query } }), options)
}
