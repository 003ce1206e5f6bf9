import { reactive } from 'vue'
import { ApiError } from '@/api/errors'

/**
 * Server-side field errors for a form: bind `:error="fieldErrors.username"` on each
 * el-form-item, call `apply(e)` in the catch block and `reset()` before submitting.
 */
export function useFieldErrors<K extends string>() {
  const fieldErrors = reactive<Partial<Record<K, string>>>({}) as Partial<Record<K, string>>

  function reset() {
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k as K]
  }

  /** Returns true when the error carried field errors (so the caller may skip a generic toast). */
  function apply(e: unknown): boolean {
    reset()
    if (!(e instanceof ApiError) || e.fields.length === 0) return false
    Object.assign(fieldErrors, e.fieldMap())
    return true
  }

  return { fieldErrors, reset, apply }
}
