/**
 * 单位 (orgs): the caller's organization, its profile, 信息变更 requests, the 资料库 materials and the
 * departments. Its review case kinds: `info_change` and `provider_certification`.
 */
import type { FormSchema } from '@/components/form/schema'
import { api, call, type CallOptions } from './client'
import type {
  ChangeRequest,
  ChangeRequestCreate,
  ChangeRequestCreated,
  Department,
  DepartmentInput,
  Material,
  MaterialCreate,
  OrgMe,
  ProfileUpdate,
} from './types'

/** Case kinds of this capability. */
export const INFO_CHANGE = 'info_change'
export const PROVIDER_CERTIFICATION = 'provider_certification'

export function fetchMyOrg(options?: CallOptions): Promise<OrgMe> {
  return call(api.GET('/api/orgs/me'), options)
}

export function updateProfile(body: ProfileUpdate, options?: CallOptions): Promise<OrgMe> {
  return call(api.PUT('/api/orgs/me/profile', { body }), options)
}

export async function listChangeRequests(options?: CallOptions): Promise<ChangeRequest[]> {
  return (await call(api.GET('/api/orgs/me/change-requests'), options)).items
}

export function submitChangeRequest(body: ChangeRequestCreate, options?: CallOptions): Promise<ChangeRequestCreated> {
  return call(api.POST('/api/orgs/me/change-requests', { body }), options)
}

/** The 信息变更 form as the server checks it (data/forms/info_change.json): the dialog draws it with FormRenderer. */
export async function fetchInfoChangeForm(options?: CallOptions): Promise<FormSchema> {
  return (await call(api.GET('/api/orgs/me/change-requests/form'), options)).schema as unknown as FormSchema
}

export async function listMaterials(options?: CallOptions): Promise<Material[]> {
  return (await call(api.GET('/api/orgs/me/materials'), options)).items
}

export function addMaterial(body: MaterialCreate, options?: CallOptions): Promise<Material> {
  return call(api.POST('/api/orgs/me/materials', { body }), options)
}

export async function deleteMaterial(id: string, options?: CallOptions): Promise<void> {
  await call(api.DELETE('/api/orgs/me/materials/{id}', { params: { path: { id } } }), options)
}

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
