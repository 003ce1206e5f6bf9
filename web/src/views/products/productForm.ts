/**
 * The product form (产品/服务, seed 000 §02 and §04; docs/providers-products.md `ProductForm`): its choices
 * and limits (the server's, crates/server/src/providers/forms.rs), the values the page edits, how they are
 * read from and written to the form JSON (files are ids there, names are looked up), and the same checks the
 * server makes on submit, named by the same field paths (`name`, `cases[1].contract_file_ids` …).
 */
import type { StoredFile } from '@/api/types'
import type { DraftFile, FileNames } from '@/utils/localDraft'
import type { FieldProblem } from '@/utils/fieldPaths'
import { FEN_PER_WAN, parseWan } from '@/utils/money'
import { textLength } from '@/utils/review'

// ---------------------------------------------------------------------------------------------
// Choices and limits
// ---------------------------------------------------------------------------------------------

export interface Choice {
  value: string
  label: string
}

export const PRODUCT_NATURES: Choice[] = [
  { value: '自有产品', label: '自有产品' },
  { value: '代理产品', label: '代理产品' },
  { value: '合作产品', label: '合作产品' },
]

export const ARCHITECTURES: Choice[] = [
  { value: 'PC单机', label: 'PC单机' },
  { value: 'C/S', label: 'C/S（客户端/服务端）架构' },
  { value: 'B/S', label: 'B/S（浏览器/服务器）架构' },
  { value: '其他', label: '其他' },
]

export const DEPLOY_MODES: Choice[] = [
  { value: '本地部署', label: '本地部署' },
  { value: '云端部署', label: '云端部署' },
  { value: '混合部署', label: '混合部署' },
]

export const PURCHASE_MODES: Choice[] = [
  { value: '一次性购买', label: '一次性购买' },
  { value: '按需购买', label: '按需购买' },
  { value: '按年订阅', label: '按年订阅' },
  { value: '其他', label: '其他' },
]

export const AWARDS: Choice[] = [
  { value: '国家级', label: '曾获得国家级奖项' },
  { value: '省部级', label: '曾获得省部级奖项' },
  { value: '其他', label: '其他获奖情况' },
  { value: '未获奖', label: '未获奖' },
]

/** The free-text category next to the grouped ones. */
export const OTHER_CATEGORY = '其他'

export const LIMITS = {
  name: 50,
  categoryOther: 100,
  description: 2000,
  deployPeriod: 50,
  subIndustries: 200,
  scenarios: 500,
  awardNote: 500,
  otherNote: 1000,
  enterprise: 100,
  minCases: 3,
  /** 万元 (the server's `MAX_PRICE_WAN`). */
  maxPrice: 100_000,
} as const

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

export interface CaseValues {
  enterprise: string
  contracts: StoredFile[]
}

export interface ProductValues {
  name: string
  nature: string
  ip_proof: StoredFile[]
  categories: string[]
  category_other: string
  description: string
  deploy_architecture: string
  deploy_mode: string
  deploy_period: string
  purchase_mode: string
  /** 万元, the text as typed ("2.5"; empty when unset): read as fen only where it is checked (issue 12). */
  price_min: string
  price_max: string
  discount_rate: number | null
  industry_code: string | null
  sub_industries: string
  scenarios: string
  cases: CaseValues[]
  awards: string
  award_note: string
  other_note: string
  evidence: StoredFile[]
}

export function emptyCase(): CaseValues {
  return { enterprise: '', contracts: [] }
}

/** A new product: empty, with the three cases the form asks for at least. */
export function emptyProduct(): ProductValues {
  return {
    name: '',
    nature: '',
    ip_proof: [],
    categories: [],
    category_other: '',
    description: '',
    deploy_architecture: '',
    deploy_mode: '',
    deploy_period: '',
    purchase_mode: '',
    price_min: '',
    price_max: '',
    discount_rate: null,
    industry_code: null,
    sub_industries: '',
    scenarios: '',
    cases: Array.from({ length: LIMITS.minCases }, emptyCase),
    awards: '',
    award_note: '',
    other_note: '',
    evidence: [],
  }
}

// ---------------------------------------------------------------------------------------------
// Files: ids in the JSON, names from what the page knows
// ---------------------------------------------------------------------------------------------

/** A stored file as the upload component lists it, from what is known about it. */
export function storedFile(id: string, names: FileNames, purpose: string): StoredFile {
  const known = names.get(id)
  return {
    id,
    name: known?.name || '已上传的文件',
    size: known?.size ?? 0,
    purpose,
    content_type: '',
    created_at: '',
    sha256: '',
  }
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : ''
}

export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
}

/** A number from JSON (numbers, or numeric strings from older drafts); null when absent. */
export function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.trim())
    return Number.isFinite(n) ? n : null
  }
  return null
}

export function filesFrom(ids: unknown, names: FileNames, purpose = 'credential'): StoredFile[] {
  return strings(ids).map((id) => storedFile(id, names, purpose))
}

export function ids(files: readonly { id: string }[]): string[] {
  return files.map((f) => f.id)
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

// ---------------------------------------------------------------------------------------------
// JSON <-> values
// ---------------------------------------------------------------------------------------------

/** The edit values of a product read from its JSON (missing or mistyped keys become empty). */
export function readProduct(json: unknown, names: FileNames = new Map()): ProductValues {
  const f = isRecord(json) ? json : {}
  const cases = Array.isArray(f.cases)
    ? f.cases.map((c) => {
        const r = isRecord(c) ? c : {}
        return { enterprise: str(r.enterprise), contracts: filesFrom(r.contract_file_ids, names) }
      })
    : []
  return {
    name: str(f.name),
    nature: str(f.nature),
    ip_proof: filesFrom(f.ip_proof_file_ids, names),
    categories: strings(f.categories),
    category_other: str(f.category_other),
    description: str(f.description),
    deploy_architecture: str(f.deploy_architecture),
    deploy_mode: str(f.deploy_mode),
    deploy_period: str(f.deploy_period),
    purchase_mode: str(f.purchase_mode),
    // A string is what was typed and stays as it is, even when not an amount, so it can be seen and fixed;
    // an older draft's number becomes its decimal text, which the server reads the same way.
    price_min: str(f.price_min),
    price_max: str(f.price_max),
    discount_rate: num(f.discount_rate),
    industry_code: str(f.industry_code) || null,
    sub_industries: str(f.sub_industries),
    scenarios: str(f.scenarios),
    cases,
    awards: str(f.awards),
    award_note: str(f.award_note),
    other_note: str(f.other_note),
    evidence: filesFrom(f.evidence_file_ids, names),
  }
}

/** The product JSON to save (text trimmed; 其他 text kept only while 其他 is chosen). */
export function writeProduct(v: ProductValues): Record<string, unknown> {
  const other = v.categories.includes(OTHER_CATEGORY)
  const awarded = v.awards !== '' && v.awards !== '未获奖'
  return {
    name: v.name.trim(),
    nature: v.nature,
    ip_proof_file_ids: ids(v.ip_proof),
    categories: [...v.categories],
    category_other: other ? v.category_other.trim() : '',
    description: v.description.trim(),
    deploy_architecture: v.deploy_architecture,
    deploy_mode: v.deploy_mode,
    deploy_period: v.deploy_period.trim(),
    purchase_mode: v.purchase_mode,
    price_min: v.price_min.trim(),
    price_max: v.price_max.trim(),
    discount_rate: v.discount_rate,
    industry_code: v.industry_code || '',
    sub_industries: v.sub_industries.trim(),
    scenarios: v.scenarios.trim(),
    cases: v.cases.map((c) => ({ enterprise: c.enterprise.trim(), contract_file_ids: ids(c.contracts) })),
    awards: v.awards,
    award_note: awarded ? v.award_note.trim() : '',
    other_note: v.other_note.trim(),
    evidence_file_ids: ids(v.evidence),
  }
}

/** Every file a product refers to, with its name (kept with unsaved edits). */
export function productFiles(v: ProductValues): DraftFile[] {
  return [...v.ip_proof, ...v.evidence, ...v.cases.flatMap((c) => c.contracts)].map((f) => ({ id: f.id, name: f.name, size: f.size }))
}

// ---------------------------------------------------------------------------------------------
// Checks (the server's, so the user hears about them before sending)
// ---------------------------------------------------------------------------------------------

function requiredText(out: FieldProblem[], prefix: string, key: string, value: string, label: string, max: number) {
  const t = value.trim()
  const n = textLength(t)
  if (!t) out.push({ field: prefix + key, message: `请填写${label}` })
  else if (n > max) out.push({ field: prefix + key, message: `${label}不能超过${max}个字，当前为${n}个字` })
}

function optionalText(out: FieldProblem[], prefix: string, key: string, value: string, label: string, max: number) {
  const n = textLength(value.trim())
  if (n > max) out.push({ field: prefix + key, message: `${label}不能超过${max}个字，当前为${n}个字` })
}

function choice(out: FieldProblem[], prefix: string, key: string, value: string, label: string, options: Choice[]) {
  if (!value) out.push({ field: prefix + key, message: `请选择${label}` })
  else if (!options.some((o) => o.value === value)) out.push({ field: prefix + key, message: `${label}选项无效` })
}

/** The highest quotable price, in fen. */
const MAX_PRICE_FEN = BigInt(LIMITS.maxPrice) * FEN_PER_WAN

/** A price as fen, or null with its problem added (absent, not an amount, above the limit). */
function priceFen(out: FieldProblem[], field: string, label: string, text: string): bigint | null {
  if (!text.trim()) {
    out.push({ field, message: `请填写${label}（万元）` })
    return null
  }
  const parsed = parseWan(text)
  if (!parsed.ok) out.push({ field, message: `${label}：${parsed.message}` })
  else if (parsed.fen > MAX_PRICE_FEN) out.push({ field, message: `${label}应在0至${LIMITS.maxPrice}万元之间` })
  else return parsed.fen
  return null
}

/**
 * Why the price range cannot be saved as it is, by field (最低/最高报价, 万元 as typed). The prices are read
 * by the server's rules (utils/money.ts) and compared as fen, so what passes here passes there, and
 * "12.345678" and "12.345677" compare as the different amounts they are.
 */
export function priceProblems(min: string, max: string, prefix = ''): FieldProblem[] {
  const out: FieldProblem[] = []
  const lo = priceFen(out, `${prefix}price_min`, '最低报价', min)
  const hi = priceFen(out, `${prefix}price_max`, '最高报价', max)
  if (lo !== null && hi !== null && hi < lo) out.push({ field: `${prefix}price_max`, message: '最高报价不能低于最低报价' })
  return out
}

/** Every problem of a product, by field; `prefix` is `products[0].` inside an application. */
export function validateProduct(v: ProductValues, prefix = ''): FieldProblem[] {
  const out: FieldProblem[] = []
  requiredText(out, prefix, 'name', v.name, '产品/服务名称', LIMITS.name)
  choice(out, prefix, 'nature', v.nature, '产品性质', PRODUCT_NATURES)
  if (!v.categories.length) out.push({ field: `${prefix}categories`, message: '请选择产品/服务类别（业务环节）' })
  else if (v.categories.includes(OTHER_CATEGORY) && !v.category_other.trim()) {
    out.push({ field: `${prefix}category_other`, message: '选择“其他”时请填写具体类别' })
  }
  optionalText(out, prefix, 'category_other', v.categories.includes(OTHER_CATEGORY) ? v.category_other : '', '其他类别', LIMITS.categoryOther)
  requiredText(out, prefix, 'description', v.description, '产品/服务描述', LIMITS.description)
  choice(out, prefix, 'deploy_architecture', v.deploy_architecture, '部署架构', ARCHITECTURES)
  choice(out, prefix, 'deploy_mode', v.deploy_mode, '部署方式', DEPLOY_MODES)
  requiredText(out, prefix, 'deploy_period', v.deploy_period, '部署周期', LIMITS.deployPeriod)
  choice(out, prefix, 'purchase_mode', v.purchase_mode, '购买方式', PURCHASE_MODES)
  out.push(...priceProblems(v.price_min, v.price_max, prefix))
  if (v.discount_rate === null) out.push({ field: `${prefix}discount_rate`, message: '请填写拟让利比例（%）' })
  else if (v.discount_rate < 0 || v.discount_rate > 100) out.push({ field: `${prefix}discount_rate`, message: '拟让利比例应在0至100之间' })
  if (!v.industry_code) out.push({ field: `${prefix}industry_code`, message: '请选择所属行业' })
  optionalText(out, prefix, 'sub_industries', v.sub_industries, '适用细分行业', LIMITS.subIndustries)
  requiredText(out, prefix, 'scenarios', v.scenarios, '适用场景', LIMITS.scenarios)
  if (v.cases.length < LIMITS.minCases) {
    out.push({ field: `${prefix}cases`, message: `请提供不少于${LIMITS.minCases}个成功应用案例，当前为${v.cases.length}个` })
  }
  v.cases.forEach((c, i) => {
    if (!c.enterprise.trim()) out.push({ field: `${prefix}cases[${i}].enterprise`, message: '请填写服务企业名称' })
    else optionalText(out, prefix, `cases[${i}].enterprise`, c.enterprise, '服务企业名称', LIMITS.enterprise)
    if (!c.contracts.length) out.push({ field: `${prefix}cases[${i}].contract_file_ids`, message: '请上传该案例的合同等证明材料' })
  })
  choice(out, prefix, 'awards', v.awards, '获奖情况', AWARDS)
  if (v.awards !== '未获奖') optionalText(out, prefix, 'award_note', v.award_note, '获奖说明', LIMITS.awardNote)
  optionalText(out, prefix, 'other_note', v.other_note, '其他需要说明的情况', LIMITS.otherNote)
  return out
}

// ---------------------------------------------------------------------------------------------
// Labels of field paths (the summary of problems)
// ---------------------------------------------------------------------------------------------

export const PRODUCT_LABELS: Record<string, string> = {
  name: '产品/服务名称',
  nature: '产品性质',
  ip_proof_file_ids: '自主知识产权证明',
  categories: '产品/服务类别（业务环节）',
  category_other: '其他类别',
  description: '产品/服务描述',
  deploy_architecture: '部署架构',
  deploy_mode: '部署方式',
  deploy_period: '部署周期',
  purchase_mode: '购买方式',
  price_min: '最低报价',
  price_max: '最高报价',
  discount_rate: '拟让利比例',
  industry_code: '所属行业',
  sub_industries: '适用细分行业',
  scenarios: '适用场景',
  cases: '服务企业及数量',
  awards: '获奖情况',
  award_note: '获奖说明',
  other_note: '其他需要说明的情况',
  evidence_file_ids: '其他必要的佐证材料',
  lead_unit_id: '审核数字化牵引单位',
}

/** The label of a path inside a product (`cases[1].enterprise` -> 服务案例2 · 服务企业名称). */
export function productFieldLabel(path: string): string {
  const m = /^cases\[(\d+)\]\.?(.*)$/.exec(path)
  if (m) {
    const what = m[2] === 'enterprise' ? '服务企业名称' : m[2] === 'contract_file_ids' ? '合同等证明材料' : m[2] || ''
    return `服务案例${Number(m[1]) + 1}${what ? ` · ${what}` : ''}`
  }
  return PRODUCT_LABELS[path] ?? path
}
