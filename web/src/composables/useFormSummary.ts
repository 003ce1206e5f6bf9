import { nextTick, ref } from 'vue'
import type { FormInstance } from 'element-plus'

export interface SummaryItem {
  prop: string
  label: string
  message: string
}

/**
 * "请完善以下信息" on submit: runs the el-form's validation and, when it fails, keeps the list of
 * fields still missing or wrong (label + message) for <FormErrorSummary>, and scrolls to the first.
 * `labels` maps a prop to the label the user sees.
 */
export function useFormSummary(labels: Record<string, string> | (() => Record<string, string>)) {
  const items = ref<SummaryItem[]>([])

  async function validate(form: FormInstance | undefined): Promise<boolean> {
    if (!form) return false
    try {
      await form.validate()
      items.value = []
      return true
    } catch (invalid) {
      const map = typeof labels === 'function' ? labels() : labels
      const fields = (invalid && typeof invalid === 'object' ? invalid : {}) as Record<string, { message?: string }[]>
      items.value = Object.entries(fields).map(([prop, errs]) => ({
        prop,
        label: map[prop] ?? prop,
        message: errs?.[0]?.message ?? '',
      }))
      const first = items.value[0]
      await nextTick()
      if (!scrollToSummary(form) && first) form.scrollToField(first.prop)
      return false
    }
  }

  /** The summary sits right before its form (FormErrorSummary + el-form): bring it into view. */
  function scrollToSummary(form: FormInstance): boolean {
    let el = (form.$el as Element | undefined)?.previousElementSibling ?? null
    while (el && !(el instanceof HTMLElement && el.dataset.test === 'form-summary')) el = el.previousElementSibling
    if (!el) return false
    el.scrollIntoView({ block: 'center', behavior: 'smooth' })
    return true
  }

  /** Server-side field errors shown in the same summary (e.g. a 422 with `fields`). */
  function fromServer(fields: { field: string; message: string }[]) {
    const map = typeof labels === 'function' ? labels() : labels
    items.value = fields.map((f) => ({ prop: f.field, label: map[f.field] ?? f.field, message: f.message }))
  }

  function clear() {
    items.value = []
  }

  return { items, validate, fromServer, clear }
}
