import { api, call, type CallOptions } from './client'
import type {
  ChangeRequest,
  ChangeRequestCreate,
  ChangeRequestCreated,
  CompanyMatch,
  Material,
  MaterialCreate,
  OrgMe,
  ProfileUpdate,
  RegisterRequest,
  ServiceScope,
  SessionUser,
} from './types'

/** Registered companies whose name matches `q` (at least 2 characters; at most 10 results). */
export async function searchCompanies(q: string, options?: CallOptions): Promise<CompanyMatch[]> {
  return (await call(api.GET('/api/companies/search', { params: { query: { q } } }), options)).items
}

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

export async function listMaterials(options?: CallOptions): Promise<Material[]> {
  return (await call(api.GET('/api/orgs/me/materials'), options)).items
}

export function addMaterial(body: MaterialCreate, options?: CallOptions): Promise<Material> {
  return call(api.POST('/api/orgs/me/materials', { body }), options)
}

export async function deleteMaterial(id: string, options?: CallOptions): Promise<void> {
  await call(api.DELETE('/api/orgs/me/materials/{id}', { params: { path: { id } } }), options)
}
