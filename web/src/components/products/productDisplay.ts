/** How approved products read in lists, pools and the catalogue (pure). */

/** 万元 with two decimals (the manuals' money unit). */
export function formatWan(v: number | null | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(2) : ''
}

/** 报价: "5.00 - 20.00 万元", one side when only one is known, "面议" when none. */
export function priceRange(min: number | null | undefined, max: number | null | undefined): string {
  const lo = formatWan(min)
  const hi = formatWan(max)
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

/** A lead unit member's products: a count or their names. */
export function memberProducts(products: number | string[] | null | undefined): string {
  if (Array.isArray(products)) return products.length ? products.join('、') : '—'
  if (typeof products === 'number' && Number.isFinite(products)) return `${products} 个`
  return '—'
}

/** The industry as "C 制造业", or the code, or —. */
export function industryText(code: string | null | undefined, name: string | null | undefined): string {
  if (code && name) return `${code} ${name}`
  return name || code || '—'
}
