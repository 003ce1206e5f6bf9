/** How approved products read in lists, pools and the catalogue (pure). */
import type { AllianceMember } from '@/api/types'
import { fenFromYuan, formatWan } from '@/utils/money'

/**
 * 报价 in 万元 from the API's amounts (decimal strings of yuan, "25000.00"), exactly: "2.50 - 18.00 万元", one
 * side when only one is known, "面议" when none.
 */
export function priceRange(min: string | null | undefined, max: string | null | undefined): string {
  const wan = (yuan: string | null | undefined) => {
    const fen = fenFromYuan(yuan)
    return fen === null ? '' : formatWan(fen)
  }
  const lo = wan(min)
  const hi = wan(max)
  if (lo && hi) return lo === hi ? `${lo} 万元` : `${lo} - ${hi} 万元`
  if (lo) return `${lo} 万元起`
  if (hi) return `${hi} 万元以内`
  return '面议'
}

/** The first `max` characters of a description on one line, with … when cut. */
export function excerpt(text: string | null | undefined, max = 80): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim()
  const chars = Array.from(flat)
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : flat
}

/** A lead unit member's products in the pool, counted. */
export function memberProducts(products: AllianceMember['products'] | null | undefined): string {
  return typeof products === 'number' && Number.isFinite(products) ? `${products} 个` : '—'
}

/** The industry as "C 制造业", or the code, or —. */
export function industryText(code: string | null | undefined, name: string | null | undefined): string {
  if (code && name) return `${code} ${name}`
  return name || code || '—'
}
