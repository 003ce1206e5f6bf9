/**
 * The renderer's edits of a form's values, kept apart from the components so they are tested without a
 * page: every edit returns a new object (the prop is never mutated), tables keep their fixed rows in order and
 * their added rows within bounds, files are checked before they are sent, and server problems (by value
 * path: `staff`, `domain_other`, `years[1].revenue`) are tied to their field, label and section.
 */
import { fileExtension, formatBytes } from '@/utils/format'
import { normalizeField } from '@/utils/fieldPaths'
import {
  DEFAULTS,
  allFields,
  fieldName,
  isFixedTable,
  isVisible,
  maxRows,
  minRows,
  type Field,
  type FileField,
  type FormProblem,
  type FormSchema,
  type FormValues,
  type TableField,
  type TableRow,
} from './schema'

/** `values` with `key` set to `value` (removed when `value` is undefined): a new object. */
export function withValue(values: FormValues, key: string, value: unknown): FormValues {
  const out: FormValues = { ...values }
  if (value === undefined) delete out[key]
  else out[key] = value
  return out
}

function isRow(v: unknown): v is TableRow {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** The rows of a table as stored (non-objects read as empty rows). */
export function storedRows(field: TableField, values: FormValues): TableRow[] {
  const raw = values[field.key]
  return Array.isArray(raw) ? raw.map((r) => (isRow(r) ? r : {})) : []
}

/**
 * The rows the page shows: a fixed-row table has exactly its named rows; an added-rows table shows what is
 * stored, and at least as many empty rows as it must have (they are stored once something is typed in them).
 */
export function shownRows(field: TableField, values: FormValues): TableRow[] {
  const rows = storedRows(field, values)
  const n = isFixedTable(field) ? field.fixed_rows!.length : Math.max(rows.length, Math.min(minRows(field), maxRows(field)))
  return Array.from({ length: n }, (_, i) => rows[i] ?? {})
}

export function canAddRow(field: TableField, shown: number): boolean {
  return !isFixedTable(field) && shown < maxRows(field)
}

export function canRemoveRow(field: TableField, shown: number): boolean {
  return !isFixedTable(field) && shown > minRows(field)
}

/** The table with one more empty row at the end (the rows shown are stored). */
export function addRow(field: TableField, values: FormValues): TableRow[] {
  const rows = shownRows(field, values)
  return canAddRow(field, rows.length) ? [...rows, {}] : rows
}

/** The table without row `index`. */
export function removeRow(field: TableField, values: FormValues, index: number): TableRow[] {
  const rows = shownRows(field, values)
  return canRemoveRow(field, rows.length) ? rows.filter((_, i) => i !== index) : rows
}

/** The table with one cell changed: the rows shown up to that one are stored, each row a new object. */
export function withCell(field: TableField, values: FormValues, index: number, column: string, value: unknown): TableRow[] {
  const rows = shownRows(field, values)
  while (rows.length <= index) rows.push({})
  return rows.map((r, i) => {
    if (i !== index) return r
    const row: TableRow = { ...r }
    if (value === undefined) delete row[column]
    else row[column] = value
    return row
  })
}

/**
 * Stored file ids of a file field; of a table's file cell when given its row (`fileIds(row, column.key)`): a
 * cell holds its files as a field does.
 */
export function fileIds(values: FormValues | TableRow, key: string): string[] {
  return idsOf(values[key])
}

/** The file ids a file value holds (anything else in it is left out, as the server reads it). */
export function idsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : []
}

export function acceptText(field: FileField): string {
  return field.accept.map((t) => t.toUpperCase()).join('、')
}

/** What a file field allows, in a line under it. */
export function fileRules(field: FileField): string {
  const parts = []
  if (field.accept.length) parts.push(`支持 ${acceptText(field)} 格式`)
  parts.push(`单个文件不超过 ${field.max_mb ?? DEFAULTS.maxMb} MB`)
  parts.push(`最多 ${field.max_count ?? DEFAULTS.maxCount} 个`)
  return parts.join('，')
}

/**
 * Why `file` may not be uploaded to `field` (a file field or a table's file column) that holds `count` files
 * already, or null: checked before it is sent (the server checks again, by content as well).
 */
export function fileProblem(field: FileField, file: { name: string; size: number }, count: number): string | null {
  const maxCount = field.max_count ?? DEFAULTS.maxCount
  const maxMb = field.max_mb ?? DEFAULTS.maxMb
  if (count >= maxCount) return `「${fieldName(field)}」最多上传 ${maxCount} 个文件`
  const ext = fileExtension(file.name)
  if (field.accept.length && !field.accept.map((a) => a.toLowerCase()).includes(ext)) {
    return `文件“${file.name}”格式不支持，请上传 ${acceptText(field)} 格式的文件`
  }
  if (file.size === 0) return `文件“${file.name}”为空，请重新选择`
  if (file.size > maxMb * 1024 * 1024) return `文件“${file.name}”大小为 ${formatBytes(file.size)}，超过 ${maxMb} MB 的限制`
  return null
}

// ---------------------------------------------------------------------------------------------
// Problems by path
// ---------------------------------------------------------------------------------------------

export interface PathTarget {
  /** The top-level field the path belongs to. */
  field: Field
  sectionIndex: number
  /** How the summary names it: 「申报方向（其他说明）」, 「近三年经营情况 · 2022年 · 营业收入」. */
  label: string
}

/** The field, section and label of a value path; null when no field of the form has it. */
export function pathTarget(schema: FormSchema, path: string): PathTarget | null {
  const p = normalizeField(path)
  const head = /^[^.[]+/.exec(p)?.[0] ?? ''
  const located = allFields(schema)
  const own = located.find((l) => l.field.key === head)
  if (own) {
    const { field, sectionIndex } = own
    let label = fieldName(field)
    const cell = /^[^.[]+\[(\d+)\]\.([^.[]+)$/.exec(p)
    if (cell && field.type === 'table') {
      const i = Number(cell[1])
      const col = field.columns.find((c) => c.key === cell[2])
      const row = field.fixed_rows?.[i] ?? `第${i + 1}行`
      label = `${label} · ${row}${col ? ` · ${fieldName(col)}` : ''}`
    }
    return { field, sectionIndex, label }
  }
  if (head.endsWith('_other') && head === p) {
    const base = located.find((l) => l.field.key === head.slice(0, -'_other'.length))
    if (base && base.field.type === 'choice' && base.field.other) {
      return { field: base.field, sectionIndex: base.sectionIndex, label: `${fieldName(base.field)}（其他说明）` }
    }
  }
  return null
}

export interface ShownProblem extends FormProblem {
  label: string
  /** -1 when the path names no field of the form (shown in the summary only). */
  sectionIndex: number
}

/**
 * The problems to show: one per path (the first), the paths normalized, those of hidden fields left out (the
 * server does not check them; an old message must not point at a field that is not there).
 */
export function shownProblems(schema: FormSchema, values: FormValues, problems: readonly FormProblem[]): ShownProblem[] {
  const seen = new Set<string>()
  const out: ShownProblem[] = []
  for (const p of problems) {
    const field = normalizeField(p.field)
    if (seen.has(field)) continue
    seen.add(field)
    const target = pathTarget(schema, field)
    if (target && !isVisible(schema, values, target.field)) continue
    out.push({ field, message: p.message, label: target?.label ?? (field === 'form' ? '表单' : field), sectionIndex: target?.sectionIndex ?? -1 })
  }
  return out
}

/** How many problems each section has, in section order. */
export function countsBySection(schema: FormSchema, shown: readonly ShownProblem[]): number[] {
  const counts = schema.sections.map(() => 0)
  for (const p of shown) if (p.sectionIndex >= 0) counts[p.sectionIndex]! += 1
  return counts
}
