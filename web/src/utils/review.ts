/**
 * Presentation rules of the review pages (pure, unit-tested): status tags, action buttons, the opinion
 * rule, the unread badge, the round diff rows and the 审核进度 items. The server decides what is allowed
 * (`actions`, `opinion_required`) and checks everything again; these only show it.
 */
import type { ActionCode, CaseStatus, ProgressState } from '@/api/review'
import type { CaseSummary, FieldChange, FieldRow, ProgressStage, RoundDiff, TrailEntry } from '@/api/types'

export type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

export interface Tag {
  label: string
  type: TagType
}

// ---------------------------------------------------------------------------------------------
// Case status (owner list: 未提交 / 审核中 / 已退回 / 审核通过 / 不通过)
// ---------------------------------------------------------------------------------------------

export const CASE_STATUS: Record<CaseStatus, Tag> = {
  draft: { label: '未提交', type: 'info' },
  in_review: { label: '审核中', type: 'primary' },
  returned: { label: '已退回', type: 'warning' },
  approved: { label: '审核通过', type: 'success' },
  rejected: { label: '不通过', type: 'danger' },
}

export const CASE_STATUS_OPTIONS = (Object.keys(CASE_STATUS) as CaseStatus[]).map((value) => ({ value, label: CASE_STATUS[value].label }))

/** The tag of a case status; the server's label wins when it sends one. Unknown codes: grey, as sent. */
export function caseStatusTag(status: string, serverLabel?: string | null): Tag {
  const known = (CASE_STATUS as Record<string, Tag | undefined>)[status]
  return { label: serverLabel || known?.label || status || '—', type: known?.type ?? 'info' }
}

/** Trail records carry the status codes before and after; `deleted` appears only there. */
export function statusLabel(code: string | null | undefined): string {
  if (!code) return '—'
  if (code === 'deleted') return '已删除'
  return (CASE_STATUS as Record<string, Tag | undefined>)[code]?.label ?? code
}

// ---------------------------------------------------------------------------------------------
// 审核进度 (timeline)
// ---------------------------------------------------------------------------------------------

export const PROGRESS_STATE: Record<ProgressState, Tag> = {
  done: { label: '已通过', type: 'success' },
  current: { label: '审核中', type: 'primary' },
  returned: { label: '驳回', type: 'warning' },
  rejected: { label: '不通过', type: 'danger' },
  pending: { label: '待审核', type: 'info' },
}

export function progressTag(state: string, serverLabel?: string | null): Tag {
  const known = (PROGRESS_STATE as Record<string, Tag | undefined>)[state]
  return { label: serverLabel || known?.label || state, type: known?.type ?? 'info' }
}

export interface TimelineItem {
  key: string
  /** The round the item belongs to (0 when unknown). */
  round: number
  title: string
  orgName: string | null
  at: string | null
  tag: Tag
  opinion: string | null
  /** Part of an earlier round (shown muted). */
  earlier: boolean
}

const TRAIL_OUTCOMES: Record<string, Tag> = {
  submit: { label: '已提交', type: 'info' },
  resubmit: { label: '重新提交', type: 'info' },
  approve: { label: '已通过', type: 'success' },
  return: { label: '驳回', type: 'warning' },
  reject: { label: '不通过', type: 'danger' },
  withdraw_by_reviewer: { label: '已撤回', type: 'info' },
  withdraw_by_owner: { label: '已撤回', type: 'info' },
}

const OWNER_TITLES: Record<string, string> = {
  submit: '提交申请',
  resubmit: '重新提交申请',
  withdraw_by_owner: '撤回申请',
}

function trailItem(t: TrailEntry, earlier: boolean): TimelineItem {
  return {
    key: `trail-${t.id}`,
    round: t.round,
    title: OWNER_TITLES[t.action] ?? (t.stage_name || t.action_label),
    orgName: t.org_name || null,
    at: t.at || null,
    tag: TRAIL_OUTCOMES[t.action]!,
    opinion: t.opinion || null,
    earlier,
  }
}

const byTime = (a: TrailEntry, b: TrailEntry) => a.round - b.round || a.at.localeCompare(b.at) || String(a.id).localeCompare(String(b.id))

/**
 * The items of 审核进度: what happened in earlier rounds (from the trail: each submission and each
 * stage's decision, so a returned and resubmitted case shows both rounds), then the current round: its
 * submission and the stages as the server reports them (`progress`: one per stage of the flow).
 */
export function timelineItems(progress: ProgressStage[], trail: TrailEntry[] = [], currentRound = 0): TimelineItem[] {
  const known = trail.filter((t) => t.action in TRAIL_OUTCOMES).sort(byTime)
  const items: TimelineItem[] = known.filter((t) => t.round < currentRound).map((t) => trailItem(t, true))
  for (const t of known) if (t.round === currentRound && t.action in OWNER_TITLES) items.push(trailItem(t, false))
  for (const p of [...progress].sort((a, b) => a.index - b.index)) {
    items.push({
      key: `stage-${p.index}`,
      round: currentRound,
      title: p.name,
      orgName: p.org_name || null,
      at: p.at || null,
      tag: progressTag(p.state, p.state_label),
      opinion: p.opinion || null,
      earlier: false,
    })
  }
  return items
}

/** 办理结果 of a closed task (已审核 list). */
export const TASK_OUTCOME: Record<string, Tag> = {
  approved: { label: '已通过', type: 'success' },
  rejected: { label: '不通过', type: 'danger' },
  returned: { label: '已退回', type: 'warning' },
  cancelled: { label: '已撤销', type: 'info' },
}

export function outcomeTag(outcome: string | null | undefined, serverLabel?: string | null): Tag {
  const known = outcome ? TASK_OUTCOME[outcome] : undefined
  return { label: serverLabel || known?.label || outcome || '—', type: known?.type ?? 'info' }
}

// ---------------------------------------------------------------------------------------------
// Actions and the opinion
// ---------------------------------------------------------------------------------------------

export interface ActionMeta {
  /** Button text. */
  label: string
  /** Dialog title. */
  title: string
  /** Element Plus button type. */
  button: 'primary' | 'success' | 'warning' | 'danger' | 'default'
  /** Confirm button in the dialog. */
  confirm: string
  /** A line explaining the consequence, shown in the dialog. */
  notice?: string
}

export const ACTIONS: Record<ActionCode, ActionMeta> = {
  approve: { label: '通过', title: '审核通过', button: 'success', confirm: '确定通过' },
  reject: {
    label: '不通过',
    title: '审核不通过',
    button: 'danger',
    confirm: '确定不通过',
    notice: '审核不通过后本申请办结，申请单位不能再修改重新提交，请慎重操作。',
  },
  return: { label: '退回', title: '退回修改', button: 'warning', confirm: '确定退回', notice: '退回后申请单位可按审核意见修改后重新提交。' },
  withdraw_by_reviewer: {
    label: '撤回',
    title: '撤回审核',
    button: 'default',
    confirm: '确定撤回',
    notice: '撤回将撤销本环节上一次的审核操作；下一环节已办理的，无法撤回。',
  },
  withdraw_by_owner: {
    label: '撤回申请',
    title: '撤回申请',
    button: 'default',
    confirm: '确定撤回',
    notice: '撤回后申请回到未提交状态，可修改后再次提交；审核单位已办理的，无法撤回。',
  },
  delete: { label: '删除', title: '删除申请', button: 'danger', confirm: '确定删除', notice: '删除后该申请不再显示，办理记录仍会保留。' },
  resubmit: { label: '重新提交', title: '重新提交', button: 'primary', confirm: '确定提交' },
  submit: { label: '提交', title: '提交申请', button: 'primary', confirm: '确定提交' },
  save_draft: { label: '保存', title: '保存草稿', button: 'default', confirm: '保存' },
}

/** Reviewer buttons on the case page, in this order. */
export const REVIEWER_ACTIONS: ActionCode[] = ['approve', 'reject', 'return', 'withdraw_by_reviewer']
/** Owner buttons that go through the opinion dialog (submit / resubmit belong to the edit form). */
export const OWNER_DIALOG_ACTIONS: ActionCode[] = ['withdraw_by_owner', 'delete']

export function actionMeta(action: string): ActionMeta {
  return (ACTIONS as Record<string, ActionMeta | undefined>)[action] ?? { label: action, title: action, button: 'default', confirm: '确定' }
}

/** The buttons to show: `wanted` in its order, those the server allows now. */
export function availableActions(allowed: readonly string[], wanted: readonly ActionCode[]): ActionCode[] {
  const set = new Set(allowed)
  return wanted.filter((a) => set.has(a))
}

type OwnerRow = Pick<CaseSummary, 'status' | 'actions'>

/** 继续填写 on an owner's list: a draft the owner may still save or submit. */
export function canContinue(c: OwnerRow): boolean {
  return c.status === 'draft' && (c.actions.includes('submit') || c.actions.includes('save_draft'))
}

/** 重新提交 on an owner's list: a returned case. */
export function canResubmit(c: OwnerRow): boolean {
  return c.actions.includes('resubmit')
}

/** Reject and return always need an opinion; other actions when the stage says so. */
export function opinionRequired(action: string, required: readonly string[] = []): boolean {
  return action === 'reject' || action === 'return' || required.includes(action)
}

/** Actions that take an opinion at all (the owner's delete does not). */
export function takesOpinion(action: string): boolean {
  return action !== 'delete'
}

export const OPINION_MAX = 2000

/** Characters as the server counts them (Unicode code points, not UTF-16 units). */
export function textLength(text: string): number {
  return Array.from(text).length
}

/** Why the opinion cannot be sent, or null. */
export function opinionProblem(text: string, required: boolean, max = OPINION_MAX): string | null {
  const trimmed = text.trim()
  if (required && !trimmed) return '请填写审核意见'
  const n = textLength(trimmed)
  if (n > max) return `审核意见不能超过${max}字，当前${n}字`
  return null
}

/** 留言板 message limit. */
export const MESSAGE_MAX = 500

// ---------------------------------------------------------------------------------------------
// Unread badge
// ---------------------------------------------------------------------------------------------

/** The bell's badge: nothing for 0, the number up to `max`, then "99+". */
export function badgeText(count: number | null | undefined, max = 99): string {
  if (!count || !Number.isFinite(count) || count <= 0) return ''
  return count > max ? `${max}+` : String(Math.floor(count))
}

// ---------------------------------------------------------------------------------------------
// Round diff
// ---------------------------------------------------------------------------------------------

export interface DiffRow {
  key: string
  label: string
  /** The value now (the case's current fields; the diff's `after` for rows not in `fields`). */
  value: string
  changed: boolean
  before: string | null
  after: string | null
}

/**
 * The form rows with what changed between two rounds marked: every field of the case in its order, each
 * changed one with before → after; a change on a key the current form no longer shows is appended.
 */
export function diffRows(fields: FieldRow[], diff: RoundDiff | null): DiffRow[] {
  const changes = new Map<string, FieldChange>((diff?.changes ?? []).map((c) => [c.key, c]))
  const rows: DiffRow[] = fields.map((f) => {
    const c = changes.get(f.key)
    return { key: f.key, label: f.label, value: f.value, changed: !!c, before: c ? c.before : null, after: c ? c.after : null }
  })
  const shown = new Set(fields.map((f) => f.key))
  for (const c of diff?.changes ?? []) {
    if (!shown.has(c.key)) rows.push({ key: c.key, label: c.label, value: c.after, changed: true, before: c.before, after: c.after })
  }
  return rows
}

/** Keys changed between the rounds compared (to mark them in the read-only form). */
export function changedKeys(diff: RoundDiff | null): Set<string> {
  return new Set((diff?.changes ?? []).map((c) => c.key))
}

/** An empty value in a diff cell. */
export function diffValue(v: string | null | undefined): string {
  return v === null || v === undefined || v === '' ? '（空）' : v
}

// ---------------------------------------------------------------------------------------------
// Batch selection
// ---------------------------------------------------------------------------------------------

/**
 * A short stable name for a set of ids (order-insensitive), e.g. to tie a batch's opinion and
 * idempotency key to exactly the selected items.
 */
export function selectionKey(ids: readonly string[]): string {
  let h = 5381
  for (const ch of [...ids].sort().join(',')) h = ((h * 33) ^ ch.charCodeAt(0)) >>> 0
  return `${ids.length}-${h.toString(36)}`
}
