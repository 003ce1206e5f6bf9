/**
 * The case kinds the review pages know, each registered by the capability that owns it (views/orgs/kinds.ts,
 * views/providers/kinds.ts, views/products/kinds.ts, imported together by registeredKinds.ts). The review pages ask here
 * and never name a kind: the server decides what a case may do (`actions`); a kind only says how it is
 * named before the server has named it, where its owner edits it and how its form reads in sections.
 */
import type { Component } from 'vue'
import type { CaseSectionSpec } from './caseSections'

export interface CaseKind {
  /** The kind's code, as the server names it (`kind` of a case). */
  key: string
  /** Its name in the 类型 filters (the server's `kind_name` wins once a response names it). */
  label: string
  /**
   * The owner edits a returned or withdrawn case on the case page (修改并重新提交) with this form. It gets
   * the case as `detail` and emits `updated` / `submitted` (the server's copy), `cancel`, and `conflict`
   * (someone else changed the case: the page reloads it).
   */
  editComponent?: Component
  /** Or on the capability's own form page (服务商申报, 产品申报): its address for a case. */
  editPath?: (caseId: string) => string
  /**
   * How the case page groups the form's rows (by the server's field keys), in the order of the kind's own
   * form; rows left out land in 其他信息. Without it the page shows one 申请内容 section.
   */
  sections?: readonly CaseSectionSpec[]
}

const registry = new Map<string, CaseKind>()

/** Called once per kind by the capability that owns it; registering a key again replaces it (hot reload). */
export function registerCaseKind(kind: CaseKind): void {
  registry.set(kind.key, kind)
}

/** The registered kind of a case, or undefined for a kind no capability here registered. */
export function caseKind(key: string): CaseKind | undefined {
  return registry.get(key)
}

/** Every registered kind, in the order they were registered. */
export function caseKinds(): CaseKind[] {
  return [...registry.values()]
}

/**
 * The options of a 类型 filter: the registered kinds, named as the server last named them, then every
 * other kind the server mentioned in a response (`kind` / `kind_name`), so new kinds appear on their own.
 */
export function caseKindOptions(seen: readonly { kind: string; kind_name: string }[] = []): { value: string; label: string }[] {
  const out = caseKinds().map((k) => ({ value: k.key, label: k.label }))
  for (const s of seen) {
    const existing = out.find((o) => o.value === s.kind)
    if (existing) existing.label = s.kind_name || existing.label
    else if (s.kind) out.push({ value: s.kind, label: s.kind_name || s.kind })
  }
  return out
}
