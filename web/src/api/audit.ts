/** 审计日志 (audit): the security audit trail, for the audit administrator. */
import { api, call, type CallOptions } from './client'
import type { AuditPage, AuditQuery } from './types'

export function listAudit(query: AuditQuery, options?: CallOptions): Promise<AuditPage> {
  return call(api.GET('/api/audit', { params: { query } }), options)
}
