import { computed, onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { ElMessage } from 'element-plus'
import { ApiError, failureText } from '@/api/errors'
import { unlessUnauthenticated, type CallOptions } from '@/api/client'
import { useKeptDraft } from '@/composables/useKeptDraft'
import { createAutosave } from '@/views/calls/autosave'
import { useSessionStore } from '@/stores/session'

/** What a stage page of the lifecycle answers with (项目签约, 项目实施-改造中). */
export interface StagePageView {
  project_id: string
  version: number
  can_edit: boolean
  can_change: boolean
}

type Call<B, V> = (projectId: string, body: B, options?: CallOptions) => Promise<V>

/**
 * A lifecycle stage page the enterprise fills, and its lead unit when asked (项目签约, 项目实施-改造中): the
 * server's copy (`view`), the page's edits kept in this browser until the server has them, 保存 and 自动保存
 * (3 s after the last change; what is typed while a save is out stays), the steps (发送牵引单位 / 提交 /
 * 信息变更) with their refusals named, and 信息变更 mode — opened from the list (`?change=1`) or by kept
 * edits of a submitted page.
 */
export function useStagePage<E extends Record<string, unknown>, V extends StagePageView, B>(o: {
  /** The kept-draft scope, e.g. `lifecycle.signing`. */
  scope: string
  edits: Ref<E>
  names: Ref<Record<string, string>>
  /** The page's edits from the server's copy (and any side effect of taking it, such as file names). */
  editsOf: (v: V) => E
  /** Kept edits as the page holds them (kept by an older page, a key may be missing). */
  restored?: (local: E) => E
  body: () => B
  save: Call<B, V>
  /** GET of the page, for `load`; `loadFailed` is said when it fails. */
  fetch?: (projectId: string, options?: CallOptions) => Promise<V>
  loadFailed?: string
}) {
  const route = useRoute()
  const router = useRouter()
  const view = shallowRef<V | null>(null)
  const saved = ref(null) as Ref<E | null>
  const failure = ref('')
  const problems = ref<{ field: string; message: string }[]>([])
  const busy = ref<'' | 'save' | 'send' | 'submit' | 'change'>('')
  /** 信息变更 of a submitted page is open: nothing is stored until it is submitted. */
  const changing = ref(false)
  const editable = computed(() => (view.value?.can_edit ?? false) || changing.value)
  const kept = useKeptDraft({ edits: o.edits, saved, names: o.names, editable: () => editable.value, version: () => view.value?.version ?? 0 })

  const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

  function take(v: V) {
    view.value = v
    saved.value = o.editsOf(v)
    o.edits.value = copy(saved.value)
  }

  /** Takes a freshly loaded page and restores this user's kept edits of it (in 信息变更 when it is submitted). */
  function opened(v: V, userId: string) {
    take(v)
    if (v.can_change) changing.value = route.query.change === '1' || kept.has(o.scope, userId, v.project_id)
    const local = kept.open(o.scope, userId, v.project_id)
    if (local) o.edits.value = o.restored ? o.restored(local) : local
  }

  function refused(e: unknown, what: string) {
    kept.keepNow()
    if (e instanceof ApiError && e.status === 422 && e.fields.length) {
      problems.value = e.fields
      failure.value = e.fields.length === 1 ? e.message : `${what}未成功：还有${e.fields.length}项需要补全或修改，见各项提示`
    } else {
      failure.value = e instanceof ApiError && e.status === 409 ? e.message : failureText(e, `${what}失败，填写内容已保留在本浏览器中`)
    }
  }

  async function saveNow(): Promise<boolean> {
    const v = view.value
    if (!v?.can_edit || !kept.dirty.value) return true
    const sent = JSON.stringify(o.edits.value)
    busy.value = 'save'
    try {
      const stored = await o.save(v.project_id, o.body(), { silent: unlessUnauthenticated })
      const typing = JSON.stringify(o.edits.value) !== sent ? o.edits.value : null
      take(stored)
      if (typing) o.edits.value = typing
      else kept.clear()
      failure.value = ''
      problems.value = []
      return true
    } catch (e) {
      refused(e, '保存')
      return false
    } finally {
      busy.value = ''
    }
  }
  const autosave = createAutosave(saveNow)
  watch(
    o.edits,
    () => {
      if (view.value?.can_edit && kept.dirty.value) autosave.touch()
    },
    { deep: true },
  )
  onBeforeUnmount(() => void autosave.flush())

  /** A step with what is typed (a save still waiting goes first, so the version is current). */
  async function run(kind: 'send' | 'submit' | 'change', what: string, call: Call<B, V>): Promise<boolean> {
    await autosave.flush()
    const v = view.value
    if (!v || busy.value) return false
    busy.value = kind
    failure.value = ''
    try {
      take(await call(v.project_id, o.body(), { silent: unlessUnauthenticated }))
      autosave.cancel()
      kept.clear()
      problems.value = []
      return true
    } catch (e) {
      refused(e, what)
      return false
    } finally {
      busy.value = ''
    }
  }

  async function save() {
    await autosave.flush(true)
    if (!failure.value) ElMessage.success('已保存')
  }

  function discardLocal() {
    if (!saved.value) return
    kept.clear()
    o.edits.value = copy(saved.value)
  }

  /** Out of 信息变更: the list's `?change=1` is dropped, so a reload shows the record. */
  function endChange() {
    changing.value = false
    if (route.query.change) void router.replace({ query: {} })
  }

  function startChange() {
    changing.value = true
    failure.value = ''
    problems.value = []
  }

  function cancelChange() {
    discardLocal()
    endChange()
    failure.value = ''
    problems.value = []
  }

  /** 信息变更's submission: stored, and the page is the record again. */
  async function submitChange(call: Call<B, V>, done: string) {
    if (await run('change', '信息变更', call)) {
      endChange()
      ElMessage.success(done)
    }
  }

  const session = useSessionStore()
  const loading = ref(false)
  const loadError = ref('')
  /** Loads the page of the route's project and opens it for the signed-in user (with their kept edits). */
  async function load() {
    const projectId = String(route.params.id ?? '')
    const user = session.user
    if (!o.fetch || !projectId || !user) return
    loading.value = true
    loadError.value = ''
    try {
      opened(await o.fetch(projectId, { silent: unlessUnauthenticated }), user.id)
    } catch (e) {
      loadError.value = failureText(e, o.loadFailed ?? '加载失败')
    } finally {
      loading.value = false
    }
  }

  return { view, failure, problems, busy, changing, editable, kept, opened, run, save, discardLocal, startChange, cancelChange, submitChange, load, loading, loadError }
}
