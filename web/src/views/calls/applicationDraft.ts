/**
 * The application page's edits (003 §5.4, 004 §三): the form's values, the files of each attachment item,
 * the declaration, the chosen self-assessment and the stamped 申报书; what 保存 sends; what is kept in this
 * browser until the server has it (localStorage, per user and application: a failed save, a closed tab or a
 * crash loses nothing); and where each problem of a refused 提交 is shown.
 */
import type { Application, ApplicationInput, AttachmentItem, FileRef } from '@/api/calls'
import { clearLocalDraft, localDraftKey, readLocalDraft, writeLocalDraft, type LocalDraft } from '@/utils/localDraft'

export interface ApplicationEdits {
  values: Record<string, unknown>
  /** Files by attachment item key. */
  attachments: Record<string, FileRef[]>
  declaration_confirmed: boolean
  assessment_id: string | null
  stamped_file: FileRef | null
}

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v ?? null)) as T

/** The edits as the server has them. */
export function editsOf(app: Pick<Application, 'values' | 'attachments' | 'declaration_confirmed' | 'assessment_id' | 'stamped_file'>): ApplicationEdits {
  const attachments: Record<string, FileRef[]> = {}
  for (const [k, files] of Object.entries(app.attachments ?? {})) if (files.length) attachments[k] = clone(files)
  return {
    values: clone(app.values ?? {}) ?? {},
    attachments,
    declaration_confirmed: !!app.declaration_confirmed,
    assessment_id: app.assessment_id ?? null,
    stamped_file: app.stamped_file ? clone(app.stamped_file) : null,
  }
}

/** What 保存 sends: files by id, and the version the page last read. Items without files are left out. */
export function payloadOf(edits: ApplicationEdits, version: number): ApplicationInput {
  const attachments: Record<string, string[]> = {}
  for (const [k, files] of Object.entries(edits.attachments)) if (files.length) attachments[k] = files.map((f) => f.id)
  return {
    values: edits.values,
    attachments,
    declaration_confirmed: edits.declaration_confirmed,
    assessment_id: edits.assessment_id,
    stamped_file_id: edits.stamped_file?.id ?? null,
    version,
  }
}

/** JSON with object keys sorted, so that two equal edits read the same whatever order keys were added in. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(',')}}`
  }
  return JSON.stringify(v ?? null)
}

/** The edits as one comparable text (file names and the version left out: only what the server stores). */
export function snapshotOf(edits: ApplicationEdits): string {
  const { version: _version, ...rest } = payloadOf(edits, 0)
  return stableStringify(rest)
}

// ---------------------------------------------------------------------------------------------
// Kept in this browser
// ---------------------------------------------------------------------------------------------

export function draftKey(userId: string, applicationId: string): string {
  return localDraftKey('calls.application', userId, applicationId)
}

/** Keep the edits here (with the names of their files: the stored form holds only ids). */
export function keepLocally(store: KeyValueStore, key: string, edits: ApplicationEdits, version: number, now = new Date()): void {
  const { version: _v, ...form } = payloadOf(edits, version)
  const files = [...Object.values(edits.attachments).flat(), ...(edits.stamped_file ? [edits.stamped_file] : [])]
  writeLocalDraft(store, key, { version, saved_at: now.toISOString(), form: form as unknown as Record<string, unknown>, files })
}

export function forgetLocal(store: KeyValueStore, key: string): void {
  clearLocalDraft(store, key)
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Edits from a kept copy; files named by the kept names, else the server's `file_names`. */
export function editsFromLocal(local: LocalDraft, fileNames: Readonly<Record<string, string>>): ApplicationEdits {
  const names = new Map<string, FileRef>()
  for (const f of local.files) names.set(f.id, { id: f.id, name: f.name, size: f.size })
  const ref = (id: string): FileRef => names.get(id) ?? { id, name: fileNames[id] ?? '已上传的文件', size: 0 }
  const form = local.form
  const attachments: Record<string, FileRef[]> = {}
  if (isRecord(form.attachments)) {
    for (const [k, ids] of Object.entries(form.attachments)) {
      if (Array.isArray(ids)) {
        const files = ids.filter((x): x is string => typeof x === 'string' && x !== '').map(ref)
        if (files.length) attachments[k] = files
      }
    }
  }
  const stamped = typeof form.stamped_file_id === 'string' && form.stamped_file_id ? ref(form.stamped_file_id) : null
  return {
    values: isRecord(form.values) ? form.values : {},
    attachments,
    declaration_confirmed: form.declaration_confirmed === true,
    assessment_id: typeof form.assessment_id === 'string' && form.assessment_id ? form.assessment_id : null,
    stamped_file: stamped,
  }
}

export interface Recovered {
  edits: ApplicationEdits
  /** When the kept copy was written (ISO), or null when nothing was restored. */
  restoredAt: string | null
}

/**
 * The edits to start the page with: the kept copy when it differs from the server's (a failed save, a closed
 * tab), else the server's, and the kept copy is dropped. A submitted application (no longer editable)
 * shows the server's copy and drops what was kept.
 */
export function recover(store: KeyValueStore, key: string, app: Application): Recovered {
  const server = editsOf(app)
  const local = readLocalDraft(store, key)
  if (!local) return { edits: server, restoredAt: null }
  if (!app.editable) {
    clearLocalDraft(store, key)
    return { edits: server, restoredAt: null }
  }
  const restored = editsFromLocal(local, app.file_names ?? {})
  if (snapshotOf(restored) === snapshotOf(server)) {
    clearLocalDraft(store, key)
    return { edits: server, restoredAt: null }
  }
  return { edits: restored, restoredAt: local.saved_at || '' }
}

// ---------------------------------------------------------------------------------------------
// Problems of a refused 提交
// ---------------------------------------------------------------------------------------------

export type ApplicationTab = 'form' | 'attachments' | 'document'

/** Where a problem is shown: the tab of the form, the attachments or the 申报书; the declaration and the
 * self-assessment are above the tabs (`null`). */
export function tabOfProblem(field: string): ApplicationTab | null {
  if (field.startsWith('attachments')) return 'attachments'
  if (field === 'stamped_file_id') return 'document'
  if (field === 'declaration_confirmed' || field === 'assessment_id') return null
  return 'form'
}

/** The form's problems as the renderer takes them: value paths without `values.` (`finance[1].revenue`). */
export function formErrors(problems: readonly { field: string; message: string }[]): { field: string; message: string }[] {
  return problems.filter((p) => p.field.startsWith('values.')).map((p) => ({ field: p.field.slice('values.'.length), message: p.message }))
}

/** The attachment items' errors by item key. */
export function attachmentErrors(problems: readonly { field: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of problems) {
    const m = /^attachments\.([^.[\]]+)/.exec(p.field)
    if (m && !(m[1]! in out)) out[m[1]!] = p.message
  }
  return out
}

/** The first problem's tab, to switch to after a refused 提交. */
export function firstProblemTab(problems: readonly { field: string }[]): ApplicationTab | null {
  for (const p of problems) {
    const t = tabOfProblem(p.field)
    if (t) return t
  }
  return null
}

/** The shape of a form schema this module reads (labels for the summary). */
interface SchemaLike {
  sections: { title: string; fields: { key: string; label?: string; type: string; columns?: { key: string; label?: string }[] }[] }[]
}

/**
 * A problem's name in the summary: 「一、基本情况 · 项目名称」, 「经营情况 第2行 营业收入」, 「附件：审计报告」,
 * 「申报材料真实性声明」, 「数字化水平自评」, 「盖章申报书」.
 */
export function problemLabel(field: string, schema: SchemaLike | null, items: readonly Pick<AttachmentItem, 'key' | 'title'>[]): string {
  if (field === 'declaration_confirmed') return '申报材料真实性声明'
  if (field === 'assessment_id') return '数字化水平自评'
  if (field === 'stamped_file_id') return '盖章申报书'
  const att = /^attachments\.([^.[\]]+)/.exec(field)
  if (att) return `附件：${items.find((i) => i.key === att[1])?.title ?? att[1]}`
  const m = /^values\.([a-z][a-z0-9_]*)(?:\[(\d+)\]\.([a-z][a-z0-9_]*))?/.exec(field)
  if (!m || !schema) return field.replace(/^values\./, '')
  const [, key, row, column] = m
  for (const s of schema.sections) {
    for (const f of s.fields) {
      const own = f.key === key
      const other = !own && `${f.key}_other` === key
      if (!own && !other) continue
      const label = `${f.label ?? f.key}${other ? '（其他）' : ''}`
      if (row !== undefined && f.columns) {
        const col = f.columns.find((c) => c.key === column)
        return `${label} 第${Number(row) + 1}行 ${col?.label ?? column}`
      }
      return label
    }
  }
  return key!
}
