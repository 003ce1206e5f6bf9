/**
 * Codes shown with their names (pure, unit-tested): 「C 制造业」 rather than 「C」, 「441302 广东省惠州市惠城区」
 * rather than 「441302」, service scopes by their names. The case page's rows come from the server as text;
 * a row's key says what kind of code it holds, and the names come from the reference data the forms
 * already load (GET /api/industries, /api/regions/{code}, /api/providers/service-scopes).
 */

export type CodeKind = 'industry' | 'region' | 'scope'

/** Names by code, per kind (filled as the reference data arrives). */
export interface CodeBook {
  industry: ReadonlyMap<string, string>
  region: ReadonlyMap<string, string>
  scope: ReadonlyMap<string, string>
}

/** What a field's key says it holds: `industry_code`, `products[0].industry_code`, `region_code`, `service_scopes`. */
export function codeKind(key: string): CodeKind | null {
  const last = key.slice(key.lastIndexOf('.') + 1)
  if (last === 'industry_code') return 'industry'
  if (last === 'region_code') return 'region'
  if (last === 'service_scopes' || last === 'service_scope') return 'scope'
  return null
}

const INDUSTRY = /^(?:[A-T]|\d{2,4})$/
const REGION = /^(?:\d{6}|\d{9})$/
/** 「制造业（C）」 / 「惠城区（441302）」: how the server writes a name with its code. */
const NAMED = /^(.*)[（(]([A-Z0-9]+)[）)]$/

/** The code a displayed value carries (bare or as 「name（code）」), or null. */
export function codeIn(kind: 'industry' | 'region', value: string): string | null {
  const v = value.trim()
  const pattern = kind === 'industry' ? INDUSTRY : REGION
  if (pattern.test(v)) return v
  const m = NAMED.exec(v)
  return m && pattern.test(m[2]!) ? m[2]! : null
}

/** Scope codes in a value such as `a、b` or `a,b`. */
function scopeParts(value: string): string[] {
  return value
    .split(/[、,，]/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/**
 * The value with its codes named: an industry or region as 「code name」, scopes by name. A value whose code
 * the book does not know (yet) stays as the server wrote it.
 */
export function withNames(key: string, value: string, book: CodeBook): string {
  const kind = codeKind(key)
  if (!kind || !value) return value
  if (kind === 'scope') return scopeParts(value).map((c) => book.scope.get(c) ?? c).join('、')
  const code = codeIn(kind, value)
  const name = code ? book[kind].get(code) : undefined
  return code && name ? `${code} ${name}` : value
}

/** The codes of `kind` the rows mention (to fetch the names of regions one by one). */
export function codesOf(kind: 'industry' | 'region', rows: readonly { key: string; value: string }[]): string[] {
  const out = new Set<string>()
  for (const r of rows) {
    if (codeKind(r.key) !== kind) continue
    const c = codeIn(kind, r.value)
    if (c) out.add(c)
  }
  return [...out]
}
