/** 审计日志 (audit): the security audit trail, for the audit administrator. */
import { api, call, type CallOptions } from './client'
import type { AuditPage, AuditQuery, AuditVocabulary } from './types'

export function listAudit(query: AuditQuery, options?: CallOptions): Promise<AuditPage> {
  return call(api.GET('/api/audit', { params: { query } }), options)
}

/** The actions and object types the log records, with their Chinese names (the filters' choices). */
export function fetchAuditVocabulary(options?: CallOptions): Promise<AuditVocabulary> {
  return call(api.GET('/api/audit/vocabulary'), options)
}

/** The Excel export of the entries the filters select (fetched by `downloadFile`). */
export function auditExportUrl(query: Omit<AuditQuery, 'page' | 'page_size'>): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
  const qs = params.toString()
  return `/api/audit/export.xlsx${qs ? `?${qs}` : ''}`
}
