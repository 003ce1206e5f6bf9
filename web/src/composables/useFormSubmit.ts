import { ref, type Ref } from 'vue'
import { ElMessage, type FormInstance } from 'element-plus'
import { ApiError } from '@/api/errors'
import { useFieldErrors } from '@/composables/useFieldErrors'
import { useFormSummary } from '@/composables/useFormSummary'

/**
 * Sending a form that has a "请完善以下信息" summary (useFormSummary) and server-side field errors
 * (useFieldErrors): `send(request)` checks the form, then awaits `request`. A refusal that names fields marks
 * them and lists them in the summary; any other refusal is `failure`, the line above the form (or, with
 * `toast`, a message for forms that have no such line). `submitting` is true meanwhile and a second send
 * is ignored. `clear()` forgets all of it (a dialog opened again).
 *
 *   const { fieldErrors, summary, submitting, failure, send } = useFormSubmit<Field>(formRef, LABELS)
 *   const save = () => send(async () => { orgStore.set(await updateProfile(…, { silent: (e) => e.status === 422 })) })
 */
export function useFormSubmit<K extends string>(
  formRef: Ref<FormInstance | undefined>,
  labels: Record<string, string> | (() => Record<string, string>),
  options: { toast?: boolean } = {},
) {
  const { fieldErrors, reset: resetFieldErrors, apply: applyFieldErrors } = useFieldErrors<K>()
  const summary = useFormSummary(labels)
  const submitting = ref(false)
  const failure = ref('')

  /** Resolves to the server's refusal, if that is how it ended (for a caller that also scrolls to it). */
  async function send(request: () => Promise<void>): Promise<ApiError | undefined> {
    if (submitting.value) return
    failure.value = ''
    resetFieldErrors()
    if (!(await summary.validate(formRef.value))) return
    submitting.value = true
    try {
      await request()
    } catch (e) {
      if (!(e instanceof ApiError)) return
      if (applyFieldErrors(e)) summary.fromServer(e.fields)
      else if (options.toast) ElMessage.error(e.message)
      else failure.value = e.message
      return e
    } finally {
      submitting.value = false
    }
  }

  function clear() {
    failure.value = ''
    resetFieldErrors()
    summary.clear()
    formRef.value?.clearValidate()
  }

  return { fieldErrors, resetFieldErrors, applyFieldErrors, summary, submitting, failure, send, clear }
}
