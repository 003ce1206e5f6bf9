/** 企业库 (companies): registered companies by name, for the name pickers of registration and 信息变更. */
import { api, call, type CallOptions } from './client'
import type { CompanyMatch } from './types'

/** Registered companies whose name matches `q` (at least 2 characters; at most 10 results). */
export async function searchCompanies(q: string, options?: CallOptions): Promise<CompanyMatch[]> {
  return (await call(api.GET('/api/companies/search', { params: { query: { q } } }), options)).items
}
