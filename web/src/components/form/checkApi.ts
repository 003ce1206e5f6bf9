import { CSRF_HEADER, CSRF_VALUE } from '@/api/client'
import type { FormProblem, FormSchema } from './schema'

/** Every problem of a schema, as checked by the designer while the official works. */
export type SchemaCheck = (schema: FormSchema, signal?: AbortSignal) => Promise<FormProblem[]>

/**
 * POST /api/forms/check `{schema}` → `{problems: [{field, message}]}` (docs/forms.md). Quiet: the designer
 * shows 「暂无法检查」 when this rejects (no endpoint yet, offline, signed out), never a toast.
 */
export const checkSchemaOnServer: SchemaCheck = async (schema, signal) => {
  const response = await fetch('/api/forms/check', {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', [CSRF_HEADER]: CSRF_VALUE },
    credentials: 'same-origin',
    body: JSON.stringify({ schema }),
    signal,
  })
  if (!response.ok) throw new Error(`check answered ${response.status}`)
  const body = (await response.json()) as { problems?: unknown }
  if (!Array.isArray(body?.problems)) throw new Error('check answered without problems')
  return body.problems.filter(
    (p): p is FormProblem => !!p && typeof p === 'object' && typeof (p as FormProblem).field === 'string' && typeof (p as FormProblem).message === 'string',
  )
}
