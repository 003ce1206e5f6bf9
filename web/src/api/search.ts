/** 站内搜索 (issue 20): published portal content, calls and catalogue products, in Chinese. */
import { api, call, type CallOptions } from './client'
import type { SearchResults } from './types'

export function siteSearch(query: { q: string; kind?: string; page?: number }, options?: CallOptions): Promise<SearchResults> {
  return call(api.GET('/api/search', { params: { query } }), options)
}
