/**
 * Unsaved edits of a long form kept in this browser (localStorage) until the server has them: the form
 * JSON as it would be saved, the names of the files it refers to (the JSON holds only ids), the case
 * version the edits started from and when they were kept. A reload, a crash or a refused save loses
 * nothing; 保存 clears it.
 */

export interface DraftFile {
  id: string
  name: string
  size: number
}

/** Names of stored files by id (the case's attachments, files uploaded or restored here). */
export type FileNames = ReadonlyMap<string, DraftFile>

export function fileNames(...lists: readonly (readonly { id: string; name: string; size?: number | null }[])[]): Map<string, DraftFile> {
  const out = new Map<string, DraftFile>()
  for (const list of lists) for (const f of list) if (f.id && !out.has(f.id)) out.set(f.id, { id: f.id, name: f.name, size: f.size ?? 0 })
  return out
}

export interface LocalDraft {
  /** The case version the edits started from (0 for a form not saved yet). */
  version: number
  saved_at: string
  form: Record<string, unknown>
  files: DraftFile[]
}

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

/** `scope` names the form (e.g. `providers.application`), `owner` the user, `id` the case or `new-…`. */
export function localDraftKey(scope: string, owner: string, id: string): string {
  return `shuzhuan.${scope}.${owner}.${id}.v1`
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function readLocalDraft(store: KeyValueStore, key: string): LocalDraft | null {
  try {
    const raw = store.getItem(key)
    if (!raw) return null
    const d = JSON.parse(raw) as unknown
    if (!isRecord(d) || !isRecord(d.form)) return null
    const files = Array.isArray(d.files)
      ? d.files.filter(isRecord).map((f) => ({ id: String(f.id ?? ''), name: String(f.name ?? ''), size: Number(f.size) || 0 })).filter((f) => f.id)
      : []
    return {
      version: typeof d.version === 'number' ? d.version : 0,
      saved_at: typeof d.saved_at === 'string' ? d.saved_at : '',
      form: d.form,
      files,
    }
  } catch {
    return null
  }
}

export function writeLocalDraft(store: KeyValueStore, key: string, draft: LocalDraft): void {
  try {
    store.setItem(key, JSON.stringify(draft))
  } catch {
    /* storage full or disabled: the server copy is saved with 保存 */
  }
}

export function clearLocalDraft(store: KeyValueStore, key: string): void {
  try {
    store.removeItem(key)
  } catch {
    /* ignore */
  }
}
