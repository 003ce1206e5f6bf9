/**
 * The form schema of docs/forms.md as TypeScript: the types the server's serde types
 * (crates/core/src/form/schema.rs) read and write, and the helpers the renderer, the read-only view and the
 * designer share with the server (crates/core/src/form/values.rs): `isVisible`, `computedSum`,
 * `displayValue`. They follow the Rust code rule for rule, so what a page shows is what the server checks,
 * stores and prints; sums are exact (integer millionths as BigInt, never a float).
 */
import { MAX_FEN, parseWan } from '@/utils/money'
import { checkedAdd, exactWan, formatDecimal, parseDecimal, rustTrim } from './decimal'

// ---------------------------------------------------------------------------------------------
// The schema
// ---------------------------------------------------------------------------------------------

/** A form as designed: its title and its sections (shown as tabs). Field keys are unique across the form. */
export interface FormSchema {
  title: string
  sections: Section[]
}

export interface Section {
  /** `^[a-z][a-z0-9_]{0,39}$`, unique among sections. */
  key: string
  title: string
  /** Shown at the top of the tab. */
  description?: string
  fields: Field[]
}

/**
 * `{"field": "has_patents", "equals": true}`: the field is shown (and checked) only while that earlier 是/否
 * (`true` / `false`) or single-choice field (one of its options, or 「其他」) has that value.
 */
export interface Condition {
  field: string
  equals: boolean | string
}

interface FieldCommon {
  /** `^[a-z][a-z0-9_]{0,39}$`, unique across the whole form (values are one flat object). */
  key: string
  /** Required except for notices. */
  label: string
  /** Help under the input. */
  hint?: string
  required?: boolean
  when?: Condition
}

/**
 * What a single-line text must be beyond its length, checked by the server with the core's parsers:
 * `uscc` a 统一社会信用代码 (18 characters, check character right), `phone` a mainland mobile number.
 */
export type TextFormat = 'uscc' | 'phone' | 'company_name'

export interface TextField extends FieldCommon {
  type: 'text'
  /** Default 200. */
  max_length?: number
  min_length?: number
  format?: TextFormat
}

export interface LongTextField extends FieldCommon {
  type: 'long_text'
  /** Default 2000. */
  max_length?: number
  min_length?: number
}

export interface NumberField extends FieldCommon {
  type: 'number'
  /** 人, 项, % … */
  unit?: string
  min?: number
  max?: number
  /** Decimal places allowed, 0–6 (default 0). */
  decimals?: number
}

/** An amount in 万元, up to six decimals (one fen), never negative. */
export interface MoneyField extends FieldCommon {
  type: 'money'
  /** In 万元. */
  max?: number
}

export interface DateField extends FieldCommon {
  type: 'date'
  /** `YYYY-MM-DD`. */
  min?: string
  max?: string
}

export interface DateRangeField extends FieldCommon {
  type: 'date_range'
}

export interface ChoiceField extends FieldCommon {
  type: 'choice'
  options: string[]
  multiple?: boolean
  /** Adds 「其他」, whose text is the value of `<key>_other`. */
  other?: boolean
  /** Multiple only. */
  max_selected?: number
}

export interface YesNoField extends FieldCommon {
  type: 'yes_no'
}

/** An administrative region (省/市/区县/镇街) picked from the region tree; the value is its 6- or 9-digit code. */
export interface RegionField extends FieldCommon {
  type: 'region'
}

/** Repeating rows: fixed (one per name in `fixed_rows`) or added by the applicant within `min_rows`–`max_rows`. */
export interface TableField extends FieldCommon {
  type: 'table'
  columns: ColumnField[]
  fixed_rows?: string[]
  /** Header of the row-name column of a fixed-row table (年度). */
  row_label?: string
  min_rows?: number
  /** Default 500. */
  max_rows?: number
}

export interface FileTemplate {
  name: string
  url: string
}

export interface FileField extends FieldCommon {
  type: 'file'
  /** Extensions from FILE_TYPES. */
  accept: string[]
  /** Default 20. */
  max_mb?: number
  /** Default 1. */
  max_count?: number
  template?: FileTemplate
}

/** Written by the server on every save from the applicant's profile or latest assessment. */
export interface ReferenceField extends FieldCommon {
  type: 'reference'
  source: string
}

export interface ColumnRef {
  table: string
  column: string
}

/** Written by the server on every save: the sum of a number or money column of an earlier table. */
export interface ComputedField extends FieldCommon {
  type: 'computed'
  sum: ColumnRef
}

/** Read-only text; holds no value. */
export interface NoticeField extends FieldCommon {
  type: 'notice'
  text: string
}

export type Field =
  | TextField
  | LongTextField
  | NumberField
  | MoneyField
  | DateField
  | DateRangeField
  | ChoiceField
  | YesNoField
  | RegionField
  | TableField
  | FileField
  | ReferenceField
  | ComputedField
  | NoticeField

export type FieldType = Field['type']

/**
 * What a table column may be (single choice without 「其他」; no condition). A file column holds each row's
 * own files (项目合同 per contract row): at most `MAX_CELL_FILES`, no template.
 */
export type ColumnField = TextField | LongTextField | NumberField | MoneyField | DateField | ChoiceField | YesNoField | FileField
export type ColumnType = ColumnField['type']
export const COLUMN_TYPES: readonly ColumnType[] = ['text', 'long_text', 'number', 'money', 'date', 'choice', 'yes_no', 'file']

/** The most files a table cell may hold (the server's `MAX_CELL_FILES`). */
export const MAX_CELL_FILES = 5

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/**
 * A form's values: one flat object keyed by field key. text, long text, date: a string; number and money: the
 * decimal text typed; date range: `{start, end}`; yes/no: a boolean; single choice: the option; multiple: the
 * list; 「其他」's text: `<key>_other`; table: a list of rows keyed by column; file (a field or a table's file
 * cell): the list of file ids.
 */
export type FormValues = Record<string, unknown>
export interface DateRangeValue {
  start?: string | null
  end?: string | null
}
export type TableRow = Record<string, unknown>

/**
 * Stores a file chosen in a file field and answers its id and name (the page provides it: POST /api/files
 * with the purpose it needs).
 */
export type UploadFn = (file: File, field: Field) => Promise<{ id: string; name: string }>

/** A problem with a value or a schema, by path (`finance[1].revenue`, `sections[0].fields[2].when`). */
export interface FormProblem {
  field: string
  message: string
}

// ---------------------------------------------------------------------------------------------
// Constants (the server's)
// ---------------------------------------------------------------------------------------------

/** The option a choice with `other` adds. */
export const OTHER = '其他'

/** Where a reference field takes its value, with the label the designer shows (`REFERENCE_SOURCES` in Rust). */
export const REFERENCE_SOURCES: readonly { source: string; label: string }[] = [
  { source: 'org.name', label: '单位名称' },
  { source: 'org.uscc', label: '统一社会信用代码' },
  { source: 'org.region', label: '所属地区' },
  { source: 'org.address', label: '通讯地址' },
  { source: 'org.industry', label: '所属行业' },
  { source: 'org.size', label: '企业规模' },
  { source: 'org.nature', label: '企业性质' },
  { source: 'org.headcount', label: '从业人数' },
  { source: 'org.main_product', label: '主营产品' },
  { source: 'org.contact_name', label: '联系人' },
  { source: 'assessment.level', label: '数字化水平等级' },
  { source: 'assessment.score', label: '数字化水平评测得分' },
  { source: 'assessment.date', label: '评测完成日期' },
]

/** The formats of a text field, with the label the designer shows and the fewest `max_length` each needs. */
export const TEXT_FORMATS: readonly { format: TextFormat; label: string; minMaxLength: number; placeholder: string }[] = [
  { format: 'uscc', label: '统一社会信用代码', minMaxLength: 18, placeholder: '请输入18位统一社会信用代码' },
  { format: 'phone', label: '手机号码', minMaxLength: 11, placeholder: '请输入11位手机号码' },
  { format: 'company_name', label: '企业名称（可搜索）', minMaxLength: 2, placeholder: '请输入企业名称进行搜索' },
]

/**
 * Where a company picked in a `company_name` field goes: the form's first credit-code field and its first
 * region field (either may be missing). The picked values stay editable.
 */
export function companyTargets(schema: FormSchema): { uscc?: string; region?: string } {
  const fields = schema.sections.flatMap((s) => s.fields)
  return {
    uscc: fields.find((f) => f.type === 'text' && f.format === 'uscc')?.key,
    region: fields.find((f) => f.type === 'region')?.key,
  }
}

export function textFormat(format: TextFormat | undefined) {
  return TEXT_FORMATS.find((f) => f.format === format)
}

/** The file types a file field may accept. */
export const FILE_TYPES: readonly string[] = ['pdf', 'jpg', 'jpeg', 'png', 'doc', 'docx', 'xls', 'xlsx', 'zip', 'rar', 'ofd']

/** Defaults of the optional keys, as serde fills them. */
export const DEFAULTS = { textMax: 200, longTextMax: 2000, maxMb: 20, maxCount: 1, maxRows: 500 } as const

/** Bounds that keep a form reasonable (the server's). */
export const LIMITS = { sections: 30, fields: 400, options: 200, text: 50_000, rows: 500, fileMb: 200, files: 50 } as const

/** A short Chinese name of each kind, for the designer and messages (Rust `kind_label`). */
export const TYPE_LABELS: Record<FieldType, string> = {
  text: '单行文本',
  long_text: '多行文本',
  number: '数字',
  money: '金额（万元）',
  date: '日期',
  date_range: '日期范围',
  choice: '单选',
  yes_no: '是/否',
  region: '地区',
  table: '表格',
  file: '附件',
  reference: '引用信息',
  computed: '自动计算',
  notice: '说明文字',
}

// ---------------------------------------------------------------------------------------------
// Helpers on the schema
// ---------------------------------------------------------------------------------------------

export function kindLabel(field: Field): string {
  if (field.type === 'choice') return field.multiple ? '多选' : '单选'
  return TYPE_LABELS[field.type]
}

/** The label, or the key when the designer left it empty (notices). */
export function fieldName(field: Pick<Field, 'key' | 'label'>): string {
  const label = rustTrim(field.label ?? '')
  return label || field.key
}

/** Whether the field holds a value the applicant types or picks. */
export function isInput(field: Field): boolean {
  return field.type !== 'notice' && field.type !== 'reference' && field.type !== 'computed'
}

/** `^[a-z][a-z0-9_]{0,39}$`: a key is part of every stored value and of the paths in messages. */
export function validKey(key: string): boolean {
  return /^[a-z][a-z0-9_]{0,39}$/.test(key)
}

export function maxLength(field: TextField | LongTextField): number {
  return field.max_length ?? (field.type === 'text' ? DEFAULTS.textMax : DEFAULTS.longTextMax)
}

export function maxRows(field: TableField): number {
  return field.max_rows ?? DEFAULTS.maxRows
}

/** The fewest rows an added-rows table may have on submit: a required one needs at least one. */
export function minRows(field: TableField): number {
  const min = field.min_rows ?? 0
  return field.required ? Math.max(min, 1) : min
}

export function isFixedTable(field: TableField): boolean {
  return (field.fixed_rows?.length ?? 0) > 0
}

export interface Located {
  section: Section
  sectionIndex: number
  field: Field
  fieldIndex: number
}

/** Every field in document order with its section, table columns excluded (Rust `all_fields`). */
export function allFields(schema: FormSchema): Located[] {
  const out: Located[] = []
  schema.sections.forEach((section, sectionIndex) =>
    section.fields.forEach((field, fieldIndex) => out.push({ section, sectionIndex, field, fieldIndex })),
  )
  return out
}

/** The top-level field with `key` (the first, like the server). */
export function findField(schema: FormSchema, key: string): Field | undefined {
  for (const s of schema.sections) for (const f of s.fields) if (f.key === key) return f
  return undefined
}

/** JSON equality (serde_json's `Value` ==). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]))
  }
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined)
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined)
  return ak.length === bk.length && ak.every((k) => k in bo && jsonEqual(ao[k], bo[k]))
}

/**
 * Whether `field` is shown given `values`: its condition holds and the field its condition names is shown,
 * and so on up the chain (Rust `is_visible`). A hidden field keeps its value but is neither checked nor shown.
 */
export function isVisible(schema: FormSchema, values: FormValues, field: Field): boolean {
  let f = field
  // Conditions only name earlier fields (the schema check), so this walk ends; the bound guards a schema
  // that was never checked.
  for (let i = 0; i <= LIMITS.fields; i++) {
    const cond = f.when
    if (!cond) return true
    const v = values?.[cond.field]
    if (v === undefined || !jsonEqual(v, cond.equals)) return false
    const next = findField(schema, cond.field)
    if (!next || next.key === f.key) return false
    f = next
  }
  return false
}

/** The text of a scalar value: a string trimmed, a number through its decimal text; null when empty. */
export function textOf(v: unknown): string | null {
  if (typeof v === 'string') {
    const t = rustTrim(v)
    return t ? t : null
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  return null
}

/**
 * The sum of a table column over its rows, as exact decimal text (Rust `computed_sum`): cells that are empty
 * or not a number count as nothing (the server's checks name them). Null when the table or column does not
 * exist, is not numeric, or the sum overflows.
 */
export function computedSum(schema: FormSchema, values: FormValues, sum: ColumnRef): string | null {
  const table = findField(schema, sum.table)
  if (!table || table.type !== 'table') return null
  const col = table.columns.find((c) => c.key === sum.column)
  if (!col) return null
  const raw = values?.[sum.table]
  const rows = Array.isArray(raw) ? raw : []
  const cells: string[] = []
  for (const r of rows) {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) continue
    const t = textOf((r as TableRow)[sum.column])
    if (t !== null) cells.push(t)
  }
  if (col.type === 'money') {
    let fen = 0n
    for (const t of cells) {
      const m = parseWan(t)
      if (!m.ok) continue
      fen += m.fen
      if (fen > MAX_FEN) return null
    }
    return exactWan(fen)
  }
  if (col.type === 'number') {
    let total = 0n
    for (const t of cells) {
      const d = parseDecimal(t, col.decimals ?? 0)
      if (!d.ok) continue
      const next = checkedAdd(total, d.micros)
      if (next === null) return null
      total = next
    }
    return formatDecimal(total)
  }
  return null
}

/** Whether a computed field sums a money column (its value reads in 万元). */
export function sumsMoney(schema: FormSchema, sum: ColumnRef): boolean {
  const table = findField(schema, sum.table)
  return table?.type === 'table' && table.columns.some((c) => c.key === sum.column && c.type === 'money')
}

/**
 * How a value reads in the read-only view, the diff and the printed document (Rust `display`): 「是」,
 * 「12.5 人」, 「1500.25 万元」, 「2024-01-01 至 2024-12-31」, 「其他（说明）」, 「2个文件」; '' when empty.
 * `other` is the value of `<key>_other` for a choice.
 */
export function displayValue(field: Field, value: unknown, other?: unknown): string {
  if (value === null || value === undefined) return ''
  switch (field.type) {
    case 'yes_no':
      if (typeof value === 'boolean') return value ? '是' : '否'
      return textOf(value) ?? ''
    case 'number': {
      const t = textOf(value)
      if (t === null) return ''
      return field.unit ? `${t} ${field.unit}` : t
    }
    case 'money': {
      const t = textOf(value)
      if (t === null) return ''
      const m = parseWan(t)
      return m.ok ? `${exactWan(m.fen)} 万元` : t
    }
    case 'date_range': {
      const o = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
      const s = typeof o.start === 'string' ? o.start : ''
      const e = typeof o.end === 'string' ? o.end : ''
      return !s && !e ? '' : `${s} 至 ${e}`
    }
    case 'choice': {
      const picked = Array.isArray(value)
        ? value.filter((x): x is string => typeof x === 'string')
        : typeof value === 'string'
          ? [value]
          : []
      const o = typeof other === 'string' ? rustTrim(other) : ''
      return picked.map((p) => (p === OTHER && o ? `其他（${o}）` : p)).join('、')
    }
    case 'file':
      if (Array.isArray(value)) return value.length ? `${value.length}个文件` : ''
      return textOf(value) ?? ''
    case 'table':
      if (Array.isArray(value)) return `${value.length}行`
      return textOf(value) ?? ''
    case 'notice':
      return ''
    default:
      return textOf(value) ?? ''
  }
}

/** A new form: no title yet, one empty section. */
export function emptySchema(): FormSchema {
  return { title: '', sections: [{ key: 's1', title: '一、基本情况', fields: [] }] }
}
