/**
 * The case page's form, grouped for reading (pure, unit-tested). The server sends a case's form as flat rows
 * (`FieldRow`: key, label, value), repeated parts keyed `products[0].name` and labelled `产品1·产品/服务名称`.
 * Each capability says how its kind's rows group (`CaseKind.sections` in kinds.ts); the page shows one card
 * per section with an anchor, and each item of a repeated part (a product) as its own card.
 */
import type { FieldRow } from '@/api/types'

/** A section of a kind's form: the rows of `keys` (in the server's order), or the items of `collection`. */
export interface CaseSectionSpec {
  title: string
  /** Field keys of the section (top-level rows). */
  keys?: readonly string[]
  /** Or a repeated part: `products` for the rows `products[0].…`, `products[1].…`. */
  collection?: string
}

/** One item of a repeated part: 产品1 with its rows (labels without the 产品1· prefix). */
export interface FieldItem {
  /** `products[0]` */
  key: string
  /** `产品1` */
  title: string
  /** The value of its first row (the product's name), '' when empty. */
  name: string
  rows: FieldRow[]
}

export interface FieldSection {
  /** The element id its anchor points at. */
  id: string
  title: string
  rows: FieldRow[]
  items: FieldItem[]
}

const ITEM_KEY = /^([A-Za-z_][A-Za-z0-9_]*)\[(\d+)\]\.(.+)$/
/** The separator the server puts between an item's name and the row label (`产品1·产品/服务名称`). */
const ITEM_LABEL = /^([^·]+)·(.+)$/

/** Where a row belongs: a top-level key, or an item of a repeated part. */
function parseRow(row: FieldRow): { collection: string; index: number; label: string; title: string } | null {
  const m = ITEM_KEY.exec(row.key)
  if (!m) return null
  const index = Number(m[2])
  const label = ITEM_LABEL.exec(row.label)
  return { collection: m[1]!, index, label: label ? label[2]! : row.label, title: label ? label[1]! : `第${index + 1}项` }
}

/** The anchor id of the n-th section. */
export function sectionId(n: number): string {
  return `case-section-${n}`
}

/**
 * The rows in sections: those `spec` names, in its order; the rows it does not name in 其他信息 (or, with
 * no spec at all, in one 申请内容 section); repeated parts it does not name each in a section of their own.
 * Empty sections are left out.
 */
export function groupFields(fields: readonly FieldRow[], spec: readonly CaseSectionSpec[] = []): FieldSection[] {
  const claimed = new Map<string, number>()
  spec.forEach((s, i) => s.keys?.forEach((k) => claimed.set(k, i)))
  const collections = new Map<string, number>()
  spec.forEach((s, i) => {
    if (s.collection) collections.set(s.collection, i)
  })

  const bySpec: { rows: FieldRow[]; items: Map<string, FieldItem> }[] = spec.map(() => ({ rows: [], items: new Map() }))
  const other: FieldRow[] = []
  const extra = new Map<string, Map<string, FieldItem>>()

  for (const row of fields) {
    const part = parseRow(row)
    if (!part) {
      const at = claimed.get(row.key)
      if (at === undefined) other.push(row)
      else bySpec[at]!.rows.push(row)
      continue
    }
    const at = collections.get(part.collection)
    let items = at === undefined ? extra.get(part.collection) : bySpec[at]!.items
    if (!items) {
      items = new Map()
      extra.set(part.collection, items)
    }
    const itemKey = `${part.collection}[${part.index}]`
    let item = items.get(itemKey)
    if (!item) {
      item = { key: itemKey, title: part.title, name: row.value, rows: [] }
      items.set(itemKey, item)
    }
    item.rows.push({ ...row, label: part.label })
  }

  const out: Omit<FieldSection, 'id'>[] = []
  spec.forEach((s, i) => out.push({ title: s.title, rows: bySpec[i]!.rows, items: [...bySpec[i]!.items.values()] }))
  if (other.length) out.push({ title: spec.length ? '其他信息' : '申请内容', rows: other, items: [] })
  for (const items of extra.values()) {
    const list = [...items.values()]
    // 产品1 → 产品信息: the item name without its number.
    out.push({ title: `${list[0]!.title.replace(/\d+$/, '') || '明细'}信息`, rows: [], items: list })
  }
  return out.filter((s) => s.rows.length || s.items.length).map((s, n) => ({ ...s, id: sectionId(n) }))
}

/** A field that holds uploaded files (`license_file_ids`, `products[0].ip_proof_file_ids`). */
export function isFileField(key: string): boolean {
  return /(^|\.)[a-z_]*file_ids$/.test(key)
}
