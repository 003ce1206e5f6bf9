/**
 * 企业管理 (seed 003 §4.3.4): the enterprises within the official's region, an enterprise's profile, and 信用核查 one by
 * one or in batch (the template, an uploaded workbook, the result workbook).
 */
import { api, call, withoutEmpty, type CallOptions } from './client'
import type { CreditAnswer, CreditBatchResult, EnterpriseList, EnterpriseProfile, EnterpriseQuery } from './types'

export function listEnterprises(query: EnterpriseQuery, options?: CallOptions): Promise<EnterpriseList> {
  return call(api.GET('/api/enterprises', { params: { query: withoutEmpty(query) } }), options)
}

export function getEnterprise(id: string, options?: CallOptions): Promise<EnterpriseProfile> {
  return call(api.GET('/api/enterprises/{id}', { params: { path: { id } } }), options)
}

/** One credit code against the dishonest list (audited). */
export function checkCredit(uscc: string, options?: CallOptions): Promise<CreditAnswer> {
  return call(api.POST('/api/enterprises/credit-checks', { body: { uscc } }), options)
}

/** A filled template, uploaded first (purpose `attachment`). */
export function checkCreditBatch(fileId: string, options?: CallOptions): Promise<CreditBatchResult> {
  return call(api.POST('/api/enterprises/credit-checks/batch', { body: { file_id: fileId } }), options)
}

export const CREDIT_TEMPLATE_URL = '/api/enterprises/credit-checks/template.xlsx'

export function creditResultUrl(id: string): string {
  return `/api/enterprises/credit-checks/${encodeURIComponent(id)}/result.xlsx`
}
