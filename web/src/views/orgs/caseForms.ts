/**
 * The owner's edit form of a returned (or withdrawn) case of the organization's kinds, shown on the case
 * page (修改并重新提交, OrgCaseEditForm.vue): which fields, how they are read from the raw `form` JSON and
 * written back (keys the page does not edit, such as attachments, are kept as they are), and the unsaved
 * edits kept in this browser until the server has them.
 */
import type { INFO_CHANGE, PROVIDER_CERTIFICATION } from '@/api/orgs'
import { localDraftKey } from '@/utils/localDraft'

export type EditableKind = typeof INFO_CHANGE | typeof PROVIDER_CERTIFICATION

export interface EditValues {
  name: string
  uscc: string
  region_code: string | null
  /** The chosen region's own name, kept next to its code for the read-only view (follows region_code). */
  region_name: string
  contact_name: string
  contact_phone: string
  service_scopes: string[]
  introduction: string
}

export type EditField = keyof EditValues

/** Fields of each kind, in form order, with their labels (the server's field errors use the same keys). */
export const EDIT_FIELDS: Record<EditableKind, { key: EditField; label: string }[]> = {
  info_change: [
    { key: 'name', label: '企业名称' },
    { key: 'uscc', label: '统一社会信用代码' },
    { key: 'region_code', label: '所属地区' },
    { key: 'contact_name', label: '联系人' },
    { key: 'contact_phone', label: '联系电话' },
  ],
  provider_certification: [
    { key: 'service_scopes', label: '服务范围' },
    { key: 'introduction', label: '企业简介' },
    { key: 'contact_name', label: '联系人' },
    { key: 'contact_phone', label: '联系电话' },
  ],
}

/** The server's limits (crates/server/src/orgs/certification.rs). */
export const INTRODUCTION_MAX = 2000
export const CONTACT_NAME_MAX = 50

export function isEditableKind(kind: string): kind is EditableKind {
  return kind in EDIT_FIELDS
}

export function fieldLabels(kind: EditableKind): Record<string, string> {
  return Object.fromEntries(EDIT_FIELDS[kind].map((f) => [f.key, f.label]))
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : ''
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
}

/** The edit form's values read from the raw form (missing or mistyped keys become empty). */
export function readValues(form: Record<string, unknown> | null | undefined): EditValues {
  const f = form ?? {}
  const region = str(f.region_code)
  return {
    name: str(f.name),
    uscc: str(f.uscc),
    region_code: region || null,
    region_name: str(f.region_name),
    contact_name: str(f.contact_name),
    contact_phone: str(f.contact_phone),
    service_scopes: strings(f.service_scopes),
    introduction: str(f.introduction),
  }
}

/**
 * The raw form to save: the original form with this kind's fields replaced by the edited values
 * (text trimmed, the credit code in capitals). Other keys are kept untouched.
 */
export function writeValues(kind: EditableKind, form: Record<string, unknown> | null | undefined, values: EditValues): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(form ?? {}) }
  for (const { key } of EDIT_FIELDS[kind]) {
    const v = values[key]
    if (key === 'uscc') out[key] = String(v ?? '').trim().toUpperCase()
    else if (key === 'region_code') {
      out.region_code = v || null
      out.region_name = values.region_code ? values.region_name : ''
    }
    else if (key === 'service_scopes') out[key] = [...(v as string[])]
    else if (key === 'introduction') out[key] = String(v ?? '').trim()
    else out[key] = String(v ?? '').trim()
  }
  return out
}

/** Whether the edited values differ from the form (only this kind's fields count). */
export function isDirty(kind: EditableKind, form: Record<string, unknown> | null | undefined, values: EditValues): boolean {
  const saved = readValues(form)
  return EDIT_FIELDS[kind].some(({ key }) => JSON.stringify(saved[key]) !== JSON.stringify(values[key]))
}

// ---------------------------------------------------------------------------------------------
// Unsaved edits in localStorage
// ---------------------------------------------------------------------------------------------

export interface LocalEdit {
  /** The case version the edits started from. */
  version: number
  saved_at: string
  values: EditValues
}

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

/** Per user and case: another user of the same browser (a shared office computer) never sees these edits. */
export function localEditKey(owner: string, caseId: string): string {
  return localDraftKey('review.edit', owner, caseId)
}

export function readLocalEdit(store: KeyValueStore, key: string): LocalEdit | null {
  try {
    const raw = store.getItem(key)
    if (!raw) return null
    const d = JSON.parse(raw) as unknown
    if (!d || typeof d !== 'object') return null
    const r = d as Record<string, unknown>
    if (!r.values || typeof r.values !== 'object') return null
    return {
      version: typeof r.version === 'number' ? r.version : 0,
      saved_at: typeof r.saved_at === 'string' ? r.saved_at : '',
      values: readValues(r.values as Record<string, unknown>),
    }
  } catch {
    return null
  }
}

export function writeLocalEdit(store: KeyValueStore, key: string, edit: LocalEdit): void {
  try {
    store.setItem(key, JSON.stringify(edit))
  } catch {
    /* storage full or disabled: the server copy is saved with 保存 */
  }
}

export function clearLocalEdit(store: KeyValueStore, key: string): void {
  try {
    store.removeItem(key)
  } catch {
    /* ignore */
  }
}
