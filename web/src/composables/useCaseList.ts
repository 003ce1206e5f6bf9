import { reactive, ref } from 'vue'
import { ElMessage } from 'element-plus'
import { deleteCase, listCases, type CaseStatus } from '@/api/review'
import type { CaseQuery, CaseSummary } from '@/api/types'
import { ApiError } from '@/api/errors'
import { unlessUnauthenticated } from '@/api/client'
import { IntentKey } from '@/api/idempotency'
import { usePagedList } from '@/composables/usePagedList'
import { confirmWarning } from '@/utils/confirm'

/**
 * The owner's case lists (我的申请, 服务商申报, 我的产品): the organization's cases of `base` (a kind, or all),
 * filtered by 提交时间 and 审核状态 (and 类型 where the page offers it), one page at a time (usePagedList).
 */
export interface CaseFilters {
  range: [string, string] | null
  status: CaseStatus | ''
  kind: string
}

/** The query of the filters: `base` plus what is chosen. */
export function caseFilterQuery(filters: CaseFilters, base: CaseQuery = {}): CaseQuery {
  const q: CaseQuery = { ...base }
  if (filters.range) {
    q.submitted_from = filters.range[0]
    q.submitted_to = filters.range[1]
  }
  if (filters.status) q.status = filters.status
  if (filters.kind) q.kind = filters.kind
  return q
}

export function useCaseList(base: CaseQuery = {}, initial: Partial<CaseFilters> = {}) {
  const filters = reactive<CaseFilters>({ range: null, status: '', kind: '', ...initial })
  const list = usePagedList((paging, q: CaseQuery) => listCases({ ...q, ...paging }, { silent: unlessUnauthenticated }), {
    query: () => caseFilterQuery(filters, base),
  })

  /** 重置: clear the filters and search again. */
  function reset() {
    filters.range = null
    filters.status = ''
    filters.kind = ''
    list.search()
  }

  return { ...list, filters, reset }
}

/** The texts of a list's 删除 (confirmation and success). */
export interface CaseDeleteTexts {
  title: string
  confirm: (c: CaseSummary) => string
  done: string
}

/**
 * 删除 on a case list: confirm, delete, refresh. A row with a delete in flight ignores another click; one
 * intent per row, so confirming again after a network error retries the same delete. A conflict (the case
 * changed meanwhile) refreshes the list.
 */
export function useCaseDelete(refresh: () => Promise<void>, texts: CaseDeleteTexts) {
  /** Rows with a delete in flight (no double submits). */
  const deleting = ref<Set<string>>(new Set())
  /** One intent per row: confirming again after a network error retries the same delete. */
  const intents = new Map<string, IntentKey>()

  async function remove(c: CaseSummary) {
    if (deleting.value.has(c.id)) return
    if (!(await confirmWarning(texts.confirm(c), texts.title))) return
    deleting.value = new Set([...deleting.value, c.id])
    const intent = intents.get(c.id) ?? new IntentKey()
    intents.set(c.id, intent)
    try {
      await deleteCase(c.id, c.version, intent.key())
      intent.settle()
      ElMessage.success(texts.done)
      await refresh()
    } catch (e) {
      intent.settle(e)
      if (e instanceof ApiError && e.status === 409) await refresh()
    } finally {
      const next = new Set(deleting.value)
      next.delete(c.id)
      deleting.value = next
    }
  }

  return { deleting, remove }
}
