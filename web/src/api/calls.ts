/**
 * 申报 (calls, docs/forms.md "HTTP API"): programs (专题) and their tracks (方向), the calls a city or province
 * runs on them with their settings and versioned application forms (officials); the public notices
 * (portal); 我要申报, the application page, 我的项目 and 我的申报书 (enterprises).
 *
 * The types are written here by hand from the server's handlers (crates/server/src/calls) until
 * docs/openapi.json carries the calls paths and schema.d.ts is generated from it; the requests go through
 * `call()` like every other module, so errors are shown and typed the same way.
 */
import { call, CSRF_HEADER, CSRF_VALUE, type CallOptions } from './client'
import type { FormSchema } from '@/components/form'
import type {
  LetterList,
  NamedApplicant,
  NewResultNotice,
  RecommendationLetter,
  ResultNotice,
  ResultNoticePage,
  ResultProgram,
  ReviewingRow,
} from './types'

// ---------------------------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------------------------

export type ProgramLevel = '国家' | '省' | '市'
export type Funding = '资金类' | '非资金类'
export const PROGRAM_LEVELS: readonly ProgramLevel[] = ['国家', '省', '市']
export const FUNDINGS: readonly Funding[] = ['资金类', '非资金类']
export const ENTERPRISE_SIZES = ['大型', '中型', '小型', '微型'] as const

export interface Track {
  id: string
  name: string
  /** The province's guide (申报指南). */
  guide: string
  opens_at: string
  closes_at: string
}

export interface Program {
  id: string
  year: number
  name: string
  level: ProgramLevel
  funding: Funding
  owner_org_name: string
  /** Whether the official's own organization owns it (and may add tracks). */
  own: boolean
  tracks: Track[]
}

export interface ProgramInput {
  year: number
  name: string
  level: ProgramLevel
  funding: Funding
}

export interface TrackInput {
  name: string
  guide: string
  opens_at: string
  closes_at: string
}

/** 申报通知's structured metadata (seed 004 图3); every field may be empty. */
export interface Notice {
  policy_level: string
  region: string
  batch: string
  department: string
  applicant: string
  beneficiary: string
  industries: string
  sizes: string
  application_type: string
  support: string
  basis: string
  conditions: string
}

export interface Eligibility {
  /** GB/T 4754-2017 codes at any level; empty: any industry. */
  industries: string[]
  /** 大型 / 中型 / 小型 / 微型; empty: any size. */
  sizes: string[]
  /** Region codes; empty: the running bureau's region. */
  regions: string[]
  /** 不得同时申报其他试点. */
  exclusive: boolean
}

export interface AssessmentRequirement {
  required: boolean
  /** The lowest accepted level (「二级」), or null for any finished self-assessment. */
  min_level: string | null
}

export interface AttachmentItem {
  key: string
  title: string
  description: string
  required: boolean
  /** Extensions: pdf, jpg, jpeg, png, doc, docx, xls, xlsx, zip, rar, ofd. */
  accept: string[]
  max_mb: number
  max_count: number
  template_file_id?: string
}

export interface CallSettings {
  opens_at: string
  closes_at: string
  applicants: 'all' | 'listed'
  listed_usccs: string[]
  district_review: boolean
  district_deadline: string | null
  remarks: string
  city_guide: string
  /** OA 附件: seen by the call's officials only. */
  oa_file_ids: string[]
  notice: Notice
  eligibility: Eligibility
  declaration: string | null
  assessment: AssessmentRequirement | null
  attachments: AttachmentItem[]
}

/** The settings 批量设置 may change on several calls of one program at once. */
export type BatchableSettings = Partial<
  Pick<CallSettings, 'opens_at' | 'closes_at' | 'district_review' | 'district_deadline' | 'applicants' | 'listed_usccs' | 'remarks'>
>

export type CallPhase = 'upcoming' | 'open' | 'closed'
export type CallStatus = 'draft' | 'published'

/** A call as the portal and applicants see it. */
export interface CallNotice {
  id: string
  year: number
  program_name: string
  level: string
  funding: string
  track_name: string
  org_name: string
  opens_at: string
  closes_at: string
  /** By the server's clock. */
  phase: CallPhase
  notice: Notice
  /** The province's guide. */
  guide: string
  city_guide: string
  declaration: string | null
  assessment: AssessmentRequirement | null
  attachments: AttachmentItem[]
  district_review: boolean
  district_deadline: string | null
}

/** A call for its officials: the notice, its status and form, and (own calls only) every setting. */
export interface CallDetail extends CallNotice {
  status: CallStatus
  flow_key: string
  form_key: string
  form_version: number
  settings: CallSettings | null
  applications: number
}

export interface CallSummary {
  id: string
  program_id: string
  program_name: string
  track_name: string
  year: number
  status: CallStatus
  opens_at: string
  closes_at: string
  form_version: number
  applications: number
}

export interface FormVersion {
  form_key: string
  version: number
  schema: FormSchema
}

export interface FieldProblem {
  field: string
  message: string
}

export interface OpenCall {
  call: CallNotice
  may_apply: boolean
  /** Why this enterprise may not apply, when it may not. */
  reason: string | null
  /** Its application to this call, when it has started one. */
  application_id: string | null
}

export interface OpenCalls {
  /** What to complete in the organization's profile before applying (所在市 / 所在区县). */
  profile_missing: string | null
  calls: OpenCall[]
}

export interface FileRef {
  id: string
  name: string
  size: number
}

export interface AssessmentOption {
  id: string
  level: string | null
  score: string | null
  finished_at: string | null
}

export type DocumentStatus = 'queued' | 'rendering' | 'done' | 'failed'

/** A generated 申报书. */
export interface ApplicationDocument {
  id: string
  application_id: string
  status: DocumentStatus
  /** 0–100. */
  progress: number
  file_id: string | null
  error: string | null
  created_at: string
  finished_at: string | null
  program_name: string
  track_name: string
}

export interface Application {
  id: string
  call: CallNotice
  title: string
  status: string
  status_label: string
  /** Whether the applicant may still save (a draft, or a returned application). */
  editable: boolean
  version: number
  /** The server's clock when it answered: the countdown is computed from it. */
  server_now: string
  closes_at: string
  /** The pinned form version's schema. */
  schema: FormSchema
  form_version: number
  values: Record<string, unknown>
  attachments: Record<string, FileRef[]>
  declaration_confirmed: boolean
  assessment_id: string | null
  assessments: AssessmentOption[]
  stamped_file: FileRef | null
  documents: ApplicationDocument[]
  /** Names of every file the form names, by id. */
  file_names: Record<string, string>
}

/** What 保存 sends: the values typed, the attachments by item key, and the version the page read. */
export interface ApplicationInput {
  values: Record<string, unknown>
  attachments: Record<string, string[]>
  declaration_confirmed: boolean
  assessment_id: string | null
  stamped_file_id: string | null
  version: number
}

/** A row of 我的项目 (003 §5.5). */
export interface MyProject {
  application_id: string
  year: number
  funding: string
  program_name: string
  track_name: string
  title: string
  applied_at: string | null
  closes_at: string
  /** 当前环节. */
  stage: string
  status: string
  status_label: string
  /** 获得资金(万元), once decided. */
  grant_wan: string | null
  editable: boolean
}

// ---------------------------------------------------------------------------------------------
// Transport: JSON over fetch, answered in the shape `call()` expects
// ---------------------------------------------------------------------------------------------

interface Answer<T> {
  data?: T
  error?: unknown
  response: Response
}

async function send<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (method !== 'GET') headers[CSRF_HEADER] = CSRF_VALUE
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  if (!response.ok) {
    let error: unknown = text
    try {
      error = text ? JSON.parse(text) : {}
    } catch {
      /* not JSON: the status explains it */
    }
    return { error, response }
  }
  // A success body that is not JSON throws SyntaxError, which call() reports as an unexpected answer.
  return { data: (text ? JSON.parse(text) : undefined) as T, response }
}

const id = encodeURIComponent

// ---------------------------------------------------------------------------------------------
// Officials
// ---------------------------------------------------------------------------------------------

/** Programs of the official's organization and of the bureaus above it, with their tracks. */
export function listPrograms(options?: CallOptions): Promise<Program[]> {
  return call(send<Program[]>('GET', '/api/calls/programs'), options)
}

export function createProgram(body: ProgramInput, options?: CallOptions): Promise<Program> {
  return call(send<Program>('POST', '/api/calls/programs', body), options)
}

export function createTrack(programId: string, body: TrackInput, options?: CallOptions): Promise<Track> {
  return call(send<Track>('POST', `/api/calls/programs/${id(programId)}/tracks`, body), options)
}

/** The calls the official's organization runs. */
export function listManagedCalls(options?: CallOptions): Promise<CallSummary[]> {
  return call(send<CallSummary[]>('GET', '/api/calls/manage'), options)
}

/** A draft call of the official's organization on a track, with a one-section starter form. */
export function createCall(trackId: string, options?: CallOptions): Promise<CallDetail> {
  return call(send<CallDetail>('POST', '/api/calls', { track_id: trackId }), options)
}

export function fetchCall(callId: string, options?: CallOptions): Promise<CallDetail> {
  return call(send<CallDetail>('GET', `/api/calls/${id(callId)}`), options)
}

export function saveCallSettings(callId: string, settings: CallSettings, options?: CallOptions): Promise<CallDetail> {
  return call(send<CallDetail>('PUT', `/api/calls/${id(callId)}`, settings), options)
}

/** 批量设置: one setting on several calls of one program, all or none. */
export function batchUpdateCalls(ids: string[], settings: BatchableSettings, options?: CallOptions): Promise<{ updated: number }> {
  return call(send<{ updated: number }>('PUT', '/api/calls/batch', { ids, settings }), options)
}

/** 发布 (422 naming what is not ready). */
export function publishCall(callId: string, options?: CallOptions): Promise<CallDetail> {
  return call(send<CallDetail>('POST', `/api/calls/${id(callId)}/publish`), options)
}

export function fetchCallForm(callId: string, options?: CallOptions): Promise<FormVersion> {
  return call(send<FormVersion>('GET', `/api/calls/${id(callId)}/form`), options)
}

/** 保存为新版本 (422 lists the schema's problems). */
export function saveCallForm(callId: string, schema: FormSchema, options?: CallOptions): Promise<FormVersion> {
  return call(send<FormVersion>('PUT', `/api/calls/${id(callId)}/form`, { schema }), options)
}

/** The designer's live check: every problem of a schema. */
export function checkForm(schema: FormSchema, options?: CallOptions): Promise<{ problems: FieldProblem[] }> {
  return call(send<{ problems: FieldProblem[] }>('POST', '/api/forms/check', { schema }), options)
}

// ---------------------------------------------------------------------------------------------
// Portal
// ---------------------------------------------------------------------------------------------

/** Published calls, open ones first. */
export function listPublicCalls(options?: CallOptions): Promise<CallNotice[]> {
  return call(send<CallNotice[]>('GET', '/api/public/calls'), options)
}

export function fetchPublicCall(callId: string, options?: CallOptions): Promise<CallNotice> {
  return call(send<CallNotice>('GET', `/api/public/calls/${id(callId)}`), options)
}

// ---------------------------------------------------------------------------------------------
// Enterprises
// ---------------------------------------------------------------------------------------------

/** 我要申报: the calls open now, each with whether this enterprise may apply and why not. */
export function listOpenCalls(options?: CallOptions): Promise<OpenCalls> {
  return call(send<OpenCalls>('GET', '/api/calls/open'), options)
}

/** 申报: starts the application (or answers the existing one). */
export function applyToCall(callId: string, options?: CallOptions): Promise<{ application_id: string }> {
  return call(send<{ application_id: string }>('POST', `/api/calls/${id(callId)}/apply`), options)
}

export function fetchApplication(applicationId: string, options?: CallOptions): Promise<Application> {
  return call(send<Application>('GET', `/api/calls/applications/${id(applicationId)}`), options)
}

/** 保存 (types only; a save over a newer version is refused with 409). */
export function saveApplication(applicationId: string, body: ApplicationInput, options?: CallOptions): Promise<Application> {
  return call(send<Application>('PUT', `/api/calls/applications/${id(applicationId)}`, body), options)
}

/** 生成申报书: queues a render of the application as last saved. */
export function generateDocument(applicationId: string, options?: CallOptions): Promise<ApplicationDocument> {
  return call(send<ApplicationDocument>('POST', `/api/calls/applications/${id(applicationId)}/documents`), options)
}

/** 提交 (422 with every problem; 409 when the window is closed). */
export function submitApplication(applicationId: string, version: number, options?: CallOptions): Promise<Application> {
  return call(send<Application>('POST', `/api/calls/applications/${id(applicationId)}/submit`, { version }), options)
}

/** 我的项目. */
export function listMyProjects(options?: CallOptions): Promise<MyProject[]> {
  return call(send<MyProject[]>('GET', '/api/calls/mine'), options)
}

/** 我的申报书: every document generated for the organization's applications. */
export function listMyDocuments(options?: CallOptions): Promise<ApplicationDocument[]> {
  return call(send<ApplicationDocument[]>('GET', '/api/calls/documents'), options)
}

// ---------------------------------------------------------------------------------------------
// 设置责任科室 (003 §4.1.3, §4.4.3)
// ---------------------------------------------------------------------------------------------

/** A track the bureau reviews, with the department responsible for it here (none: the whole bureau). */
export interface SectionRow {
  track_id: string
  track_name: string
  program_name: string
  year: number
  /** The bureau running the call (the city, for a district). */
  call_org_name: string
  department_id: string | null
  department_name: string | null
}

export async function listSections(options?: CallOptions): Promise<SectionRow[]> {
  return (await call(send<{ items: SectionRow[] }>('GET', '/api/calls/sections'), options)).items
}

/** Sets one track or several at once (all or none); `null` clears them. */
export async function assignSections(trackIds: string[], departmentId: string | null, options?: CallOptions): Promise<SectionRow[]> {
  const body = { track_ids: trackIds, department_id: departmentId }
  return (await call(send<{ items: SectionRow[] }>('PUT', '/api/calls/sections', body), options)).items
}

// ---------------------------------------------------------------------------------------------
// 项目中心 and 导出汇总表 (003 §4.3.3, §4.5.2, §4.5.4)
// ---------------------------------------------------------------------------------------------

export type ProjectTab = 'in_review' | 'recommended' | 'returned' | 'rejected'

export interface ProjectQuery {
  tab?: ProjectTab
  year?: number
  program?: string
  track?: string
  applicant?: string
  title?: string
  funding?: Funding
  page?: number
  page_size?: number
}

export interface ProjectRow {
  application_id: string
  year: number
  program_name: string
  track_name: string
  funding: Funding
  applicant_name: string
  uscc: string | null
  title: string
  /** 当前环节. */
  stage: string
  status: string
  status_label: string
  latest_opinion: string | null
  submitted_at: string | null
  /** The stamped 申报书 (下载申报书). */
  stamped_file_id: string | null
}

/** A list's filters as a query string: blank ones left out. */
export function projectQueryString(q: object): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(q as Record<string, unknown>)) {
    if (v !== undefined && v !== null && `${v}`.trim() !== '') params.set(k, `${v}`.trim())
  }
  const s = params.toString()
  return s ? `?${s}` : ''
}

export function listProjects(q: ProjectQuery, options?: CallOptions): Promise<{ items: ProjectRow[]; total: number }> {
  return call(send<{ items: ProjectRow[]; total: number }>('GET', `/api/calls/projects${projectQueryString(q)}`), options)
}

/** 导出汇总表: the list with the same filters (every page) as Excel. */
export function projectsExportUrl(q: Omit<ProjectQuery, 'page' | 'page_size'>): string {
  return `/api/calls/projects.xlsx${projectQueryString(q)}`
}

// ---------------------------------------------------------------------------------------------
// 申报审核 and 推荐函 (003 §4.2.1, §4.3.2, §4.5.1, §4.5.3)
// ---------------------------------------------------------------------------------------------

/** 申报审核: every track the bureau reviews (or whose letters it reads), with 待审核 / 已推荐 counts. */
export async function listReviewing(options?: CallOptions): Promise<ReviewingRow[]> {
  return (await call(send<{ items: ReviewingRow[] }>('GET', '/api/calls/reviewing'), options)).items
}

/** 查看推荐函: the bureau's own letters for the track and those of the bureaus below it. */
export function listLetters(trackId: string, options?: CallOptions): Promise<LetterList> {
  return call(send<LetterList>('GET', `/api/calls/letters?track_id=${id(trackId)}`), options)
}

/** 上传区推荐函 / 上传市推荐函: an uploaded file (POST /api/files) becomes one of the bureau's letters. */
export function uploadLetter(trackId: string, fileId: string, options?: CallOptions): Promise<RecommendationLetter> {
  return call(send<RecommendationLetter>('POST', '/api/calls/letters', { track_id: trackId, file_id: fileId }), options)
}

export async function deleteLetter(letterId: string, options?: CallOptions): Promise<void> {
  await call(send<undefined>('DELETE', `/api/calls/letters/${id(letterId)}`), options)
}

// ---------------------------------------------------------------------------------------------
// 推荐汇总表 (003 附件3) and 结果公示 (003 §3.1.3)
// ---------------------------------------------------------------------------------------------

/** 推荐汇总与公示: the programs the bureau reviews applications of, or owns, with counts and the notice. */
export async function listResultPrograms(options?: CallOptions): Promise<ResultProgram[]> {
  return (await call(send<{ items: ResultProgram[] }>('GET', '/api/calls/results'), options)).items
}

/** 下载推荐汇总表: the bureau's recommendations of a program (the owner's: every one that reached it). */
export function summaryExportUrl(programId: string): string {
  return `/api/calls/results/${id(programId)}/summary.xlsx`
}

/** 发布结果公示: the owner publishes the units its final review approved. */
export function publishResults(body: NewResultNotice, options?: CallOptions): Promise<ResultNotice> {
  return call(send<ResultNotice>('POST', '/api/calls/results', body), options)
}

/** 结果公示 on the portal, newest first; `q` searches the titles. */
export function listPublicResults(q: { q?: string; page: number; page_size: number }, options?: CallOptions): Promise<ResultNoticePage> {
  return call(send<ResultNoticePage>('GET', `/api/public/results${projectQueryString(q)}`), options)
}

export function fetchPublicResult(noticeId: string, options?: CallOptions): Promise<ResultNotice> {
  return call(send<ResultNotice>('GET', `/api/public/results/${id(noticeId)}`), options)
}

// ---------------------------------------------------------------------------------------------
// 指定单位（名单制）from Excel
// ---------------------------------------------------------------------------------------------

/** Reads an uploaded workbook (POST /api/files) into the named list; a bad row is refused by its number. */
export async function readNamedApplicants(fileId: string, options?: CallOptions): Promise<NamedApplicant[]> {
  return (await call(send<{ items: NamedApplicant[] }>('POST', '/api/calls/named-applicants', { file_id: fileId }), options)).items
}

export const NAMED_APPLICANTS_TEMPLATE_URL = '/api/calls/named-applicants/template.xlsx'
