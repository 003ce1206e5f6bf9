import { computed, onBeforeUnmount, onMounted, ref, shallowRef, watch, type Ref } from 'vue'
import { actOnCase, createCase, fetchCase, saveCaseForm, type ActionCode } from '@/api/review'
import type { CaseDetail } from '@/api/types'
import { ApiError } from '@/api/errors'
import { unlessUnauthenticated } from '@/api/client'
import { IntentKey } from '@/api/idempotency'
import { clearLocalDraft, fileNames, localDraftKey, readLocalDraft, writeLocalDraft, type DraftFile, type FileNames } from '@/utils/localDraft'
import { currentErrors, normalizeField, problemMap, snapshotAt, type FieldProblem } from '@/utils/fieldPaths'
import { confirmSubmission } from '@/utils/confirm'

/**
 * A module's own edit page of a review case (服务商申报, 产品申报): the draft created on the first 保存
 * (POST /api/review/cases), saved with PUT …/form, submitted with the `submit` / `resubmit` action (an
 * idempotency key per intent). Until the server has the edits they are kept in this browser
 * (localStorage), so a reload, a crash or a refused save loses nothing. Problems are shown by field path:
 * the page's own checks (after the first 提交, kept up to date as the user types) and the server's 422
 * field errors (each shown until its field changes).
 */
export interface CaseDraftOptions<V> {
  kind: string
  /** localStorage scope, e.g. `providers.application`. */
  scope: string
  read: (form: Record<string, unknown>, names: FileNames) => V
  write: (values: V, base: Record<string, unknown>) => Record<string, unknown>
  files: (values: V) => DraftFile[]
  validate: (values: V) => FieldProblem[]
}

export type DraftState = 'loading' | 'ready' | 'failed' | 'locked'

export function useCaseDraft<V extends object>(opts: CaseDraftOptions<V>) {
  const values = ref(opts.read({}, new Map())) as Ref<V>
  const caseId = ref<string | null>(null)
  const detail = shallowRef<CaseDetail | null>(null)
  /** The form as the server has it (or the starting form of a new draft). */
  const serverForm = shallowRef<Record<string, unknown>>({})
  const serverVersion = ref(0)
  /** What `write(values)` gave when the values last matched the server (dirty = differs from it). */
  const savedSnapshot = ref('')
  const restoredAt = ref<string | null>(null)
  const failure = ref('')
  /** The error `failure` reports, so that a reload after a conflict adds to its text only while it is shown. */
  let failureCause: unknown = null
  function showFailure(text: string, cause: unknown = null) {
    failure.value = text
    failureCause = cause
  }
  let owner = ''
  let localKey = ''

  const current = () => opts.write(values.value, serverForm.value)
  const dirty = computed(() => JSON.stringify(current()) !== savedSnapshot.value)

  function keyFor(id: string) {
    return localDraftKey(opts.scope, owner, id)
  }

  // Load --------------------------------------------------------------------------------------------

  /**
   * Start editing: an existing case (`detail`), or a new draft from `form` (empty, or the 再次申报 template)
   * remembered locally under `newId` until it is first saved. Unsaved edits kept in this browser come back
   * (`restoredAt` says so) when they differ from the server's copy.
   */
  function start(args: { owner: string; detail?: CaseDetail; form?: Record<string, unknown>; newId?: string; names?: readonly DraftFile[] }) {
    owner = args.owner
    detail.value = args.detail ?? null
    caseId.value = args.detail?.id ?? null
    serverForm.value = args.detail?.form ?? args.form ?? {}
    serverVersion.value = args.detail?.version ?? 0
    localKey = keyFor(args.detail?.id ?? args.newId ?? 'new')
    const names = fileNames(args.detail?.attachments ?? [], args.names ?? [])
    values.value = opts.read(serverForm.value, names)
    savedSnapshot.value = JSON.stringify(current())
    restoredAt.value = null
    const local = readLocalDraft(localStorage, localKey)
    if (local) {
      const restored = opts.read(local.form, fileNames(local.files, [...names.values()]))
      if (JSON.stringify(opts.write(restored, serverForm.value)) !== savedSnapshot.value) {
        values.value = restored
        restoredAt.value = local.saved_at
      } else {
        clearLocalDraft(localStorage, localKey)
      }
    }
    attempted.value = false
    serverErrors.value = {}
    serverSnapshots.value = {}
    showFailure('')
  }

  /** Throw away the edits kept in this browser: back to the server's copy. */
  function discardLocal() {
    const names = fileNames(detail.value?.attachments ?? [], opts.files(values.value))
    values.value = opts.read(serverForm.value, names)
    clearLocalDraft(localStorage, localKey)
    restoredAt.value = null
    attempted.value = false
    serverErrors.value = {}
    showFailure('')
  }

  // Keep unsaved edits locally ------------------------------------------------------------------------
  let timer: ReturnType<typeof setTimeout> | null = null
  function keepLocally() {
    if (timer) clearTimeout(timer)
    timer = null
    if (!localKey) return
    if (dirty.value) {
      writeLocalDraft(localStorage, localKey, {
        version: serverVersion.value,
        saved_at: new Date().toISOString(),
        form: current(),
        files: opts.files(values.value),
      })
    } else {
      clearLocalDraft(localStorage, localKey)
    }
  }
  watch(
    values,
    () => {
      if (timer) clearTimeout(timer)
      timer = setTimeout(keepLocally, 300)
    },
    { deep: true },
  )
  // Closing or reloading the page keeps the edits here (no "leave page?" prompt: nothing is lost).
  onMounted(() => {
    window.addEventListener('pagehide', keepLocally)
    window.addEventListener('beforeunload', keepLocally)
  })
  onBeforeUnmount(() => {
    if (timer) keepLocally()
    window.removeEventListener('pagehide', keepLocally)
    window.removeEventListener('beforeunload', keepLocally)
  })

  // Problems --------------------------------------------------------------------------------------------
  /** Whether 提交 was tried: from then on the page's checks follow the typing. */
  const attempted = ref(false)
  const serverErrors = ref<Record<string, string>>({})
  const serverSnapshots = ref<Record<string, string>>({})

  const clientProblems = computed(() => (attempted.value ? opts.validate(values.value) : []))
  /** Messages by field path (the page's checks first, then what the server said and still applies). */
  const errors = computed<Record<string, string>>(() => {
    const fromServer = currentErrors(serverErrors.value, serverSnapshots.value, current())
    return { ...fromServer, ...problemMap(clientProblems.value) }
  })
  /** The problems in order (for the summary): the page's own, then the server's not already listed. */
  const problems = computed<FieldProblem[]>(() => {
    const list = clientProblems.value.map((p) => ({ field: normalizeField(p.field), message: p.message }))
    const seen = new Set(list.map((p) => p.field))
    for (const [field, message] of Object.entries(currentErrors(serverErrors.value, serverSnapshots.value, current()))) {
      if (!seen.has(field)) list.push({ field, message })
    }
    return list
  })

  function applyServerErrors(e: ApiError): boolean {
    if (!e.fields.length) return false
    const form = current()
    const errs: Record<string, string> = {}
    const snaps: Record<string, string> = {}
    for (const f of e.fields) {
      const path = normalizeField(f.field)
      if (path in errs) continue
      errs[path] = f.message
      snaps[path] = snapshotAt(form, path)
    }
    serverErrors.value = errs
    serverSnapshots.value = snaps
    return true
  }

  // Save and submit -------------------------------------------------------------------------------------
  const saving = ref(false)
  const submitting = ref(false)
  const busy = computed(() => saving.value || submitting.value)
  const createIntent = new IntentKey()
  const submitIntent = new IntentKey()

  /**
   * After a 409: read the case again. When someone else saved in between (its version moved on), later saves
   * start from the newest version and the message says so; the values typed here stay as they are.
   */
  async function reloadAfterConflict(e: ApiError) {
    if (!caseId.value) return
    try {
      const d = await fetchCase(caseId.value, { silent: unlessUnauthenticated })
      if (d.version === serverVersion.value) return
      detail.value = d
      serverForm.value = d.form ?? {}
      serverVersion.value = d.version
      savedSnapshot.value = JSON.stringify(opts.write(opts.read(d.form ?? {}, fileNames(d.attachments)), d.form ?? {}))
      if (failureCause === e) failure.value = `${e.message}。已读取最新版本，您填写的内容仍保留在页面上，请核对后再次操作。`
    } catch {
      /* the next save says what is wrong */
    }
  }

  function describe(e: unknown): string {
    if (!(e instanceof ApiError)) return '操作失败，请稍后重试'
    if (e.status === 409) void reloadAfterConflict(e)
    if (e.status === 0) return `${e.message}。您填写的内容已暂存在本机，可稍后再次保存。`
    return e.message
  }

  /** Create the draft or PUT the form; the server's copy afterwards. Throws ApiError. */
  async function saveToServer(): Promise<CaseDetail> {
    const form = current()
    let saved: CaseDetail
    if (!caseId.value) {
      try {
        saved = await createCase(opts.kind, form, createIntent.key(), { silent: unlessUnauthenticated })
        createIntent.settle()
      } catch (e) {
        createIntent.settle(e)
        throw e
      }
      // Unsaved edits now belong to the case.
      clearLocalDraft(localStorage, localKey)
      caseId.value = saved.id
      localKey = keyFor(saved.id)
    } else {
      saved = await saveCaseForm(caseId.value, form, serverVersion.value, { silent: unlessUnauthenticated })
    }
    detail.value = saved
    serverForm.value = saved.form ?? form
    serverVersion.value = saved.version
    savedSnapshot.value = JSON.stringify(current())
    clearLocalDraft(localStorage, localKey)
    restoredAt.value = null
    return saved
  }

  /** 保存: the draft as it is (no checks beyond what the server needs to store it). */
  async function save(): Promise<CaseDetail | null> {
    if (busy.value) return null
    showFailure('')
    saving.value = true
    try {
      const d = await saveToServer()
      serverErrors.value = {}
      return d
    } catch (e) {
      if (!(e instanceof ApiError && applyServerErrors(e))) showFailure(describe(e), e)
      else showFailure(e.message, e)
      keepLocally()
      return null
    } finally {
      saving.value = false
    }
  }

  /** The submit action the case allows (a returned case is resubmitted). */
  const submitAction = computed<ActionCode>(() => (detail.value?.actions.includes('resubmit') ? 'resubmit' : 'submit'))

  /**
   * 提交: the page's checks (false and the problems shown when any), save when the server's copy differs,
   * then the submit action with the case version. The submitted case, or null.
   */
  async function submit(): Promise<CaseDetail | null> {
    if (busy.value) return null
    showFailure('')
    attempted.value = true
    serverErrors.value = {}
    if (opts.validate(values.value).length) return null
    if (!(await confirmSubmission(submitAction.value === 'resubmit' ? 'resubmit' : 'submit'))) return null
    submitting.value = true
    try {
      if (!caseId.value || dirty.value) await saveToServer()
      const action = submitAction.value
      const result = await actOnCase(caseId.value!, { action, version: serverVersion.value }, submitIntent.key(), {
        silent: unlessUnauthenticated,
      })
      submitIntent.settle()
      detail.value = result
      serverVersion.value = result.version
      clearLocalDraft(localStorage, localKey)
      return result
    } catch (e) {
      submitIntent.settle(e)
      if (e instanceof ApiError && applyServerErrors(e)) showFailure(e.message, e)
      else showFailure(describe(e), e)
      keepLocally()
      return null
    } finally {
      submitting.value = false
    }
  }

  return {
    values,
    caseId,
    detail,
    serverForm,
    dirty,
    restoredAt,
    failure,
    errors,
    problems,
    attempted,
    saving,
    submitting,
    busy,
    submitAction,
    start,
    discardLocal,
    keepLocally,
    save,
    submit,
  }
}
