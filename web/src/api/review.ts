/**
 * 审核 (the review engine, docs/review-engine.md): the owner's cases, the case page, actions with an
 * opinion, round diffs, the 审核进度 PDF, the reviewers' to-do list, batch approval and the message
 * board (留言板).
 *
 * The shapes below are declared by hand, named exactly as in docs/review-engine.md, until the endpoints
 * are in the generated OpenAPI schema (schema.d.ts); then they can become aliases into `paths` like
 * types.ts. Calls go through `request()` + `call()`, so errors are reported as everywhere else.
 */
import { call, request, type CallOptions } from './client'
import { ApiError } from './errors'
import { IDEMPOTENCY_HEADER } from './idempotency'
import { downloadFile } from './download'

// ---------------------------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------------------------

/** `status` of a case (deleted cases are not listed). */
export type CaseStatus = 'draft' | 'in_review' | 'returned' | 'approved' | 'rejected'

/** Action codes the server lists in `actions` and accepts in `POST …/actions`. */
export type ActionCode =
  | 'save_draft'
  | 'submit'
  | 'resubmit'
  | 'withdraw_by_owner'
  | 'delete'
  | 'approve'
  | 'reject'
  | 'return'
  | 'withdraw_by_reviewer'

export type ReturnTo = 'owner' | 'previous_stage'

/** A stored file attached to a case or a trail record (download: GET /api/files/{id}). */
export interface FileRef {
  id: string
  name: string
  size?: number | null
  content_type?: string | null
}

/** One row of the owner list (我的申请). */
export interface CaseSummary {
  id: string
  kind: string
  kind_name: string
  title: string
  status: CaseStatus
  status_label: string
  stage_name?: string | null
  latest_opinion?: string | null
  latest_org_name?: string | null
  /** Kind-specific short text: the lead unit of a provider application, a product's business areas. */
  note?: string | null
  submitted_at?: string | null
  updated_at: string
  version: number
  actions: ActionCode[]
}

export interface CasePage {
  items: CaseSummary[]
  total: number
}

/** The form read-only: a labelled row, value already formatted as text. */
export interface FieldRow {
  key: string
  label: string
  value: string
}

export type ProgressState = 'done' | 'current' | 'returned' | 'rejected' | 'pending'

/** One stage of 审核进度. */
export interface ProgressStage {
  index: number
  name: string
  org_name?: string | null
  state: ProgressState
  /** 已通过 / 审核中 / 驳回 / 不通过 / 待审核 (the server's wording; optional). */
  state_label?: string | null
  at?: string | null
  opinion?: string | null
}

/** One record of 办理记录 (append-only). */
export interface TrailEntry {
  id: string | number
  round: number
  stage_name?: string | null
  action: string
  action_label: string
  actor_name: string
  org_name: string
  role_label?: string | null
  opinion?: string | null
  /** The status before and after (a code such as `returned`, or its label). */
  status_before: string
  status_after: string
  at: string
  attachments: FileRef[]
}

/** A submission (round) and when it was made. */
export interface RoundRef {
  round: number
  submitted_at: string
}

export interface CaseDetail {
  id: string
  kind: string
  kind_name: string
  title: string
  status: CaseStatus
  status_label: string
  stage_index?: number | null
  stage_name?: string | null
  version: number
  round: number
  owner_org_name: string
  submitted_at?: string | null
  /** The raw form JSON (for the owner's edit form). */
  form: Record<string, unknown>
  fields: FieldRow[]
  attachments: FileRef[]
  progress: ProgressStage[]
  trail: TrailEntry[]
  rounds: RoundRef[]
  actions: ActionCode[]
  opinion_required: ActionCode[]
  return_to?: ReturnTo | null
  due_at?: string | null
}

export interface FieldChange {
  key: string
  label: string
  before: string
  after: string
}

export interface RoundDiff {
  from_round: number
  to_round: number
  changes: FieldChange[]
}

export interface ActionRequest {
  action: ActionCode
  version: number
  opinion?: string
  to?: ReturnTo
  attachment_ids?: string[]
}

export type TaskState = 'open' | 'done'

/** One row of the to-do list (待办审核). */
export interface TaskItem {
  task_id: string
  case_id: string
  kind: string
  kind_name: string
  title: string
  applicant_name: string
  stage_name: string
  opened_at: string
  due_at?: string | null
  overdue: boolean
  closed_at?: string | null
  outcome?: string | null
  outcome_label?: string | null
  version: number
}

/** Per stage counts on the to-do page (待审核 / 已通过). */
export interface StageCount {
  kind: string
  kind_name: string
  stage_key: string
  stage_name: string
  open: number
  approved: number
}

export interface TaskPage {
  items: TaskItem[]
  total: number
  counts: StageCount[]
}

export interface BatchItem {
  case_id: string
  version: number
}

export interface BatchResult {
  case_id: string
  title: string
  ok: boolean
  message?: string | null
}

export interface BatchApproveResponse {
  results: BatchResult[]
}

/** A message on a case's 留言板. */
export interface CaseMessage {
  id: string
  author_name: string
  org_name: string
  /** Written by the caller's organization. */
  mine: boolean
  body: string
  created_at: string
}

/** A message on any case the caller's organization owns or reviews (workbench 留言板). */
export interface BoardMessage extends CaseMessage {
  case_id: string
  case_title: string
}

// ---------------------------------------------------------------------------------------------
// Owner
// ---------------------------------------------------------------------------------------------

export interface CaseQuery {
  kind?: string
  status?: CaseStatus | ''
  /** YYYY-MM-DD */
  submitted_from?: string
  submitted_to?: string
  page?: number
  page_size?: number
}

/** The caller's organization's cases (我的申请). */
export function listCases(query: CaseQuery = {}, options?: CallOptions): Promise<CasePage> {
  return call(request<CasePage>('GET', '/api/review/cases', { query: { ...query } }), options)
}

/** Start a draft (only kinds that allow owner-created drafts). */
export function createCase(kind: string, form: Record<string, unknown>, idempotencyKey: string, options?: CallOptions): Promise<CaseDetail> {
  return call(
    request<CaseDetail>('POST', '/api/review/cases', { body: { kind, form }, headers: { [IDEMPOTENCY_HEADER]: idempotencyKey } }),
    options,
  )
}

/** Save the form as a draft (draft or returned cases only); `version` is the one the page read. */
export function saveCaseForm(id: string, form: Record<string, unknown>, version: number, options?: CallOptions): Promise<CaseDetail> {
  return call(request<CaseDetail>('PUT', `/api/review/cases/${encodeURIComponent(id)}/form`, { body: { form, version } }), options)
}

// ---------------------------------------------------------------------------------------------
// Everyone who may see the case
// ---------------------------------------------------------------------------------------------

export function fetchCase(id: string, options?: CallOptions): Promise<CaseDetail> {
  return call(request<CaseDetail>('GET', `/api/review/cases/${encodeURIComponent(id)}`), options)
}

/** What changed between two rounds (default: the last two). */
export function fetchRoundDiff(id: string, from?: number, to?: number, options?: CallOptions): Promise<RoundDiff> {
  return call(request<RoundDiff>('GET', `/api/review/cases/${encodeURIComponent(id)}/diff`, { query: { from, to } }), options)
}

/**
 * Act on a case (approve, reject, return, withdraw, resubmit, delete …). `idempotencyKey` names the
 * user's intent: the same key on a retry returns the first answer and changes nothing.
 */
export function actOnCase(id: string, body: ActionRequest, idempotencyKey: string, options?: CallOptions): Promise<CaseDetail> {
  return call(
    request<CaseDetail>('POST', `/api/review/cases/${encodeURIComponent(id)}/actions`, {
      body,
      headers: { [IDEMPOTENCY_HEADER]: idempotencyKey },
    }),
    options,
  )
}

/**
 * Delete a draft or a returned / rejected case (删除). The case is gone from view afterwards, so the
 * server may answer the deletion itself with 404 (该事项已删除): that counts as done.
 */
export async function deleteCase(id: string, version: number, idempotencyKey: string, options: CallOptions = {}): Promise<void> {
  const outer = options.silent
  try {
    await actOnCase(id, { action: 'delete', version }, idempotencyKey, {
      silent: (e) => e.status === 404 || (typeof outer === 'function' ? outer(e) : outer === true),
    })
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return
    throw e
  }
}

export function timelinePdfUrl(id: string): string {
  return `/api/review/cases/${encodeURIComponent(id)}/timeline.pdf`
}

/** Download 审核进度 as a PDF. */
export function downloadTimelinePdf(id: string, fallbackName = '审核进度.pdf'): Promise<void> {
  return downloadFile(timelinePdfUrl(id), fallbackName)
}

export async function listCaseMessages(id: string, options?: CallOptions): Promise<CaseMessage[]> {
  return (await call(request<{ items: CaseMessage[] }>('GET', `/api/review/cases/${encodeURIComponent(id)}/messages`), options)).items
}

export function postCaseMessage(id: string, body: string, idempotencyKey: string, options?: CallOptions): Promise<CaseMessage> {
  return call(
    request<CaseMessage>('POST', `/api/review/cases/${encodeURIComponent(id)}/messages`, {
      body: { body },
      headers: { [IDEMPOTENCY_HEADER]: idempotencyKey },
    }),
    options,
  )
}

/** The latest messages on every case the caller's organization owns or reviews. */
export async function listBoardMessages(options?: CallOptions): Promise<BoardMessage[]> {
  return (await call(request<{ items: BoardMessage[] }>('GET', '/api/review/messages'), options)).items
}

// ---------------------------------------------------------------------------------------------
// Reviewers
// ---------------------------------------------------------------------------------------------

export interface TaskQuery {
  state?: TaskState
  kind?: string
  /** 名称 */
  q?: string
  /** 申请单位 */
  applicant?: string
  /** YYYY-MM-DD */
  from?: string
  to?: string
  page?: number
  page_size?: number
}

export function listTasks(query: TaskQuery = {}, options?: CallOptions): Promise<TaskPage> {
  return call(request<TaskPage>('GET', '/api/review/tasks', { query: { ...query } }), options)
}

/** Approve many tasks of one stage with one opinion; each item succeeds or fails on its own. */
export function batchApprove(items: BatchItem[], opinion: string | undefined, idempotencyKey: string, options?: CallOptions): Promise<BatchApproveResponse> {
  return call(
    request<BatchApproveResponse>('POST', '/api/review/tasks/batch-approve', {
      body: opinion ? { items, opinion } : { items },
      headers: { [IDEMPOTENCY_HEADER]: idempotencyKey },
    }),
    options,
  )
}
