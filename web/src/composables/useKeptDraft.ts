import { computed, onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue'
import { clearLocalDraft, localDraftKey, readLocalDraft, writeLocalDraft } from '@/utils/localDraft'
import { stableStringify } from '@/views/calls/applicationDraft'

/**
 * What is typed on a long form, kept in this browser until the server has it (a reload, a crash, a refused
 * save or a session timeout loses nothing): `edits` is the form as it would be saved, `saved` the server's copy
 * as last loaded. `open` names the draft (form, user, record) once the record is loaded and answers the kept
 * edits when they started from the record's current version; `clear` after the server has them.
 */
export function useKeptDraft<T extends Record<string, unknown>>(o: {
  edits: Ref<T>
  saved: Ref<T | null>
  names: Ref<Record<string, string>>
  editable: () => boolean
  version: () => number
}) {
  let key = ''
  const restoredAt = ref<string | null>(null)
  const dirty = computed(() => o.saved.value !== null && stableStringify(o.edits.value) !== stableStringify(o.saved.value))

  function keepNow() {
    if (!key || !o.editable()) return
    if (dirty.value) {
      const files = Object.entries(o.names.value).map(([id, name]) => ({ id, name, size: 0 }))
      writeLocalDraft(localStorage, key, { version: o.version(), saved_at: new Date().toISOString(), form: { ...o.edits.value }, files })
    } else clearLocalDraft(localStorage, key)
  }

  /** The kept edits of this record, when they are newer than the server's copy (else forgotten). */
  function open(scope: string, userId: string, id: string): T | null {
    key = localDraftKey(scope, userId, id)
    const local = o.editable() ? readLocalDraft(localStorage, key) : null
    if (local && local.version === o.version()) {
      for (const f of local.files) o.names.value[f.id] ??= f.name
      restoredAt.value = local.saved_at
      return local.form as T
    }
    if (local) clearLocalDraft(localStorage, key)
    restoredAt.value = null
    return null
  }

  /** Whether the record has kept edits from its current version: before `open`, to decide the page's mode. */
  function has(scope: string, userId: string, id: string): boolean {
    const local = readLocalDraft(localStorage, localDraftKey(scope, userId, id))
    return local !== null && local.version === o.version()
  }

  function clear() {
    if (key) clearLocalDraft(localStorage, key)
    restoredAt.value = null
  }

  watch(o.edits, keepNow, { deep: true })
  onMounted(() => window.addEventListener('pagehide', keepNow))
  onBeforeUnmount(() => {
    keepNow()
    window.removeEventListener('pagehide', keepNow)
  })
  return { restoredAt, dirty, open, has, keepNow, clear }
}
