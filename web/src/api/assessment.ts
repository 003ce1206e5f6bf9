/**
 * 评估评测 (digital-level self-assessment): the questionnaire edition, the organization's draft
 * (autosaved), submission, the history of results and the PDF report.
 *
 * The envelopes (DraftView, AssessmentSummary, AssessmentDetail, …) come from the generated schema (types.ts).
 * Three members are typed `Object` in the OpenAPI document (the server stores them as JSON): the
 * edition's `content`, the `answers` and the scored `result`. Their shapes are those of the edition
 * data file (data/reference/assessment/2024.json) and of `shuzhuan_core::assessment`; they are
 * described below (`EditionContent`, `Answers`, `AssessmentResult`) and read through `asEdition()`,
 * `asAnswers()` and `asResult()`, the only places where the untyped JSON is cast.
 */
import { api, call, type CallOptions } from './client'
import { ApiError } from './errors'
import { downloadFile } from './download'
import type { AssessmentDetail, AssessmentList, DraftView, EditionView, SaveDraftBody } from './types'

// ---------------------------------------------------------------------------------------------
// Shapes of the JSON members the OpenAPI document leaves as `Object`
// ---------------------------------------------------------------------------------------------

export interface Dimension {
  /** basis / management / effectiveness */
  code: string
  name: string
  points: number
}

export interface AnswerOption {
  key: string
  label: string
  score: number
  weight_pct?: number
}

export interface FillIn {
  key: string
  /** The platform's label, verbatim ("其中生产设备数量为（台）"). */
  label: string
  unit: string | null
  required: boolean | null
  note?: string | null
}

export interface Question {
  no: number
  dimension: string
  path?: string[]
  title: string
  description: string | null
  type: 'single' | 'multi'
  max: number
  /** The "无" option of a multi-choice question (ticking it clears the others). */
  exclusive_option: string | null
  options: AnswerOption[]
  fill_ins: FillIn[]
}

export interface Scenario {
  no: number
  group: string
  name: string
  /** 约束性场景 */
  constrained: boolean
  /** Level "1".."4" → what an enterprise at that level has done. */
  levels: Record<string, string>
}

export interface LevelRule {
  level: number
  name: string
  title: string
  min_score: number
  min_scenarios_at_or_above: number
  min_constrained_at_or_above: number
}

export interface EditionContent {
  name: string
  version: string
  provenance?: string
  dimensions: Dimension[]
  questions: Question[]
  scenarios: Scenario[]
  level_rules: LevelRule[]
}

/** The answers as the page saves them and the server stores them (complete or not). */
export interface QuestionAnswer {
  options?: string[]
  fill_ins?: Record<string, number | null>
}

export interface Answers {
  questions: Record<string, QuestionAnswer>
  /** Scenario no → level 0 (无等级) … 4; null = not answered. */
  scenarios: Record<string, number | null>
}

export interface ScenarioCounts {
  scenarios: number
  constrained: number
  /** Index l: scenarios at level l or above. */
  at_or_above: number[]
  constrained_at_or_above: number[]
}

export interface AssessmentResult {
  edition_name: string
  edition_version: string
  weighting: string
  questions: { no: number; dimension: string; selected: string[]; score: number; max: number }[]
  dimensions: { code: string; name: string; score: number; max: number; display: string }[]
  total: number
  total_display: string
  scenarios: { no: number; name: string; group: string; constrained: boolean; level: number; level_name: string }[]
  counts: ScenarioCounts
  groups: { group: string; counts: ScenarioCounts; level_sum: number; average_level: number }[]
  level: { level: number; name: string; title: string } | null
  level_display: string
  summary: string
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function asEdition(view: EditionView): EditionContent {
  const c = view.content as unknown
  if (!isRecord(c) || !Array.isArray(c.questions) || !Array.isArray(c.scenarios)) {
    throw new ApiError(200, 'bad_response', '题库数据无法识别，请稍后重试')
  }
  const e = c as unknown as EditionContent
  return { ...e, dimensions: e.dimensions ?? [], level_rules: e.level_rules ?? [] }
}

export function asAnswers(value: unknown): Answers {
  const v = isRecord(value) ? value : {}
  return {
    questions: isRecord(v.questions) ? (v.questions as Record<string, QuestionAnswer>) : {},
    scenarios: isRecord(v.scenarios) ? (v.scenarios as Record<string, number | null>) : {},
  }
}

export function asResult(value: unknown): AssessmentResult | null {
  return isRecord(value) && Array.isArray(value.dimensions) ? (value as unknown as AssessmentResult) : null
}

// ---------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------

let editionPromise: Promise<EditionView> | null = null

/** The questionnaire new assessments use (cached for the page's lifetime). */
export function fetchEdition(options?: CallOptions): Promise<EditionView> {
  if (!editionPromise) {
    editionPromise = call(api.GET('/api/assessment/edition'), options)
    editionPromise.catch(() => {
      editionPromise = null
    })
  }
  return editionPromise
}

/** The organization's unfinished assessment, or null when there is none. */
export async function fetchDraft(options: CallOptions = {}): Promise<DraftView | null> {
  return (await call(api.GET('/api/assessments/draft'), options)) ?? null
}

/**
 * Save the answers so far (autosave). 422 = refused with a message per question (`questions.2`,
 * `scenarios.3`); nothing is saved then. `keepalive` lets the request outlive the page (unload).
 */
export function saveDraft(answers: Answers, options?: CallOptions & { keepalive?: boolean }): Promise<DraftView> {
  // The schema types `answers` as a bare Object (Record<string, never>); the shape is `Answers`.
  const body = { answers } as unknown as SaveDraftBody
  return call(api.PUT('/api/assessments/draft', { body, keepalive: options?.keepalive }), options)
}

/** Score the draft and keep the result (保存并提交). 422 lists the unanswered items as fields. */
export function submitDraft(options?: CallOptions): Promise<AssessmentDetail> {
  return call(api.POST('/api/assessments/draft/submit'), options)
}

export function listAssessments(page: number, pageSize: number, options?: CallOptions): Promise<AssessmentList> {
  return call(api.GET('/api/assessments', { params: { query: { page, page_size: pageSize } } }), options)
}

export function fetchAssessment(id: string, options?: CallOptions): Promise<AssessmentDetail> {
  return call(api.GET('/api/assessments/{id}', { params: { path: { id } } }), options)
}

export function reportUrl(id: string): string {
  return `/api/assessments/${encodeURIComponent(id)}/report`
}

/**
 * Download the PDF report: fetched first (so a refusal or a missing font is shown as a message,
 * not as a page of JSON), then saved under the server's file name.
 */
export function downloadReport(id: string, fallbackName = '数字化水平评测报告.pdf'): Promise<void> {
  return downloadFile(reportUrl(id), fallbackName)
}
