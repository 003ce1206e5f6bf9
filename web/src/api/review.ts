/**
 * 审核 (the review engine, docs/review-engine.md): the owner's cases, the case page, actions with an
 * opinion, round diffs, the 审核进度 PDF, the reviewers' to-do list, batch approval, the message board
 * (留言板), the flows (审核流程管理) and the in-site notifications (审核通知), which the engine sends.
 *
 * Shapes are the generated schema's (aliases in types.ts). The codes below are the engine's vocabulary,
 * which the schema still types as plain strings; the pages use them to pick labels and buttons.
 */
import { api, call, withoutEmpty, type CallOptions } from './client'
import { ApiError } from './errors'
import { IDEMPOTENCY_HEADER } from './idempotency'
import { downloadFile } from './download'
import type {
  ActionRequest,
  BatchApproveResponse,
  BatchItem,
  BoardMessage,
  CaseDetail,
  CaseMessage,
  CasePage,
  CaseQuery,
  CaseSummary,
  FlowView,
  NotificationPage,
  NotificationQuery,
  ProgressStage,
  RoundDiff,
  TaskPage,
  TaskQuery,
} from './types'
import type { FlowSpec } from '@/views/review/flowSpec'

// ---------------------------------------------------------------------------------------------
// Codes: unions generated from the server's enums (CaseState, ActionCode, StageProgress, TaskState)
// ---------------------------------------------------------------------------------------------

/** `status` of a case (deleted cases are not listed). */
export type CaseStatus = Exclude<CaseSummary['status'], 'deleted'>

/** Action codes the server lists in `actions` and accepts in `POST …/actions`. */
export type ActionCode = CaseSummary['actions'][number]

/** `state` of a stage in 审核进度. */
export type ProgressState = ProgressStage['state']

/** `state` of the to-do list: 待审核 or 已审核. */
export type TaskState = NonNullable<TaskQuery['state']>

/**
 * The schema types a free-form JSON object (a case's form, a flow's spec) as `Record<string, never>`;
 * the pages build them as ordinary objects.
 */
function jsonObject(value: object): Record<string, never> {
  return value as Record<string, never>
}

const idempotent = (key: string) => ({ [IDEMPOTENCY_HEADER]: key })

// ---------------------------------------------------------------------------------------------
// Owner
// ---------------------------------------------------------------------------------------------

/** The caller's organization's cases (我的申请). */
export function listCases(query: CaseQuery = {}, options?: CallOptions): Promise<CasePage> {
  return call(api.GET('/api/review/cases', { params: { query: withoutEmpty(query) } }), options)
}

/** Start a draft (only kinds that allow owner-created drafts). */
export function createCase(kind: string, form: Record<string, unknown>, idempotencyKey: string, options?: CallOptions): Promise<CaseDetail> {
  return call(api.POST('/api/review/cases', { body: { kind, form: jsonObject(form) }, headers: idempotent(idempotencyKey) }), options)
}

/** Save the form as a draft (draft or returned cases only); `version` is the one the page read. */
export function saveCaseForm(id: string, form: Record<string, unknown>, version: number, options?: CallOptions): Promise<CaseDetail> {
  return call(api.PUT('/api/review/cases/{id}/form', { params: { path: { id } }, body: { form: jsonObject(form), version } }), options)
}

// ---------------------------------------------------------------------------------------------
// Everyone who may see the case
// ---------------------------------------------------------------------------------------------

export function fetchCase(id: string, options?: CallOptions): Promise<CaseDetail> {
  return call(api.GET('/api/review/cases/{id}', { params: { path: { id } } }), options)
}

/**
 * 查看完整信息: one personal-data field of a case in full (case pages show it masked to other organizations).
 * The server records each reveal in the audit log.
 */
export async function revealPersonalData(id: string, field: string, options?: CallOptions): Promise<string> {
  return (await call(api.GET('/api/review/cases/{id}/personal-data', { params: { path: { id }, query: { field } } }), options)).value
}

/** What changed between two rounds (default: the last two). */
export function fetchRoundDiff(id: string, from?: number, to?: number, options?: CallOptions): Promise<RoundDiff> {
  return call(api.GET('/api/review/cases/{id}/diff', { params: { path: { id }, query: { from, to } } }), options)
}

/**
 * Act on a case (approve, reject, return, withdraw, resubmit, delete …). `idempotencyKey` names the
 * user's intent: the same key on a retry returns the first answer and changes nothing.
 */
export function actOnCase(id: string, body: ActionRequest, idempotencyKey: string, options?: CallOptions): Promise<CaseDetail> {
  return call(api.POST('/api/review/cases/{id}/actions', { params: { path: { id } }, body, headers: idempotent(idempotencyKey) }), options)
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
  return (await call(api.GET('/api/review/cases/{id}/messages', { params: { path: { id } } }), options)).items
}

export function postCaseMessage(id: string, body: string, idempotencyKey: string, options?: CallOptions): Promise<CaseMessage> {
  return call(api.POST('/api/review/cases/{id}/messages', { params: { path: { id } }, body: { body }, headers: idempotent(idempotencyKey) }), options)
}

/** The latest messages on every case the caller's organization owns or reviews. */
export async function listBoardMessages(options?: CallOptions): Promise<BoardMessage[]> {
  return (await call(api.GET('/api/review/messages'), options)).items
}

// ---------------------------------------------------------------------------------------------
// Reviewers
// ---------------------------------------------------------------------------------------------

export function listTasks(query: TaskQuery = {}, options?: CallOptions): Promise<TaskPage> {
  return call(api.GET('/api/review/tasks', { params: { query: withoutEmpty(query) } }), options)
}

/** Approve many tasks of one stage with one opinion; each item succeeds or fails on its own. */
export function batchApprove(items: BatchItem[], opinion: string | undefined, idempotencyKey: string, options?: CallOptions): Promise<BatchApproveResponse> {
  return call(
    api.POST('/api/review/tasks/batch-approve', { body: opinion ? { items, opinion } : { items }, headers: idempotent(idempotencyKey) }),
    options,
  )
}

// ---------------------------------------------------------------------------------------------
// 审核流程管理 (system administrator, docs/review-engine.md "Flows"): the current version of every
// flow, the versions of one flow, and saving an edited flow as a new version. The schema types `spec`
// as an untyped object; its shape is `FlowSpec` in views/review/flowSpec.ts.
// ---------------------------------------------------------------------------------------------

/** The current version of each flow, by key. */
export async function listFlows(options?: CallOptions): Promise<FlowView[]> {
  return (await call(api.GET('/api/review/flows'), options)).items
}

/** Every version of one flow, newest first. */
export async function listFlowVersions(key: string, options?: CallOptions): Promise<FlowView[]> {
  return (await call(api.GET('/api/review/flows/{key}', { params: { path: { key } } }), options)).items
}

/**
 * Saves `spec` as the next version of flow `key` (201 the new version; the server sets the version
 * number). 422 carries the server's Chinese reason (`FlowError`).
 */
export function createFlowVersion(key: string, spec: FlowSpec, options?: CallOptions): Promise<FlowView> {
  return call(api.POST('/api/review/flows/{key}', { params: { path: { key } }, body: jsonObject(spec) }), options)
}

// ---------------------------------------------------------------------------------------------
// 审核通知: assigned / returned / rejected / approved … messages about review cases, the unread count
// for the header badge, mark read.
// ---------------------------------------------------------------------------------------------

export function listNotifications(query: NotificationQuery = {}, options?: CallOptions): Promise<NotificationPage> {
  // Only `unread_only=true` is sent: the server lists everything without it.
  const params = { query: { unread_only: query.unread_only ? true : undefined, page: query.page, page_size: query.page_size } }
  return call(api.GET('/api/notifications', { params }), options)
}

export async function fetchUnreadCount(options?: CallOptions): Promise<number> {
  return (await call(api.GET('/api/notifications/unread-count'), options)).count
}

export async function markNotificationRead(id: string, options?: CallOptions): Promise<void> {
  await call(api.POST('/api/notifications/{id}/read', { params: { path: { id } } }), options)
}

export async function markAllNotificationsRead(options?: CallOptions): Promise<void> {
  await call(api.POST('/api/notifications/read-all'), options)
}
