/**
 * 审核流程管理 (system administrator): the `FlowSpec` JSON the server stores per flow version, described
 * in Chinese, checked and edited. Pure and unit-tested (flowSpec.test.ts).
 *
 * The types mirror the serde shapes of `crates/core/src/review/flow.rs` exactly (`FlowSpec`, `StageSpec`,
 * `AssigneeRule` tagged by `kind` in snake_case, `StageAction`, `ReturnTarget`, `RegionLevel` in lowercase);
 * `validateFlow` repeats the checks of `FlowDefinition::new` with the same messages, so the administrator
 * learns what is wrong before saving. The server checks everything again and has the last word.
 */

// ---------------------------------------------------------------------------------------------
// Shapes (serde)
// ---------------------------------------------------------------------------------------------

export type RegionLevel = 'province' | 'city' | 'district' | 'town'
export type StageAction = 'approve' | 'reject' | 'return' | 'withdraw'
export type ReturnTarget = 'owner' | 'previous_stage'

export type AssigneeRule =
  | { kind: 'region_authority'; level: RegionLevel; role: string }
  | { kind: 'case_organization'; field: string }
  | { kind: 'case_person'; field: string }
  | { kind: 'fixed_organization'; org_id: string }
  | { kind: 'assigned_by_stage'; stage_key: string }
  | { kind: 'responsible_section'; level: RegionLevel; role: string }

export type AssigneeKind = AssigneeRule['kind']

export interface StageSpec {
  key: string
  name: string
  assignee: AssigneeRule
  actions: StageAction[]
  /** Besides reject and return (always required); serde default `[]`. */
  opinion_required: StageAction[]
  /** serde default `owner`. */
  return_to: ReturnTarget
  /** serde default `null` (no deadline); 1–365. */
  deadline_days: number | null
}

export interface FlowSpec {
  key: string
  name: string
  version: number
  stages: StageSpec[]
}

/** Longest flow and stage key (`MAX_KEY_LEN`). */
export const MAX_KEY_LEN = 64
/** Longest stage deadline in days (`MAX_DEADLINE_DAYS`). */
export const MAX_DEADLINE_DAYS = 365

// ---------------------------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------------------------

/** In the order the server's seeded flows list them (and the order new ticks are inserted in). */
export const STAGE_ACTIONS: StageAction[] = ['approve', 'reject', 'return', 'withdraw']

export const ACTION_LABELS: Record<StageAction, string> = {
  approve: '通过',
  reject: '不通过',
  return: '退回',
  withdraw: '撤回',
}

export const RETURN_TARGET_LABELS: Record<ReturnTarget, string> = {
  owner: '申请单位',
  previous_stage: '上一环节',
}

export const REGION_LEVEL_LABELS: Record<RegionLevel, string> = {
  province: '省级',
  city: '市级',
  district: '县级',
  town: '乡镇（街道）级',
}
export const REGION_LEVELS = Object.keys(REGION_LEVEL_LABELS) as RegionLevel[]

export const ASSIGNEE_KIND_LABELS: Record<AssigneeKind, string> = {
  region_authority: '申请单位所在地主管部门',
  case_organization: '申请中选择的单位',
  case_person: '主管部门指定的人员',
  fixed_organization: '固定单位',
  assigned_by_stage: '由之前环节指定',
  responsible_section: '责任科室',
}
export const ASSIGNEE_KINDS = Object.keys(ASSIGNEE_KIND_LABELS) as AssigneeKind[]

/** The role of an authority's reviewers (the server's 审核办理 menu permission). */
export const REVIEW_ROLE = 'reviews'

/** Roles the seeded flows use; anything else is shown as configured. */
export const ROLE_LABELS: Record<string, string> = {
  reviews: '审核办理人员',
  district_member: '区县经办人员',
  city_section_member: '市处室经办人员',
  city_section_leader: '市处室领导',
}

/** Fields of the modules' records that name an organization (`CaseOrganization`). */
export const CASE_FIELD_LABELS: Record<string, string> = {
  lead_unit_id: '牵引单位',
  enterprise_id: '企业',
  provider_id: '服务商',
  acceptance_expert_id: '验收专家（市工信局分配）',
}

/** Placeholders of `FixedOrganization` bound per deployment (core `review::defaults`). */
export const FIXED_ORG_LABELS: Record<string, string> = {
  platform_operator: '平台运营',
  pre_review_org: '预审机构',
  third_party_review_org: '第三方初审机构',
  voucher_evaluation_org: '服务券评估机构',
}

export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role
}

export function optionsOf(labels: Record<string, string>): { value: string; label: string }[] {
  return Object.entries(labels).map(([value, label]) => ({ value, label }))
}

/**
 * Who reviews, in Chinese: "申请单位所在地 市级 主管部门", "申请中选择的单位（lead_unit_id）",
 * "固定单位：平台运营", "上一环节指定", "责任科室：市级 · 市处室经办人员". `stages` (the flow's stages) lets
 * an assignment by an earlier stage name it.
 */
export function describeAssignee(rule: AssigneeRule, stages: readonly Pick<StageSpec, 'key' | 'name'>[] = [], index = -1): string {
  switch (rule.kind) {
    case 'region_authority': {
      const base = `申请单位所在地 ${REGION_LEVEL_LABELS[rule.level] ?? rule.level} 主管部门`
      return rule.role === REVIEW_ROLE ? base : `${base}（${roleLabel(rule.role)}）`
    }
    case 'case_organization':
      return `申请中选择的单位（${rule.field}）`
    case 'case_person':
      return `主管部门指定的人员（${rule.field}）`
    case 'fixed_organization':
      return `固定单位：${FIXED_ORG_LABELS[rule.org_id] ?? rule.org_id}`
    case 'assigned_by_stage': {
      const at = stages.findIndex((s) => s.key === rule.stage_key)
      const named = at >= 0 ? stages[at]!.name || rule.stage_key : rule.stage_key
      if (index > 0 && at === index - 1) return `上一环节指定（${named}）`
      return `由环节“${named}”指定`
    }
    case 'responsible_section':
      return `责任科室：${REGION_LEVEL_LABELS[rule.level] ?? rule.level} · ${roleLabel(rule.role)}`
    default:
      return '未知的办理人规则'
  }
}

/** Actions that need an opinion at the stage: reject and return always, others when configured. */
export function opinionActions(stage: Pick<StageSpec, 'actions' | 'opinion_required'>): StageAction[] {
  return stage.actions.filter((a) => a === 'reject' || a === 'return' || stage.opinion_required.includes(a))
}

export function actionsText(actions: readonly StageAction[]): string {
  return actions.length ? actions.map((a) => ACTION_LABELS[a] ?? a).join('、') : '—'
}

export function deadlineText(days: number | null | undefined): string {
  return days === null || days === undefined ? '不限' : `${days} 天`
}

/** One row of a stage table (list, version drawer). */
export interface StageRow {
  index: number
  key: string
  name: string
  assignee: string
  actions: string
  opinion: string
  returnTo: string
  deadline: string
}

export function stageRows(spec: FlowSpec): StageRow[] {
  return spec.stages.map((s, i) => ({
    index: i + 1,
    key: s.key,
    name: s.name,
    assignee: describeAssignee(s.assignee, spec.stages, i),
    actions: actionsText(s.actions),
    opinion: actionsText(opinionActions(s)),
    returnTo: s.actions.includes('return') ? RETURN_TARGET_LABELS[s.return_to] : '—',
    deadline: deadlineText(s.deadline_days),
  }))
}

/** `产品入库申请（第1版）：牵引机构确认 → 预审 → 市工信复审` without the name: the chain of stage names. */
export function stageChain(spec: FlowSpec): string {
  return spec.stages.map((s) => s.name).join(' → ')
}

// ---------------------------------------------------------------------------------------------
// Reading the untyped `spec` of a FlowView
// ---------------------------------------------------------------------------------------------

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '')
const isLevel = (v: unknown): v is RegionLevel => typeof v === 'string' && v in REGION_LEVEL_LABELS
const isAction = (v: unknown): v is StageAction => typeof v === 'string' && (STAGE_ACTIONS as string[]).includes(v)

function parseRule(v: unknown): AssigneeRule | null {
  if (!isRecord(v)) return null
  switch (v.kind) {
    case 'region_authority':
    case 'responsible_section':
      return isLevel(v.level) ? { kind: v.kind, level: v.level, role: str(v.role) } : null
    case 'case_organization':
    case 'case_person':
      return { kind: v.kind, field: str(v.field) }
    case 'fixed_organization':
      return { kind: 'fixed_organization', org_id: str(v.org_id) }
    case 'assigned_by_stage':
      return { kind: 'assigned_by_stage', stage_key: str(v.stage_key) }
    default:
      return null
  }
}

/**
 * The `spec` object of a FlowView as a FlowSpec, with the serde defaults filled in
 * (`opinion_required: []`, `return_to: "owner"`, `deadline_days: null`); null when it is not one.
 */
export function parseFlowSpec(value: unknown): FlowSpec | null {
  if (!isRecord(value) || !Array.isArray(value.stages)) return null
  const stages: StageSpec[] = []
  for (const raw of value.stages) {
    if (!isRecord(raw) || !Array.isArray(raw.actions)) return null
    const assignee = parseRule(raw.assignee)
    if (!assignee || !raw.actions.every(isAction)) return null
    const opinion = Array.isArray(raw.opinion_required) ? raw.opinion_required : []
    if (!opinion.every(isAction)) return null
    stages.push({
      key: str(raw.key),
      name: str(raw.name),
      assignee,
      actions: [...raw.actions],
      opinion_required: [...opinion],
      return_to: raw.return_to === 'previous_stage' ? 'previous_stage' : 'owner',
      deadline_days: typeof raw.deadline_days === 'number' ? raw.deadline_days : null,
    })
  }
  return {
    key: str(value.key),
    name: str(value.name),
    version: typeof value.version === 'number' ? value.version : 0,
    stages,
  }
}

/** A deep copy to edit (never the displayed object). */
export function cloneSpec(spec: FlowSpec): FlowSpec {
  return JSON.parse(JSON.stringify(spec)) as FlowSpec
}

/** The body of `POST /api/review/flows/{key}`: empty deadlines as null, nothing else added. */
export function toPayload(spec: FlowSpec): FlowSpec {
  const copy = cloneSpec(spec)
  for (const s of copy.stages) {
    const d = s.deadline_days as number | null | undefined | ''
    s.deadline_days = d === undefined || d === '' ? null : d
  }
  return copy
}

// ---------------------------------------------------------------------------------------------
// Validation: FlowDefinition::new, same checks, same order, same messages
// ---------------------------------------------------------------------------------------------

export function validKey(key: string): boolean {
  return key.length > 0 && key.length <= MAX_KEY_LEN && /^[a-z][a-z0-9_]*$/.test(key)
}

const keyError = (what: string, key: string) =>
  `${what}标识“${key}”不合规：应以小写字母开头，只含小写字母、数字和下划线，不超过64个字符`

/** The server trims names and rule parameters (Rust `str::trim`: spaces, tabs, new lines, full-width space). */
const trimmed = (s: string) => s.trim()

function assigneeError(rule: AssigneeRule, stage: string, earlier: ReadonlySet<string>): string | null {
  const missing = (what: string) => `环节“${stage}”的办理人规则缺少${what}`
  switch (rule.kind) {
    case 'region_authority':
    case 'responsible_section':
      return trimmed(rule.role) ? null : missing('角色')
    case 'case_organization':
    case 'case_person':
      return trimmed(rule.field) ? null : missing('事项字段')
    case 'fixed_organization':
      return trimmed(rule.org_id) ? null : missing('单位')
    case 'assigned_by_stage':
      return earlier.has(rule.stage_key) ? null : `环节“${stage}”的办理人应由它之前的环节指定，“${rule.stage_key}”不是它之前的环节`
    default:
      return '流程定义格式不正确：未知的办理人规则'
  }
}

/** The first problem of one stage, as `FlowDefinition::check_stage` reports it; null when it is fine. */
function stageError(raw: StageSpec, index: number, earlier: ReadonlySet<string>): string | null {
  if (!validKey(raw.key)) return keyError('环节', raw.key)
  if (earlier.has(raw.key)) return `环节标识“${raw.key}”重复`
  const label = trimmed(raw.name)
  if (!label) return `环节“${raw.key}”的名称不能为空`

  const actions: StageAction[] = []
  for (const a of raw.actions) {
    if (actions.includes(a)) return `环节“${label}”的操作“${ACTION_LABELS[a]}”重复`
    actions.push(a)
  }
  if (!actions.includes('approve')) return `环节“${label}”必须允许审核通过，否则事项无法办结`

  const opinion: StageAction[] = []
  for (const a of raw.opinion_required) {
    if (a === 'withdraw') return `环节“${label}”的撤回不填写意见，不能设置为必填`
    if (!actions.includes(a)) return `环节“${label}”不允许“${ACTION_LABELS[a]}”，不能要求填写其意见`
    if (opinion.includes(a)) return `环节“${label}”的操作“${ACTION_LABELS[a]}”重复`
    opinion.push(a)
  }

  if (index === 0 && raw.return_to === 'previous_stage') return `第一个环节“${label}”没有上一环节，不能设置为退回上一环节`

  const assignee = assigneeError(raw.assignee, label, earlier)
  if (assignee) return assignee

  const days = raw.deadline_days as number | null | undefined | ''
  if (days !== null && days !== undefined && days !== '') {
    if (!Number.isInteger(days) || days < 1 || days > MAX_DEADLINE_DAYS) {
      return `环节“${label}”的办理期限应为1至365天，当前为${days}天`
    }
  }
  return null
}

/**
 * Every problem of the flow, in the order the server meets them: `errors[0]` is the message the server
 * would answer with (422). Each stage reports its first problem; an empty list means the server's
 * checks pass.
 */
export function validateFlow(spec: FlowSpec): string[] {
  if (!validKey(spec.key)) return [keyError('流程', spec.key)]
  const errors: string[] = []
  if (!trimmed(spec.name)) errors.push('流程名称不能为空')
  if (!(spec.version >= 1)) errors.push('流程版本号应从1开始')
  if (spec.stages.length === 0) {
    errors.push('流程至少需要一个审核环节')
    return errors
  }
  const seen = new Set<string>()
  spec.stages.forEach((stage, index) => {
    const e = stageError(stage, index, seen)
    if (e) errors.push(e)
    // The server stops at the first error; here later stages are still checked against the keys
    // before them, so one mistake does not drown the list in follow-up messages.
    if (validKey(stage.key)) seen.add(stage.key)
  })
  return errors
}

// ---------------------------------------------------------------------------------------------
// Editing
// ---------------------------------------------------------------------------------------------

/** A copy of `stages` with the stage at `index` moved by `delta` (−1 up, +1 down); unchanged when it cannot move. */
export function moveStage<T>(stages: readonly T[], index: number, delta: number): T[] {
  const to = index + delta
  if (index < 0 || index >= stages.length || to < 0 || to >= stages.length || delta === 0) return [...stages]
  const next = [...stages]
  const [moved] = next.splice(index, 1)
  next.splice(to, 0, moved as T)
  return next
}

export function removeStage<T>(stages: readonly T[], index: number): T[] {
  return stages.filter((_, i) => i !== index)
}

/** A key not used by any stage: `stage_2`, `stage_3`, … */
export function newStageKey(stages: readonly Pick<StageSpec, 'key'>[]): string {
  const used = new Set(stages.map((s) => s.key))
  let n = stages.length + 1
  while (used.has(`stage_${n}`)) n++
  return `stage_${n}`
}

/** A new stage as the seeded flows make them: the city authority, every action, returns to the owner. */
export function newStage(stages: readonly Pick<StageSpec, 'key'>[]): StageSpec {
  return {
    key: newStageKey(stages),
    name: '',
    assignee: { kind: 'region_authority', level: 'city', role: REVIEW_ROLE },
    actions: [...STAGE_ACTIONS],
    opinion_required: ['reject', 'return'],
    return_to: 'owner',
    deadline_days: null,
  }
}

/**
 * The rule after choosing another kind: level and role carry over between the authority and the
 * responsible section; an assignment by an earlier stage names the stage just before.
 */
export function changeAssigneeKind(rule: AssigneeRule, kind: AssigneeKind, earlier: readonly Pick<StageSpec, 'key'>[] = []): AssigneeRule {
  if (rule.kind === kind) return rule
  const level = 'level' in rule ? rule.level : 'city'
  switch (kind) {
    case 'region_authority':
      return { kind, level, role: REVIEW_ROLE }
    case 'responsible_section':
      return { kind, level, role: level === 'district' ? 'district_member' : 'city_section_member' }
    case 'case_organization':
      return { kind, field: 'lead_unit_id' }
    case 'case_person':
      return { kind, field: 'acceptance_expert_id' }
    case 'fixed_organization':
      return { kind, org_id: 'platform_operator' }
    case 'assigned_by_stage':
      return { kind, stage_key: earlier.at(-1)?.key ?? '' }
  }
}

/**
 * Ticks or unticks an allowed action, keeping the server's canonical order. Unticking also drops the
 * action from `opinion_required` (the server refuses an opinion rule for an action not allowed).
 */
export function setActionAllowed(stage: StageSpec, action: StageAction, allowed: boolean): void {
  if (allowed) {
    if (!stage.actions.includes(action)) stage.actions = STAGE_ACTIONS.filter((a) => a === action || stage.actions.includes(a))
    if ((action === 'reject' || action === 'return') && !stage.opinion_required.includes(action)) {
      stage.opinion_required = STAGE_ACTIONS.filter((a) => a === action || stage.opinion_required.includes(a))
    }
  } else {
    stage.actions = stage.actions.filter((a) => a !== action)
    stage.opinion_required = stage.opinion_required.filter((a) => a !== action)
  }
}

/** Whether the opinion box of `action` can be changed: only approve (reject/return always, withdraw never). */
export function opinionEditable(stage: Pick<StageSpec, 'actions'>, action: StageAction): boolean {
  return action === 'approve' && stage.actions.includes('approve')
}

export function setOpinionRequired(stage: StageSpec, action: StageAction, required: boolean): void {
  if (required) {
    if (!stage.opinion_required.includes(action)) {
      stage.opinion_required = STAGE_ACTIONS.filter((a) => a === action || stage.opinion_required.includes(a))
    }
  } else {
    stage.opinion_required = stage.opinion_required.filter((a) => a !== action)
  }
}
