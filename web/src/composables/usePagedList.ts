import { ref, shallowRef, type Ref } from 'vue'
import { failureText } from '@/api/errors'

/**
 * A list page's state (我的申请, 待办审核, 我的产品, 服务商申报, 产品池, 审核通知): one page of results at a
 * time, `loading` while a request is out, `loaded` once the first answer (or failure) is in, `error` the
 * message of the last failure (the page keeps showing the rows it had). Only the latest request counts;
 * a page past the end (rows deleted meanwhile) moves to the last page.
 *
 * `query` builds the filters' query at 搜索 (`search()`), applied to every page until the next 搜索;
 * `reload()` goes back to the first page (page size changed, tab switched).
 *
 *   const list = usePagedList((paging, q) => listCases({ ...q, ...paging }), { query: () => ({ status: filters.status }) })
 *   onMounted(list.search)
 */
export interface Paging {
  page: number
  page_size: number
}

export interface PageOf {
  items: unknown[]
  total: number
}

export interface PagedListOptions<R, Q> {
  /** The query as the filters give it, taken at each 搜索. */
  query?: () => Q
  /** Whatever else a page of results carries (counts, unread …), taken with its rows. */
  onPage?: (res: R) => void
  pageSize?: number
}

/** What the list templates use (PagedList.vue). */
export interface PagedListState {
  items: Ref<readonly unknown[]>
  total: Ref<number>
  page: Ref<number>
  pageSize: Ref<number>
  loading: Ref<boolean>
  loaded: Ref<boolean>
  error: Ref<string>
  refresh: () => Promise<void>
  reload: () => void
}

export function usePagedList<R extends PageOf, Q = undefined>(
  fetch: (paging: Paging, query: Q) => Promise<R>,
  options: PagedListOptions<R, Q> = {},
) {
  const items = ref([]) as Ref<R['items']>
  const total = ref(0)
  const page = ref(1)
  const pageSize = ref(options.pageSize ?? 10)
  const loading = ref(false)
  const loaded = ref(false)
  const error = ref('')
  /** The query of the last 搜索. */
  const applied = shallowRef(options.query?.() as Q)

  let latest = 0
  async function refresh() {
    const mine = ++latest
    loading.value = true
    try {
      const res = await fetch({ page: page.value, page_size: pageSize.value }, applied.value)
      if (mine !== latest) return
      items.value = res.items
      total.value = res.total
      error.value = ''
      options.onPage?.(res)
      const last = Math.max(1, Math.ceil(res.total / pageSize.value))
      if (page.value > last) {
        page.value = last
        void refresh()
      }
    } catch (e) {
      if (mine !== latest) return
      error.value = failureText(e)
    } finally {
      if (mine === latest) {
        loading.value = false
        loaded.value = true
      }
    }
  }

  /** Back to the first page. */
  function reload() {
    page.value = 1
    void refresh()
  }

  /** Apply the filters (the `query` option) and show their first page. */
  function search() {
    if (options.query) applied.value = options.query()
    reload()
  }

  return { items, total, page, pageSize, loading, loaded, error, applied, refresh, reload, search }
}
