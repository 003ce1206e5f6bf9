import { listCases, fetchCase } from '@/api/review'
import { ALLIANCE_JOIN } from '@/api/providers'
import type { CallOptions } from '@/api/client'

/**
 * The products of a provider's first application (服务商首次申报) while that application is still being
 * reviewed. Their own product reviews (product_entry cases) start only when the lead unit approves the
 * application (providers/alliance.rs), yet the application's confirmation tells the provider to follow them
 * in 我的产品: they are shown there from the moment they are submitted, with the application's status.
 */
export interface PendingProduct {
  name: string
  categories: string
  submittedAt: string | null
  /** 随首次申报审核中 or 首次申报已退回. */
  status: string
  returned: boolean
  orgName: string | null
  /** The first application's case, where the product can be seen. */
  caseId: string
}

function text(v: unknown): string {
  return typeof v === 'string' ? v.trim() : ''
}

export async function loadPendingProducts(options?: CallOptions): Promise<PendingProduct[]> {
  const out: PendingProduct[] = []
  for (const status of ['in_review', 'returned'] as const) {
    const page = await listCases({ kind: ALLIANCE_JOIN, status, page_size: 20 }, options)
    for (const c of page.items) {
      const detail = await fetchCase(c.id, options)
      const form = (detail.form ?? {}) as Record<string, unknown>
      if (form.application !== 'first') continue
      const products = Array.isArray(form.products) ? (form.products as Record<string, unknown>[]) : []
      for (const p of products) {
        const categories = Array.isArray(p.categories) ? (p.categories as unknown[]).map(text).filter(Boolean).join('、') : ''
        out.push({
          name: text(p.name) || '（未命名产品）',
          categories,
          submittedAt: c.submitted_at ?? null,
          status: status === 'returned' ? '首次申报已退回' : '随首次申报审核中',
          returned: status === 'returned',
          orgName: c.latest_org_name ?? null,
          caseId: c.id,
        })
      }
    }
  }
  return out
}
