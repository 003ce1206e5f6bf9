/**
 * Field paths of nested forms, as the server names them in 422 field errors (`lead_unit_id`,
 * `products[0].name`, `products[1].cases[2].contract_file_ids`; sometimes prefixed with `form.`), and as
 * the pages name their inputs (`data-field`), so each message is shown next to its input.
 */

export interface FieldProblem {
  field: string
  message: string
}

/** The path as the form knows it: without a leading `form.` / `form/`. */
export function normalizeField(field: string): string {
  return field.trim().replace(/^form[./]/, '')
}

/** Problems as a map `path -> message` (first message per path wins). */
export function problemMap(problems: readonly FieldProblem[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of problems) {
    const key = normalizeField(p.field)
    if (!(key in out)) out[key] = p.message
  }
  return out
}

/**
 * The errors under `prefix` with the prefix taken off: `scoped(errors, 'products[0].')` gives a product
 * card `{ name, 'cases[1].enterprise' }`. An empty prefix returns a copy.
 */
export function scopedErrors(errors: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(errors)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v
  return out
}

/** `products[1].cases[0].name` -> ['products', 1, 'cases', 0, 'name']. */
export function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = []
  for (const part of normalizeField(path).split('.')) {
    if (!part) continue
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part)
    if (!m) {
      out.push(part)
      continue
    }
    if (m[1]) out.push(m[1])
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]))
  }
  return out
}

/** The value at `path` in a JSON form (undefined when any step is missing). */
export function valueAt(form: unknown, path: string): unknown {
  let cur: unknown = form
  for (const step of parsePath(path)) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string | number, unknown>)[step]
  }
  return cur
}

/** The index of the product a path belongs to (`products[2].name` -> 2), or null. */
export function productIndex(path: string): number | null {
  const m = /^products\[(\d+)\]/.exec(normalizeField(path))
  return m ? Number(m[1]) : null
}

/** The value at `path` as text, to compare later (see `currentErrors`). */
export function snapshotAt(form: unknown, path: string): string {
  return JSON.stringify(valueAt(form, path) ?? null)
}

/**
 * Errors that still apply: those whose field holds the same value as when they were reported
 * (`snapshots[path]`), so fixing a field clears its message at once.
 */
export function currentErrors(
  errors: Readonly<Record<string, string>>,
  snapshots: Readonly<Record<string, string>>,
  form: unknown,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(errors)) {
    const snap = snapshots[k]
    if (snap === undefined || snap === snapshotAt(form, k)) out[k] = v
  }
  return out
}

/** Every file id a form names (arrays under keys ending in `_file_ids`, at any depth). */
export function formFileIds(form: unknown): string[] {
  const out: string[] = []
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk)
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (k.endsWith('_file_ids') && Array.isArray(x)) {
          for (const id of x) if (typeof id === 'string' && id && !out.includes(id)) out.push(id)
        } else walk(x)
      }
    }
  }
  walk(form)
  return out
}
