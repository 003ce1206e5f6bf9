/**
 * 服务商与牵引单位 (providers, docs/providers-products.md): the lead units to choose from, the provider's
 * memberships and 再次申报 template, and a lead unit's members and product pool. The applications are
 * review cases (kind `alliance_join`) saved and submitted with the generic endpoints of `review.ts`.
 */
import { api, call, withoutEmpty, type CallOptions } from './client'
import { downloadFile } from './download'
import type { AllianceMember, LeadUnit, Membership, PoolQuery, ProductPage } from './types'

/** The case kind of this capability. */
export const ALLIANCE_JOIN = 'alliance_join'

/** Every lead unit (数字化牵引单位名称 of an application). */
export async function listLeadUnits(options?: CallOptions): Promise<LeadUnit[]> {
  return (await call(api.GET('/api/lead-units'), options)).items ?? []
}

// ---------------------------------------------------------------------------------------------
// The provider
// ---------------------------------------------------------------------------------------------

/** The lead units the provider is bound to (empty before a first approval). */
export async function listMemberships(options?: CallOptions): Promise<Membership[]> {
  return (await call(api.GET('/api/providers/me/memberships'), options)).items ?? []
}

/**
 * 再次申报 prefill: the form of the approved first application with `application: "repeat"`, no products,
 * no lead unit and no cooperation proof. 409 before a first approval.
 */
export function fetchApplicationTemplate(options?: CallOptions): Promise<Record<string, unknown>> {
  return call(api.GET('/api/providers/me/application-template'), options)
}

// ---------------------------------------------------------------------------------------------
// The lead unit
// ---------------------------------------------------------------------------------------------

/** 生态伙伴: the providers bound to the caller's lead unit. */
export async function listMembers(options?: CallOptions): Promise<AllianceMember[]> {
  return (await call(api.GET('/api/lead-units/me/members'), options)).items ?? []
}

/** 产品池: the caller's lead unit's pool. */
export function listPool(query: PoolQuery = {}, options?: CallOptions): Promise<ProductPage> {
  return call(api.GET('/api/lead-units/me/pool', { params: { query: withoutEmpty(query) } }), options)
}

export const POOL_XLSX_URL = '/api/lead-units/me/pool.xlsx'

/** 导出Excel: the whole pool as an .xlsx file. */
export function downloadPoolXlsx(fallbackName = '产品池.xlsx'): Promise<void> {
  return downloadFile(POOL_XLSX_URL, fallbackName)
}

/** Any signed-in user: the pool of one lead unit (project signing picks products from it). */
export function listLeadUnitPool(leadUnitId: string, query: PoolQuery = {}, options?: CallOptions): Promise<ProductPage> {
  return call(api.GET('/api/pools/{id}/products', { params: { path: { id: leadUnitId }, query: withoutEmpty(query) } }), options)
}
