/**
 * What the 服务商申报 and 我的产品 lists offer on a row (the server decides with `actions`; these only show
 * it), and where a case of these kinds is edited (their own form pages, not the generic case page).
 */
import type { CaseSummary } from '@/api/review'
import { ALLIANCE_JOIN, PRODUCT_ENTRY } from '@/api/providers'

type Row = Pick<CaseSummary, 'status' | 'actions'>

/** 继续填写: a draft the owner may still save or submit. */
export function canContinue(c: Row): boolean {
  return c.status === 'draft' && (c.actions.includes('submit') || c.actions.includes('save_draft'))
}

/** 重新提交: a returned case. */
export function canResubmit(c: Row): boolean {
  return c.actions.includes('resubmit')
}

/** The edit page of a case of these kinds, or null for other kinds. */
export function editPath(kind: string, id: string): string | null {
  const enc = encodeURIComponent(id)
  if (kind === ALLIANCE_JOIN) return `/workbench/provider-applications/${enc}/edit`
  if (kind === PRODUCT_ENTRY) return `/workbench/products/${enc}/edit`
  return null
}
