import { computed, nextTick, ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { ElMessage, ElMessageBox } from 'element-plus'
import { fetchCase } from '@/api/review'
import { lookupFileNames } from '@/api/files'
import type { CaseDetail } from '@/api/types'
import { ApiError, failureText } from '@/api/errors'
import { unlessUnauthenticated } from '@/api/client'
import type { useCaseDraft } from '@/composables/useCaseDraft'
import { formFileIds } from '@/utils/fieldPaths'
import type { DraftFile } from '@/utils/localDraft'

/**
 * The page around a module's own case form (服务商申报, 产品申报; useCaseDraft): the page's state (loading,
 * ready, failed, closed: the case can no longer be edited), the latest return, the problem summary,
 * 保存 / 提交 with the address following the draft (…/new becomes …/:id/edit on its first 保存), and
 * 返回列表 offering to save first. CaseFormFrame.vue shows it.
 */
export type CaseDraft<V extends object> = ReturnType<typeof useCaseDraft<V>>

export type CaseFormState = 'loading' | 'ready' | 'failed' | 'closed'

export interface CaseFormPageOptions {
  /** The case kind the page edits. */
  kind: string
  /** The case as the page's messages name it (该申报, 该产品申报). */
  subject: string
  /** The list the page returns to. */
  list: string
  /** The route of a saved case's form (`params.id`). */
  editRoute: string
  /** The label of a field path (problem summary). */
  fieldLabel: (path: string) => string
  /** Bring a field into view (after its tab or card is opened). */
  focus: (path: string) => unknown
  /** Said after 保存. */
  saved: string
  /** Said after 提交. */
  submitted: () => string
}

/** Whether the owner may still edit the case here: a draft or a returned case the server lets them save or submit. */
function editableCase(d: CaseDetail): boolean {
  const may = d.actions.includes('save_draft') || d.actions.includes('submit') || d.actions.includes('resubmit')
  return may && (d.status === 'draft' || d.status === 'returned')
}

/** Names of the files a form names that the page does not know yet (looked up among the organization's files). */
export async function missingFileNames(form: Record<string, unknown>, known: readonly { id: string }[]): Promise<DraftFile[]> {
  const have = new Set(known.map((f) => f.id))
  const missing = formFileIds(form).filter((id) => !have.has(id))
  if (!missing.length) return []
  try {
    return await lookupFileNames(missing)
  } catch {
    return []
  }
}

/** The lead unit options, with the chosen one first when the list lacks it (no longer offered): its name as the server saved it. */
export function withChosenLeadUnit<O extends { value: string; label: string }>(
  list: O[],
  id: string,
  serverForm: Record<string, unknown>,
  extra: Omit<O, 'value' | 'label'>,
): O[] {
  if (id && !list.some((o) => o.value === id)) {
    const saved = serverForm.lead_unit_name
    list.unshift({ value: id, label: typeof saved === 'string' && saved ? saved : '（已选择的牵引单位）', ...extra } as O)
  }
  return list
}

/** The input of a field path (`data-field`). */
export function findField(path: string): HTMLElement | null {
  for (const el of document.querySelectorAll<HTMLElement>('[data-field]')) if (el.dataset.field === path) return el
  return null
}

/** Scroll a field into view and put the cursor in its input. */
export function scrollToField(el: HTMLElement | null) {
  if (!el) return
  el.scrollIntoView({ behavior: 'smooth', block: 'center' })
  el.querySelector<HTMLElement>('input:not([type=file]), textarea')?.focus({ preventScroll: true })
}

/** Bring the field of a path into view once the page has rendered. */
export async function focusFieldPath(path: string) {
  await nextTick()
  scrollToField(findField(path))
}

export function useCaseFormPage<V extends object, S extends string = never>(draft: CaseDraft<V>, opts: CaseFormPageOptions) {
  const route = useRoute()
  const router = useRouter()

  const state = ref<CaseFormState | S>('loading')
  const loadError = ref('')
  /** Why the page cannot be edited (submitted, approved, no first approval yet …). */
  const closedReason = ref('')
  const closedCaseId = ref<string | null>(null)

  // Load ------------------------------------------------------------------------------------------------
  /**
   * The case id of the address ('' for a new one), or null when there is nothing to load: not one of the
   * page's `routes` (the watcher also sees the route the user is leaving to), or the page itself moved from
   * …/new to …/:id/edit after its first 保存.
   */
  function target(routes: readonly string[]): string | null {
    if (typeof route.name !== 'string' || !routes.includes(route.name)) return null
    const id = typeof route.params.id === 'string' ? route.params.id : ''
    if (id && id === draft.caseId.value && state.value === 'ready') return null
    return id
  }

  let latest = 0
  /** A load starts: the page shows loading; the token tells whether a newer load started meanwhile (`stale`). */
  function begin(): number {
    state.value = 'loading'
    loadError.value = ''
    closedReason.value = ''
    closedCaseId.value = null
    return ++latest
  }
  function stale(token: number): boolean {
    return token !== latest
  }
  /**
   * The case of the address to edit, or null when a newer load started or the case cannot be edited here
   * (already submitted, approved …: the page says so, with its 查看详情). Throws ApiError (404 for a case of
   * another kind).
   */
  async function fetchEditable(id: string, token: number): Promise<CaseDetail | null> {
    const d = await fetchCase(id, { silent: unlessUnauthenticated })
    if (stale(token)) return null
    if (d.kind !== opts.kind) throw new ApiError(404, 'not_found', `${opts.subject}不存在`)
    if (!editableCase(d)) {
      closedReason.value = `${opts.subject}${d.status_label ? `当前为“${d.status_label}”状态，` : ''}不能修改，可查看详情了解审核进度。`
      closedCaseId.value = d.id
      state.value = 'closed'
      return null
    }
    return d
  }
  function close(reason: string) {
    closedReason.value = reason
    state.value = 'closed'
  }
  /** The load of `token` failed (unless a newer one started). */
  function fail(token: number, e: unknown) {
    if (stale(token)) return
    loadError.value = failureText(e)
    state.value = 'failed'
  }

  /** The latest return (shown on top so the opinion is at hand while editing). */
  const returned = computed(() => {
    const d = draft.detail.value
    if (!d || d.status !== 'returned') return null
    const last = [...d.trail].reverse().find((t) => t.action === 'return')
    return last ? { opinion: last.opinion || '', org: last.org_name, at: last.at } : { opinion: '', org: '', at: '' }
  })

  const summaryItems = computed(() => draft.problems.value.map((p) => ({ prop: p.field, label: opts.fieldLabel(p.field), message: p.message })))

  function focusFirstProblem(): boolean {
    const first = draft.problems.value[0]
    if (first) void opts.focus(first.field)
    return !!first
  }

  // 保存 / 提交 / 返回列表 ----------------------------------------------------------------------------------
  async function save() {
    const d = await draft.save()
    if (!d) {
      focusFirstProblem()
      return
    }
    ElMessage.success(opts.saved)
    if (route.params.id !== d.id) await router.replace({ name: opts.editRoute, params: { id: d.id } })
  }

  async function submit() {
    const wasNew = !draft.caseId.value
    const d = await draft.submit()
    if (!d) {
      // Saved as a draft before the submission was refused: the address names the draft now.
      if (wasNew && draft.caseId.value) void router.replace({ name: opts.editRoute, params: { id: draft.caseId.value } })
      if (!focusFirstProblem()) window.scrollTo({ top: 0, behavior: 'smooth' })
      return
    }
    ElMessage.success(opts.submitted())
    await router.push(opts.list)
  }

  async function backToList() {
    if (draft.busy.value) return
    if (draft.dirty.value) {
      try {
        await ElMessageBox.confirm('当前有未保存的修改。保存后返回列表，或直接返回（未保存的修改暂存在本机，下次继续填写时可恢复）。', '返回列表', {
          type: 'warning',
          confirmButtonText: '保存并返回',
          cancelButtonText: '直接返回',
          distinguishCancelAndClose: true,
        })
      } catch (action) {
        if (action === 'cancel') {
          draft.keepLocally()
          void router.push(opts.list)
        }
        return
      }
      const d = await draft.save()
      if (!d) return
      ElMessage.success(opts.saved)
    }
    void router.push(opts.list)
  }

  return {
    draft,
    list: opts.list,
    focus: opts.focus,
    state,
    loadError,
    closedReason,
    closedCaseId,
    returned,
    summaryItems,
    target,
    begin,
    stale,
    fetchEditable,
    close,
    fail,
    save,
    submit,
    backToList,
  }
}

/** What CaseFormFrame.vue shows of a page. */
export type CaseFormPage = ReturnType<typeof useCaseFormPage<object, string>>
