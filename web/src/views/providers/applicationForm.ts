/**
 * 服务商申报 (首次 / 再次申报, seed 000 §02–§03; docs/providers-products.md `alliance_join` form): the values
 * the three tabs edit, how they are read from and written to the form JSON, the server's checks on submit
 * (same field paths: `license_file_ids`, `products[0].name` …), which tab each field is on and its label.
 */
import type { StoredFile } from '@/api/types'
import type { DraftFile } from '@/utils/localDraft'
import { productIndex, type FieldProblem } from '@/utils/fieldPaths'
import { textLength } from '@/utils/review'
import {
  emptyProduct,
  filesFrom,
  ids,
  num,
  productFieldLabel,
  productFiles,
  readProduct,
  str,
  validateProduct,
  writeProduct,
  type Choice,
  type ProductValues,
} from '@/views/products/productForm'
import type { FileNames } from '@/utils/localDraft'

export type ApplicationType = 'first' | 'repeat'

export const COMPANY_NATURES: Choice[] = ['国有', '民营', '外资', '混合所有制', '其他'].map((v) => ({ value: v, label: v }))

export const APPLICATION_LIMITS = {
  introduction: 500,
  guarantee: 500,
  productCountMax: 10_000,
} as const

export interface ApplicationValues {
  application: ApplicationType
  logo: StoredFile[]
  license: StoredFile[]
  nature: string
  credit_report: StoredFile[]
  lead_unit_id: string
  cooperation_proof: StoredFile[]
  product_count: number | null
  introduction: string
  guarantee: string
  team_list: StoredFile[]
  /** First application only. */
  products: ProductValues[]
}

export function emptyApplication(type: ApplicationType): ApplicationValues {
  return {
    application: type,
    logo: [],
    license: [],
    nature: '',
    credit_report: [],
    lead_unit_id: '',
    cooperation_proof: [],
    product_count: null,
    introduction: '',
    guarantee: '',
    team_list: [],
    products: type === 'first' ? [emptyProduct()] : [],
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The application type of a form JSON (`first` unless it says `repeat`, as the server reads it). */
export function applicationType(json: unknown): ApplicationType {
  return isRecord(json) && json.application === 'repeat' ? 'repeat' : 'first'
}

/** The edit values read from the form JSON (missing or mistyped keys become empty). */
export function readApplication(json: unknown, names: FileNames = new Map()): ApplicationValues {
  const f = isRecord(json) ? json : {}
  const type = applicationType(f)
  return {
    application: type,
    logo: filesFrom(f.logo_file_ids, names, 'photo'),
    license: filesFrom(f.license_file_ids, names),
    nature: str(f.nature),
    credit_report: filesFrom(f.credit_report_file_ids, names),
    lead_unit_id: str(f.lead_unit_id),
    cooperation_proof: filesFrom(f.cooperation_proof_file_ids, names),
    product_count: num(f.product_count),
    introduction: str(f.introduction),
    guarantee: str(f.guarantee),
    team_list: filesFrom(f.team_list_file_ids, names),
    products: type === 'first' && Array.isArray(f.products) ? f.products.map((p) => readProduct(p, names)) : [],
  }
}

/**
 * The form JSON to save: `base` (the server's copy, with the names it fills in such as `company_name`)
 * with the edited fields replaced. A repeat application carries no products.
 */
export function writeApplication(v: ApplicationValues, base: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...base,
    application: v.application,
    logo_file_ids: ids(v.logo),
    license_file_ids: ids(v.license),
    nature: v.nature,
    credit_report_file_ids: ids(v.credit_report),
    lead_unit_id: v.lead_unit_id,
    cooperation_proof_file_ids: ids(v.cooperation_proof),
    product_count: v.product_count,
    introduction: v.introduction.trim(),
    guarantee: v.guarantee.trim(),
    team_list_file_ids: ids(v.team_list),
    products: v.application === 'first' ? v.products.map(writeProduct) : [],
  }
}

/** Every file the application refers to, with its name (kept with unsaved edits). */
export function applicationFiles(v: ApplicationValues): DraftFile[] {
  return [...v.logo, ...v.license, ...v.credit_report, ...v.cooperation_proof, ...v.team_list]
    .map((f) => ({ id: f.id, name: f.name, size: f.size }))
    .concat(v.products.flatMap(productFiles))
}

/** Every problem of the application, by field, as the server checks it on submit. */
export function validateApplication(v: ApplicationValues): FieldProblem[] {
  const out: FieldProblem[] = []
  if (!v.license.length) out.push({ field: 'license_file_ids', message: '请上传营业执照' })
  if (!v.nature) out.push({ field: 'nature', message: '请选择公司性质' })
  if (!v.lead_unit_id) out.push({ field: 'lead_unit_id', message: '请选择数字化牵引单位' })
  if (!v.cooperation_proof.length) {
    out.push({ field: 'cooperation_proof_file_ids', message: '请上传数字化生态伙伴与牵引单位的合作关系证明材料' })
  }
  const n = v.product_count
  if (n === null) out.push({ field: 'product_count', message: '请填写现有面向中小企业的“小快轻准”数字化产品/服务数量' })
  else if (n < 1 || n > APPLICATION_LIMITS.productCountMax || !Number.isInteger(n)) {
    out.push({ field: 'product_count', message: `产品/服务数量应为1至${APPLICATION_LIMITS.productCountMax}的整数` })
  }
  const intro = textLength(v.introduction.trim())
  if (!intro) out.push({ field: 'introduction', message: '请填写服务商简介' })
  else if (intro > APPLICATION_LIMITS.introduction) {
    out.push({ field: 'introduction', message: `服务商简介不能超过${APPLICATION_LIMITS.introduction}个字，当前为${intro}个字` })
  }
  const guarantee = textLength(v.guarantee.trim())
  if (guarantee > APPLICATION_LIMITS.guarantee) {
    out.push({ field: 'guarantee', message: `服务实施保障不能超过${APPLICATION_LIMITS.guarantee}个字，当前为${guarantee}个字` })
  }
  if (v.application === 'first') {
    if (!v.products.length) out.push({ field: 'products', message: '服务商首次申报时，必须填写至少一款产品同时进行申报' })
    v.products.forEach((p, i) => out.push(...validateProduct(p, `products[${i}].`)))
    out.push(...duplicateNames(v.products))
  }
  return out
}

/** Products of one application with the same name (trimmed, spaces and case ignored, as the server compares). */
export function duplicateNames(products: readonly ProductValues[]): FieldProblem[] {
  const out: FieldProblem[] = []
  const seen = new Map<string, number>()
  products.forEach((p, i) => {
    const key = nameKey(p.name)
    if (!key) return
    const first = seen.get(key)
    if (first === undefined) seen.set(key, i)
    else out.push({ field: `products[${i}].name`, message: `与产品/服务${first + 1}重名，请勿重复申报` })
  })
  return out
}

/** The product name as the server compares it for duplicates. */
export function nameKey(name: string): string {
  return name.split(/\s+/).join('').toLowerCase()
}

// ---------------------------------------------------------------------------------------------
// Tabs and labels
// ---------------------------------------------------------------------------------------------

export type ApplicationTab = 'basic' | 'capability' | 'products'

export const APPLICATION_TABS: { name: ApplicationTab; label: string }[] = [
  { name: 'basic', label: '基本信息' },
  { name: 'capability', label: '数字化转型服务能力' },
  { name: 'products', label: '产品信息' },
]

const CAPABILITY_FIELDS = new Set(['product_count', 'introduction', 'guarantee', 'team_list_file_ids'])

/** The tab a field path is on. */
export function tabOf(path: string): ApplicationTab {
  if (path === 'products' || productIndex(path) !== null) return 'products'
  return CAPABILITY_FIELDS.has(path) ? 'capability' : 'basic'
}

/** The tabs of an application type, in order (a repeat application has no 产品信息). */
export function tabsOf(type: ApplicationType): ApplicationTab[] {
  return type === 'first' ? ['basic', 'capability', 'products'] : ['basic', 'capability']
}

export const APPLICATION_LABELS: Record<string, string> = {
  application: '申报类型',
  company_name: '单位名称',
  uscc: '统一社会信用代码',
  logo_file_ids: '公司LOGO',
  license_file_ids: '营业执照',
  nature: '公司性质',
  credit_report_file_ids: '法人和非法人组织公共信用报告',
  lead_unit_id: '数字化牵引单位名称',
  cooperation_proof_file_ids: '合作关系证明材料',
  product_count: '“小快轻准”数字化产品/服务数量',
  introduction: '服务商简介',
  guarantee: '服务实施保障',
  team_list_file_ids: '本地技术服务团队人员名单',
  products: '产品信息',
}

/** The label of any path of the application (`products[1].cases[0].enterprise` -> 产品/服务2 · 服务案例1 · 服务企业名称). */
export function applicationFieldLabel(path: string): string {
  const m = /^products\[(\d+)\]\.(.+)$/.exec(path)
  if (m) return `产品/服务${Number(m[1]) + 1} · ${productFieldLabel(m[2]!)}`
  return APPLICATION_LABELS[path] ?? path
}

