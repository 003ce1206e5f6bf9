/**
 * Questionnaire logic shared by the assessment pages: what a fill-in accepts, the Q2/Q3 rates the
 * server derives from two counts, option exclusivity, answered state and the request body.
 *
 * The checks mirror `shuzhuan_core::assessment` (answers.rs, edition.rs) so the page can say what is
 * wrong before the server does; the server checks everything again and its message wins.
 */
import type { Answers, EditionContent, FillIn, Question, QuestionAnswer, Scenario } from '@/api/assessment'

export const LEVEL_NAMES = ['无等级', '一级', '二级', '三级', '四级'] as const

export function levelName(level: number | null | undefined): string {
  return level === null || level === undefined ? '未选择' : (LEVEL_NAMES[level] ?? `${level}级`)
}

export const TYPE_LABELS: Record<Question['type'], string> = { single: '单选题', multi: '多选题' }

// ---------------------------------------------------------------------------------------------
// Fill-ins
// ---------------------------------------------------------------------------------------------

export type FillInKind = 'count' | 'amount' | 'quantity' | 'percent'

const COUNT_UNITS = ['台', '人', '个', '家', '套', '项', '次', '件']

/** As the server decides it: counting units are whole numbers, 元 amounts, no unit a percentage. */
export function fillInKind(f: Pick<FillIn, 'unit'>): FillInKind {
  const u = f.unit
  if (!u) return 'percent'
  if (COUNT_UNITS.includes(u)) return 'count'
  if (u.includes('元')) return 'amount'
  return 'quantity'
}

export function fillInMax(kind: FillInKind): number {
  return kind === 'count' ? 10_000_000 : kind === 'percent' ? 100 : 100_000_000
}

/** The unit shown after the input ("%" for the unit-less percentages). */
export function fillInUnit(f: Pick<FillIn, 'unit'>): string {
  return f.unit ?? '%'
}

/** The label without its "（台）" suffix, which the input shows as its unit. */
export function fillInLabel(f: Pick<FillIn, 'label' | 'unit'>): string {
  const label = f.label.trim()
  if (f.unit) {
    for (const suffix of [`（${f.unit}）`, `(${f.unit})`]) {
      if (label.endsWith(suffix)) return label.slice(0, -suffix.length).trim()
    }
  }
  return label
}

/** A short name for messages: "其中生产设备数量为" → "生产设备数量". */
export function fillInName(f: Pick<FillIn, 'label' | 'unit'>): string {
  return fillInLabel(f).replace(/^其中/, '').replace(/为$/, '')
}

export type ParsedNumber = { ok: true; value: number | null } | { ok: false; message: string }

/** Parse what was typed into a fill-in: empty = not filled in; otherwise a number within the field's rules. */
export function parseFillIn(text: string, f: Pick<FillIn, 'label' | 'unit'>): ParsedNumber {
  const t = text.trim().replace(/[，,]/g, '').replace(/。/g, '.')
  if (t === '') return { ok: true, value: null }
  const kind = fillInKind(f)
  const name = fillInName(f)
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return { ok: false, message: `${name}须为数字` }
  const v = Number(t)
  if (!Number.isFinite(v)) return { ok: false, message: `${name}须为有效数字` }
  if (v < 0) return { ok: false, message: `${name}不能为负数` }
  if (kind === 'count' && !Number.isInteger(v)) return { ok: false, message: `${name}须为整数` }
  const max = fillInMax(kind)
  if (v > max) return { ok: false, message: `${name}不能大于${max.toLocaleString('zh-CN')}` }
  return { ok: true, value: v + 0 }
}

// ---------------------------------------------------------------------------------------------
// Rates derived from counts (Q2 设备数字化率, Q3 设备联网率)
// ---------------------------------------------------------------------------------------------

interface RateRuleSpec {
  rateKey: string
  partKey: string
  totalKey: string
  rateName: string
  partName: string
  totalName: string
}

/** The same rules as the server's RATE_RULES (edition.rs), keyed by the data file's fill-in keys. */
const RATE_RULE_SPECS: RateRuleSpec[] = [
  {
    rateKey: 'q2_rate',
    partKey: 'q2_equipment_digitized',
    totalKey: 'q2_equipment_total',
    rateName: '生产设备数字化率',
    partName: '数字化设备数量',
    totalName: '设备总数',
  },
  {
    rateKey: 'q3_rate',
    partKey: 'q3_equipment_networked',
    totalKey: 'q2_equipment_total',
    rateName: '生产设备联网率',
    partName: '联网设备数量',
    totalName: '设备总数',
  },
]

/** A rate band from an option label: "[0-10%]", "(10%,20%]". Bounds in percent. */
export interface Band {
  lower: number
  upper: number
  lowerClosed: boolean
  upperClosed: boolean
}

export function parseBand(label: string): Band | null {
  const m = /^\s*([[(［（])\s*(\d+(?:\.\d+)?)\s*%?\s*[-,，~～、]\s*(\d+(?:\.\d+)?)\s*%?\s*([\])］）])\s*$/.exec(label)
  if (!m) return null
  const lower = Number(m[2])
  const upper = Number(m[3])
  if (!(lower <= upper)) return null
  return { lower, upper, lowerClosed: m[1] === '[' || m[1] === '［', upperClosed: m[4] === ']' || m[4] === '］' }
}

/** Whether part/total (as a percentage, compared exactly) lies in the band. */
function bandHolds(b: Band, part: number, total: number): boolean {
  // p = 100·part/total, compared without dividing: lower·total vs 100·part.
  const p100 = 100 * part
  const lo = b.lower * total
  const hi = b.upper * total
  const aboveLower = b.lowerClosed ? p100 >= lo : p100 > lo
  const belowUpper = b.upperClosed ? p100 <= hi : p100 < hi
  return aboveLower && belowUpper
}

export interface RateRule extends RateRuleSpec {
  /** The question whose option is derived and which holds the rate fill-in. */
  question: number
  partQuestion: number
  totalQuestion: number
  /** One band per option, in option order. */
  bands: Band[]
}

export interface RateResult {
  /** Both counts filled in (and consistent): the rate and the option it selects. */
  state: 'computed'
  rate: number
  /** Rounded half up to two decimals, as the server stores it. */
  display: string
  option: string | null
}
export type RateState = RateResult | { state: 'incomplete' } | { state: 'invalid'; message: string }

function findFillIn(edition: EditionContent, key: string): [Question, FillIn] | null {
  for (const q of edition.questions) {
    const f = q.fill_ins.find((x) => x.key === key)
    if (f) return [q, f]
  }
  return null
}

/** The rate rules that apply to this edition (it has the rate fill-in, the counts and band options). */
export function rateRules(edition: EditionContent): RateRule[] {
  const rules: RateRule[] = []
  for (const spec of RATE_RULE_SPECS) {
    const rate = findFillIn(edition, spec.rateKey)
    const part = findFillIn(edition, spec.partKey)
    const total = findFillIn(edition, spec.totalKey)
    if (!rate || !part || !total) continue
    const q = rate[0]
    if (q.type !== 'single') continue
    const bands = q.options.map((o) => parseBand(o.label))
    if (bands.some((b) => b === null)) continue
    rules.push({ ...spec, question: q.no, partQuestion: part[0].no, totalQuestion: total[0].no, bands: bands as Band[] })
  }
  return rules
}

/** Rate percentage rounded half up to two decimals (server: round_pct). */
function roundedRate(part: number, total: number): number {
  if (total === 0) return 0
  return Math.floor((20000 * part + total) / (2 * total)) / 100
}

export function fillInValue(answers: Answers, question: number, key: string): number | null {
  const v = answers.questions[String(question)]?.fill_ins?.[key]
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

export function evaluateRate(rule: RateRule, q: Question, answers: Answers): RateState {
  const part = fillInValue(answers, rule.partQuestion, rule.partKey)
  const total = fillInValue(answers, rule.totalQuestion, rule.totalKey)
  if (part !== null && total !== null) {
    if (part > total) return { state: 'invalid', message: `${rule.partName}不能大于${rule.totalName}` }
    // No equipment at all: nothing is digitized, the rate is 0 (as the server decides).
    const [p, t] = total === 0 ? [0, 1] : [part, total]
    const rate = (100 * p) / t
    const option = rule.bands.findIndex((b) => bandHolds(b, p, t))
    return {
      state: 'computed',
      rate,
      display: roundedRate(part, total).toFixed(2),
      option: option >= 0 ? (q.options[option]?.key ?? null) : null,
    }
  }
  // No counts: a rate typed elsewhere (an API client) still selects its band.
  const typed = fillInValue(answers, rule.question, rule.rateKey)
  if (typed !== null) {
    const index = rule.bands.findIndex((b) => bandHolds(b, typed, 100))
    return { state: 'computed', rate: typed, display: typed.toFixed(2), option: index >= 0 ? (q.options[index]?.key ?? null) : null }
  }
  return { state: 'incomplete' }
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

/** Tick or untick an option; on a multi-choice question "无" and the others exclude each other. */
export function toggleOption(q: Question, selected: string[], key: string, checked: boolean): string[] {
  if (q.type === 'single') return checked ? [key] : []
  let next = checked ? [...new Set([...selected, key])] : selected.filter((k) => k !== key)
  const ex = q.exclusive_option
  if (checked && ex) {
    next = key === ex ? [ex] : next.filter((k) => k !== ex)
  }
  const order = q.options.map((o) => o.key)
  return next.sort((a, b) => order.indexOf(a) - order.indexOf(b))
}

/** Whether question q is answered (a derived question: its fill-ins determine a band). */
export function questionAnswered(q: Question, answers: Answers, rules: RateRule[]): boolean {
  const rule = rules.find((r) => r.question === q.no)
  if (rule) {
    const r = evaluateRate(rule, q, answers)
    return r.state === 'computed' && r.option !== null
  }
  return (answers.questions[String(q.no)]?.options ?? []).length > 0
}

export function scenarioAnswered(s: Scenario, answers: Answers): boolean {
  const v = answers.scenarios[String(s.no)]
  return typeof v === 'number'
}

/**
 * The request body for PUT /api/assessments/draft. Derived questions send their counts only (the
 * server fills in the band and the rate); a rate that came without counts is kept until the counts
 * are edited (the page removes it then).
 */
export function toRequest(edition: EditionContent, answers: Answers, rules: RateRule[]): Answers {
  const out: Answers = { questions: {}, scenarios: {} }
  for (const q of edition.questions) {
    const a: QuestionAnswer | undefined = answers.questions[String(q.no)]
    if (!a) continue
    const rule = rules.find((r) => r.question === q.no)
    const fill: Record<string, number> = {}
    for (const f of q.fill_ins) {
      const v = a.fill_ins?.[f.key]
      if (typeof v === 'number' && Number.isFinite(v)) fill[f.key] = v
    }
    let options = [...(a.options ?? [])]
    if (rule) {
      options = []
      const part = fillInValue(answers, rule.partQuestion, rule.partKey)
      const total = fillInValue(answers, rule.totalQuestion, rule.totalKey)
      if (part !== null && total !== null) delete fill[rule.rateKey]
    }
    const entry: QuestionAnswer = {}
    if (options.length) entry.options = options
    if (Object.keys(fill).length) entry.fill_ins = fill
    if (entry.options || entry.fill_ins) out.questions[String(q.no)] = entry
  }
  for (const s of edition.scenarios) {
    const v = answers.scenarios[String(s.no)]
    if (typeof v === 'number') out.scenarios[String(s.no)] = v
  }
  return out
}

/** The page a question is on: one page per dimension, in the edition's dimension order. */
export function pageOfQuestion(edition: EditionContent, no: number): number {
  const q = edition.questions.find((x) => x.no === no)
  if (!q) return 0
  const i = edition.dimensions.findIndex((d) => d.code === q.dimension)
  return i >= 0 ? i : 0
}

/** "questions.3" → {kind:'question', no:3}; "scenarios.2" → scenario 2. */
export function parseField(field: string): { kind: 'question' | 'scenario'; no: number } | null {
  const m = /^(questions|scenarios)\.(\d+)/.exec(field)
  if (!m) return null
  return { kind: m[1] === 'questions' ? 'question' : 'scenario', no: Number(m[2]) }
}
