/**
 * 服务商、牵引单位与产品 (docs/providers-products.md): the product categories, the lead units to choose
 * from, the provider's memberships and 再次申报 template, a lead unit's members and product pool, and the
 * public catalogue (上架产品). The applications themselves are review cases (kinds `alliance_join` and
 * `product_entry`) saved and submitted with the generic endpoints of `review.ts`.
 *
 * The shapes are declared by hand, named exactly as in docs/providers-products.md, until the endpoints are
 * in the generated OpenAPI schema (schema.d.ts). Calls go through `request()` + `call()`, so errors are
 * reported as everywhere else.
 */
import { call, request, type CallOptions } from './client'
import { downloadFile } from './download'
import type { FileListPage } from './types'

// ---------------------------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------------------------

/** Case kinds of this capability. */
export const ALLIANCE_JOIN = 'alliance_join'
export const PRODUCT_ENTRY = 'product_entry'

/** 产品/服务类别（业务环节）: one group (产品生命周期数字化 …) and its business areas / systems. */
export interface CategoryGroup {
  name: string
  items: string[]
}

/** A lead unit (数字化牵引单位) to choose from. */
export interface LeadUnit {
  id: string
  name: string
  region_code?: string | null
}

/** A lead unit the provider is bound to (approved application). */
export interface Membership {
  lead_unit_id: string
  lead_unit_name: string
  joined_at: string
}

/** A member of the lead unit's 产业生态联合体 (生态伙伴). */
export interface AllianceMember {
  provider_id: string
  provider_name: string
  uscc?: string | null
  joined_at: string
  /** The provider's products in the pool: a count, or their names. */
  products?: number | string[] | null
}

/** An approved product as lists and the catalogue show it. */
export interface ProductCard {
  id: string
  code?: string | null
  name: string
  provider_name: string
  categories: string[]
  industry_code?: string | null
  industry_name?: string | null
  price_min?: number | null
  price_max?: number | null
  purchase_mode?: string | null
  description?: string | null
  approved_at?: string | null
  /** Only for the provider itself and the lead units whose pool holds the product. */
  case_id?: string | null
}

export interface ProductPage {
  items: ProductCard[]
  total: number
}

export interface ProductQuery {
  q?: string
  page?: number
  page_size?: number
}

export interface CatalogueQuery extends ProductQuery {
  /** A business area / system name (产品/服务类别). */
  category?: string
  /** An industry code (GB/T 4754-2017). */
  industry?: string
}

// ---------------------------------------------------------------------------------------------
// Reference: categories and lead units
// ---------------------------------------------------------------------------------------------

let categoriesPromise: Promise<CategoryGroup[]> | null = null

/** 产品/服务类别（业务环节） in their groups (public; cached for the page's lifetime). */
export function loadProductCategories(options?: CallOptions): Promise<CategoryGroup[]> {
  if (!categoriesPromise) {
    categoriesPromise = call(request<{ groups: CategoryGroup[] }>('GET', '/api/products/categories'), options).then((r) => r.groups ?? [])
    categoriesPromise.catch(() => {
      categoriesPromise = null
    })
  }
  return categoriesPromise
}

/** Every lead unit (数字化牵引单位名称 of an application). */
export async function listLeadUnits(options?: CallOptions): Promise<LeadUnit[]> {
  return (await call(request<{ items: LeadUnit[] }>('GET', '/api/lead-units'), options)).items ?? []
}

// ---------------------------------------------------------------------------------------------
// The provider
// ---------------------------------------------------------------------------------------------

/** The lead units the provider is bound to (empty before a first approval). */
export async function listMemberships(options?: CallOptions): Promise<Membership[]> {
  return (await call(request<{ items: Membership[] }>('GET', '/api/providers/me/memberships'), options)).items ?? []
}

/**
 * 再次申报 prefill: the form of the approved first application with `application: "repeat"`, no products,
 * no lead unit and no cooperation proof. 409 before a first approval.
 */
export function fetchApplicationTemplate(options?: CallOptions): Promise<Record<string, unknown>> {
  return call(request<Record<string, unknown>>('GET', '/api/providers/me/application-template'), options)
}

// ---------------------------------------------------------------------------------------------
// The lead unit
// ---------------------------------------------------------------------------------------------

/** 生态伙伴: the providers bound to the caller's lead unit. */
export async function listMembers(options?: CallOptions): Promise<AllianceMember[]> {
  return (await call(request<{ items: AllianceMember[] }>('GET', '/api/lead-units/me/members'), options)).items ?? []
}

/** 产品池: the caller's lead unit's pool. */
export function listPool(query: ProductQuery = {}, options?: CallOptions): Promise<ProductPage> {
  return call(request<ProductPage>('GET', '/api/lead-units/me/pool', { query: { ...query } }), options)
}

export const POOL_XLSX_URL = '/api/lead-units/me/pool.xlsx'

/** 导出Excel: the whole pool as an .xlsx file. */
export function downloadPoolXlsx(fallbackName = '产品池.xlsx'): Promise<void> {
  return downloadFile(POOL_XLSX_URL, fallbackName)
}

/** Any signed-in user: the pool of one lead unit (project signing picks products from it). */
export function listLeadUnitPool(leadUnitId: string, query: ProductQuery = {}, options?: CallOptions): Promise<ProductPage> {
  return call(request<ProductPage>('GET', `/api/pools/${encodeURIComponent(leadUnitId)}/products`, { query: { ...query } }), options)
}

// ---------------------------------------------------------------------------------------------
// The public catalogue (上架产品)
// ---------------------------------------------------------------------------------------------

export function listCatalogue(query: CatalogueQuery = {}, options?: CallOptions): Promise<ProductPage> {
  return call(request<ProductPage>('GET', '/api/catalogue/products', { query: { ...query } }), options)
}

// ---------------------------------------------------------------------------------------------
// File names
// ---------------------------------------------------------------------------------------------

/**
 * Names of the organization's own files by id (forms keep only ids; a 再次申报 template names files of the
 * first application). Pages through GET /api/files, newest first, until every id is found or `maxPages`
 * pages of 100 were read; ids not found are left out.
 */
export async function lookupFileNames(ids: readonly string[], maxPages = 5): Promise<{ id: string; name: string; size: number }[]> {
  const wanted = new Set(ids)
  const found: { id: string; name: string; size: number }[] = []
  for (let page = 1; wanted.size && page <= maxPages; page++) {
    const res = await call(request<FileListPage>('GET', '/api/files', { query: { page, page_size: 100 } }), { silent: true })
    for (const f of res.items) {
      if (wanted.delete(f.id)) found.push({ id: f.id, name: f.name, size: f.size })
    }
    if (page * 100 >= res.total) break
  }
  return found
}
