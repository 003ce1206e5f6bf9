/**
 * The designer's edits of a form schema, kept apart from the component so they are tested without a page.
 * Every edit returns a new schema (the v-model is never mutated). New fields get keys `f1`, `f2`… (sections
 * `s1`…, columns `c1`…) unless the official types one; renaming a key follows it into the conditions and
 * sums that name it. The server's check (POST /api/forms/check) has the last word on what may be saved.
 */
import {
  COLUMN_TYPES,
  OTHER,
  REFERENCE_SOURCES,
  TYPE_LABELS,
  allFields,
  fieldName,
  type ColumnField,
  type ColumnType,
  type Field,
  type FormSchema,
  type Section,
  type TableField,
} from './schema'

export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T

/** What the palette adds: each kind, a multiple choice beside the single one. */
export type PaletteKind = Field['type'] | 'choice_multiple'

export const PALETTE: readonly { kind: PaletteKind; label: string }[] = [
  { kind: 'text', label: TYPE_LABELS.text },
  { kind: 'long_text', label: TYPE_LABELS.long_text },
  { kind: 'number', label: TYPE_LABELS.number },
  { kind: 'money', label: TYPE_LABELS.money },
  { kind: 'date', label: TYPE_LABELS.date },
  { kind: 'date_range', label: TYPE_LABELS.date_range },
  { kind: 'choice', label: '单选' },
  { kind: 'choice_multiple', label: '多选' },
  { kind: 'yes_no', label: TYPE_LABELS.yes_no },
  { kind: 'region', label: TYPE_LABELS.region },
  { kind: 'table', label: TYPE_LABELS.table },
  { kind: 'file', label: TYPE_LABELS.file },
  { kind: 'reference', label: TYPE_LABELS.reference },
  { kind: 'computed', label: TYPE_LABELS.computed },
  { kind: 'notice', label: TYPE_LABELS.notice },
]

export const COLUMN_KINDS: readonly { kind: ColumnType; label: string }[] = COLUMN_TYPES.map((kind) => ({
  kind,
  label: kind === 'choice' ? '单选' : TYPE_LABELS[kind],
}))

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

/** Every key a new field must not take: the fields' keys and the `<k>_other` of choices with 「其他」. */
export function usedKeys(schema: FormSchema): Set<string> {
  const out = new Set<string>()
  for (const { field } of allFields(schema)) {
    out.add(field.key)
    if (field.type === 'choice' && field.other) out.add(`${field.key}_other`)
  }
  return out
}

function firstFree(prefix: string, used: Set<string>): string {
  for (let n = 1; ; n++) if (!used.has(`${prefix}${n}`)) return `${prefix}${n}`
}

export function nextFieldKey(schema: FormSchema): string {
  return firstFree('f', usedKeys(schema))
}

export function nextSectionKey(schema: FormSchema): string {
  return firstFree('s', new Set(schema.sections.map((s) => s.key)))
}

export function nextColumnKey(table: TableField): string {
  return firstFree('c', new Set(table.columns.map((c) => c.key)))
}

// ---------------------------------------------------------------------------------------------
// New fields
// ---------------------------------------------------------------------------------------------

/** A column of `kind` with `key`, keeping what a column of another kind had in common (label, hint, required). */
export function newColumn(kind: ColumnType, key: string, from?: Pick<Field, 'label' | 'hint' | 'required'>): ColumnField {
  const common = { key, label: from?.label ?? '', ...(from?.hint ? { hint: from.hint } : {}), ...(from?.required ? { required: true } : {}) }
  switch (kind) {
    case 'text':
      return { ...common, type: 'text', max_length: 200 }
    case 'long_text':
      return { ...common, type: 'long_text', max_length: 2000 }
    case 'number':
      return { ...common, type: 'number' }
    case 'money':
      return { ...common, type: 'money' }
    case 'date':
      return { ...common, type: 'date' }
    case 'choice':
      return { ...common, type: 'choice', options: ['选项1', '选项2'] }
    case 'yes_no':
      return { ...common, type: 'yes_no' }
    case 'file':
      return { ...common, type: 'file', accept: ['pdf'], max_mb: 20, max_count: 1 }
  }
}

/** A field of `kind` as the palette adds it, ready to fill in (a sum picks the last table above it). */
export function newField(kind: PaletteKind, key: string, before: readonly Field[] = []): Field {
  switch (kind) {
    case 'text':
    case 'long_text':
    case 'number':
    case 'money':
    case 'date':
    case 'yes_no':
      return newColumn(kind, key)
    case 'choice':
      return newColumn('choice', key)
    case 'choice_multiple':
      return { key, label: '', type: 'choice', options: ['选项1', '选项2', '选项3'], multiple: true }
    case 'date_range':
      return { key, label: '', type: 'date_range' }
    case 'region':
      return { key, label: '', type: 'region' }
    case 'table':
      return { key, label: '', type: 'table', columns: [{ key: 'c1', label: '列1', type: 'text', max_length: 200 }], max_rows: 20 }
    case 'file':
      return newColumn('file', key)
    case 'reference':
      return { key, label: REFERENCE_SOURCES[0]!.label, type: 'reference', source: REFERENCE_SOURCES[0]!.source }
    case 'computed': {
      const table = [...before].reverse().find((f): f is TableField => f.type === 'table' && numericColumns(f).length > 0)
      const column = table ? numericColumns(table)[0]!.key : ''
      return { key, label: '', type: 'computed', sum: { table: table?.key ?? '', column } }
    }
    case 'notice':
      return { key, label: '', type: 'notice', text: '请在此填写说明文字' }
  }
}

export function numericColumns(table: TableField): ColumnField[] {
  return table.columns.filter((c) => c.type === 'number' || c.type === 'money')
}

/** The fields before section `si`, field `fi`, in document order. */
export function fieldsBefore(schema: FormSchema, si: number, fi: number): Field[] {
  return allFields(schema)
    .filter((l) => l.sectionIndex < si || (l.sectionIndex === si && l.fieldIndex < fi))
    .map((l) => l.field)
}

/** The fields a condition of the field at (si, fi) may name: earlier 是/否 and single choices. */
export function conditionCandidates(schema: FormSchema, si: number, fi: number): Field[] {
  return fieldsBefore(schema, si, fi).filter((f) => f.type === 'yes_no' || (f.type === 'choice' && !f.multiple))
}

/** The values a condition on `target` may wait for. */
export function conditionValues(target: Field): { label: string; value: boolean | string }[] {
  if (target.type === 'yes_no') {
    return [
      { label: '是', value: true },
      { label: '否', value: false },
    ]
  }
  if (target.type === 'choice') {
    const options = target.options.map((o) => ({ label: o, value: o }))
    return target.other ? [...options, { label: OTHER, value: OTHER }] : options
  }
  return []
}

// ---------------------------------------------------------------------------------------------
// Edits (each returns a new schema)
// ---------------------------------------------------------------------------------------------

export function addSection(schema: FormSchema): { schema: FormSchema; index: number } {
  const out = clone(schema)
  const n = out.sections.length + 1
  out.sections.push({ key: nextSectionKey(schema), title: `第${n}部分`, fields: [] })
  return { schema: out, index: out.sections.length - 1 }
}

export function updateSection(schema: FormSchema, si: number, patch: Partial<Section>): FormSchema {
  const out = clone(schema)
  const s = { ...out.sections[si]!, ...patch }
  if (!s.description) delete s.description
  out.sections[si] = s
  return out
}

export function removeSection(schema: FormSchema, si: number): FormSchema {
  const out = clone(schema)
  out.sections.splice(si, 1)
  return out
}

export function moveSection(schema: FormSchema, si: number, delta: -1 | 1): { schema: FormSchema; index: number } {
  const to = si + delta
  if (to < 0 || to >= schema.sections.length) return { schema, index: si }
  const out = clone(schema)
  const [s] = out.sections.splice(si, 1)
  out.sections.splice(to, 0, s!)
  return { schema: out, index: to }
}

/** Adds a field of `kind` to section `si`, after field `after` (at the end when null). */
export function addField(schema: FormSchema, si: number, kind: PaletteKind, after: number | null = null): { schema: FormSchema; index: number } {
  const out = clone(schema)
  const fields = out.sections[si]!.fields
  const index = after === null ? fields.length : Math.min(after + 1, fields.length)
  const field = newField(kind, nextFieldKey(schema), fieldsBefore(schema, si, index))
  fields.splice(index, 0, field)
  return { schema: out, index }
}

export function removeField(schema: FormSchema, si: number, fi: number): FormSchema {
  const out = clone(schema)
  out.sections[si]!.fields.splice(fi, 1)
  return out
}

/**
 * Moves a field up or down; past the top or bottom of its section it goes to the end of the section before or
 * the start of the one after.
 */
export function moveField(schema: FormSchema, si: number, fi: number, delta: -1 | 1): { schema: FormSchema; section: number; index: number } {
  const out = clone(schema)
  const fields = out.sections[si]!.fields
  const to = fi + delta
  if (to >= 0 && to < fields.length) {
    const [f] = fields.splice(fi, 1)
    fields.splice(to, 0, f!)
    return { schema: out, section: si, index: to }
  }
  const other = si + delta
  if (other < 0 || other >= out.sections.length) return { schema, section: si, index: fi }
  const [f] = fields.splice(fi, 1)
  const target = out.sections[other]!.fields
  if (delta < 0) {
    target.push(f!)
    return { schema: out, section: other, index: target.length - 1 }
  }
  target.unshift(f!)
  return { schema: out, section: other, index: 0 }
}

/** A copy of the field right after it, with a new key and 「（副本）」 after its label. */
export function duplicateField(schema: FormSchema, si: number, fi: number): { schema: FormSchema; index: number } {
  const out = clone(schema)
  const copy = clone(out.sections[si]!.fields[fi]!)
  copy.key = nextFieldKey(schema)
  if (copy.label) copy.label = `${copy.label}（副本）`
  out.sections[si]!.fields.splice(fi + 1, 0, copy)
  return { schema: out, index: fi + 1 }
}

/**
 * Puts `field` at (si, fi). When its key changed, conditions and sums naming the old key follow it (unless
 * another field still has the old key).
 */
export function replaceField(schema: FormSchema, si: number, fi: number, field: Field): FormSchema {
  const out = clone(schema)
  const old = out.sections[si]!.fields[fi]!
  out.sections[si]!.fields[fi] = clone(field)
  if (old.key !== field.key && !allFields(out).some((l) => l.field.key === old.key)) {
    for (const s of out.sections) {
      for (const f of s.fields) {
        if (f.when?.field === old.key) f.when.field = field.key
        if (f.type === 'computed' && f.sum.table === old.key) f.sum.table = field.key
      }
    }
  }
  return out
}

/** Keys a field always has, even empty. */
const KEPT = new Set(['key', 'label', 'text', 'source'])

/** A field with `patch` applied; optional keys set to undefined, null or '' are removed (serde's defaults apply). */
export function patched<F extends Field>(field: F, patch: Record<string, unknown>): F {
  const out: Record<string, unknown> = { ...field, ...patch }
  for (const [k, v] of Object.entries(patch)) if (v === undefined || v === null || (v === '' && !KEPT.has(k))) delete out[k]
  return out as F
}

// ---------------------------------------------------------------------------------------------
// Problems of the live check
// ---------------------------------------------------------------------------------------------

export interface ProblemTarget {
  section: number | null
  field: number | null
  column: number | null
  /** The rest of the path inside the field (`when`, `options[1]`, `label`), or the section's (`title`). */
  rest: string
}

/** Where a problem of the check points: `sections[0].fields[2].columns[1].type` → section 0, field 2, column 1. */
export function problemTarget(path: string): ProblemTarget {
  const m = /^sections\[(\d+)\](?:\.fields\[(\d+)\](?:\.columns\[(\d+)\])?)?\.?(.*)$/.exec(path)
  if (!m) return { section: null, field: null, column: null, rest: path }
  return {
    section: Number(m[1]),
    field: m[2] === undefined ? null : Number(m[2]),
    column: m[3] === undefined ? null : Number(m[3]),
    rest: m[4] ?? '',
  }
}

/** How the outline names a field: its label, or 「（未命名）」 with its kind. */
export function outlineName(field: Field): string {
  return field.label.trim() ? fieldName(field) : '（未命名）'
}
