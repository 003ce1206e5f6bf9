/**
 * What the officials' pages edit (003 §4.3.1 编辑申报指南, 批量编辑申报指南; 004 图3): a call's settings as the
 * editor's tabs hold them, the times as China wall-clock text (the date pickers' values), the credit codes as
 * pasted text, and back to what the server takes; where each of the server's field errors is shown.
 */
import dayjs from 'dayjs'
import type { AttachmentItem, BatchableSettings, CallPhase, CallSettings, CallStatus, Notice } from '@/api/calls'
import { formatDateTime } from '@/utils/format'
import { LIMITS } from '@/components/form/schema'

/** The file types an attachment item may allow and its limits: the same as a form's file field (docs/forms.md). */
export { FILE_TYPES } from '@/components/form/schema'
export const MAX_FILE_MB = LIMITS.fileMb
export const MAX_FILES = LIMITS.files

export const PHASE_LABELS: Record<CallPhase, string> = { upcoming: '未开始', open: '申报中', closed: '已截止' }
export const PHASE_TAGS: Record<CallPhase, 'info' | 'success' | 'warning'> = { upcoming: 'info', open: 'success', closed: 'warning' }
export const STATUS_LABELS: Record<CallStatus, string> = { draft: '草稿', published: '已发布' }

/** The notice's metadata (004 图3), in the order the portal shows it. */
export const NOTICE_FIELDS: readonly { key: Exclude<keyof Notice, 'conditions'>; label: string; placeholder: string }[] = [
  { key: 'policy_level', label: '政策层级', placeholder: '如：市级' },
  { key: 'region', label: '发布地区', placeholder: '如：厦门市' },
  { key: 'batch', label: '政策批次', placeholder: '如：2023' },
  { key: 'department', label: '主管部门', placeholder: '如：厦门市工业和信息化局' },
  { key: 'applicant', label: '申请对象', placeholder: '如：企业' },
  { key: 'beneficiary', label: '补贴对象', placeholder: '如：企业' },
  { key: 'industries', label: '行业类别', placeholder: '如：电子器件制造、输配电及控制设备制造' },
  { key: 'sizes', label: '企业规模', placeholder: '如：中型企业、小型企业' },
  { key: 'application_type', label: '申报类型', placeholder: '如：试点企业' },
  { key: 'support', label: '支持方式', placeholder: '如：资金支持' },
  { key: 'basis', label: '文件依据', placeholder: '发布通知的文件名称' },
]

export const ASSESSMENT_LEVELS = ['一级', '二级', '三级', '四级', '五级', '六级'] as const

const ZONE_SUFFIX = '+08:00'
const WALL = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/

/** An instant as the date pickers show it: China wall-clock time `YYYY-MM-DD HH:mm:ss` ('' for none). */
export function toWall(iso: string | null | undefined): string {
  if (!iso) return ''
  const s = formatDateTime(iso)
  return WALL.test(s) ? s : ''
}

/** A picker's China wall-clock time as the RFC 3339 instant the server takes (null for none). */
export function fromWall(wall: string | null | undefined): string | null {
  if (!wall || !WALL.test(wall)) return null
  return `${wall.replace(' ', 'T')}${ZONE_SUFFIX}`
}

/** Credit codes pasted one per line (or separated by commas, spaces): upper case, each once. */
export function usccsFromText(text: string): string[] {
  const out: string[] = []
  for (const part of text.split(/[\s,，;；、]+/)) {
    const u = part.trim().toUpperCase()
    if (u && !out.includes(u)) out.push(u)
  }
  return out
}

export function usccsToText(list: readonly string[]): string {
  return list.join('\n')
}

export function emptyNotice(): Notice {
  return {
    policy_level: '',
    region: '',
    batch: '',
    department: '',
    applicant: '',
    beneficiary: '',
    industries: '',
    sizes: '',
    application_type: '',
    support: '',
    basis: '',
    conditions: '',
  }
}

/** The editor's copy of a call's settings: times as wall-clock text, codes as text, nothing missing. */
export interface SettingsForm {
  window: [string, string] | null
  applicants: 'all' | 'listed'
  usccsText: string
  district_review: boolean
  district_deadline: string
  remarks: string
  city_guide: string
  oa_file_ids: string[]
  notice: Notice
  industries: string[]
  sizes: string[]
  regions: string[]
  exclusive: boolean
  hasDeclaration: boolean
  declaration: string
  assessmentRequired: boolean
  minLevel: string
  attachments: AttachmentItem[]
}

export function settingsForm(s: CallSettings): SettingsForm {
  const opens = toWall(s.opens_at)
  const closes = toWall(s.closes_at)
  return {
    window: opens && closes ? [opens, closes] : null,
    applicants: s.applicants === 'listed' ? 'listed' : 'all',
    usccsText: usccsToText(s.listed_usccs ?? []),
    district_review: !!s.district_review,
    district_deadline: toWall(s.district_deadline),
    remarks: s.remarks ?? '',
    city_guide: s.city_guide ?? '',
    oa_file_ids: [...(s.oa_file_ids ?? [])],
    notice: { ...emptyNotice(), ...(s.notice ?? {}) },
    industries: [...(s.eligibility?.industries ?? [])],
    sizes: [...(s.eligibility?.sizes ?? [])],
    regions: [...(s.eligibility?.regions ?? [])],
    exclusive: !!s.eligibility?.exclusive,
    hasDeclaration: s.declaration !== null && s.declaration !== undefined,
    declaration: s.declaration ?? '',
    assessmentRequired: !!s.assessment?.required,
    minLevel: s.assessment?.min_level ?? '',
    attachments: (s.attachments ?? []).map((a) => ({ ...a, accept: [...a.accept] })),
  }
}

/** What PUT /api/calls/{id} takes. A window left empty keeps the one the call had. */
export function settingsPayload(f: SettingsForm, previous: Pick<CallSettings, 'opens_at' | 'closes_at'>): CallSettings {
  return {
    opens_at: fromWall(f.window?.[0]) ?? previous.opens_at,
    closes_at: fromWall(f.window?.[1]) ?? previous.closes_at,
    applicants: f.applicants,
    listed_usccs: f.applicants === 'listed' ? usccsFromText(f.usccsText) : [],
    district_review: f.district_review,
    district_deadline: f.district_review ? fromWall(f.district_deadline) : null,
    remarks: f.remarks.trim(),
    city_guide: f.city_guide,
    oa_file_ids: [...f.oa_file_ids],
    notice: { ...f.notice },
    eligibility: { industries: [...f.industries], sizes: [...f.sizes], regions: [...f.regions], exclusive: f.exclusive },
    declaration: f.hasDeclaration && f.declaration.trim() ? f.declaration : null,
    assessment: f.assessmentRequired ? { required: true, min_level: f.minLevel || null } : null,
    attachments: f.attachments.map((a) => ({ ...a, title: a.title.trim(), accept: [...a.accept] })),
  }
}

/** A key for a new attachment item, unused among `existing` (`att_1`, `att_2` …). */
export function newAttachmentKey(existing: readonly { key: string }[]): string {
  const used = new Set(existing.map((a) => a.key))
  for (let i = 1; ; i++) if (!used.has(`att_${i}`)) return `att_${i}`
}

export function newAttachmentItem(existing: readonly { key: string }[]): AttachmentItem {
  return { key: newAttachmentKey(existing), title: '', description: '', required: true, accept: ['pdf'], max_mb: 20, max_count: 1 }
}

export type SettingsTab = 'basic' | 'notice' | 'eligibility' | 'declaration' | 'attachments'

export const SETTINGS_TAB_LABELS: Record<SettingsTab, string> = {
  basic: '基本设置',
  notice: '申报通知',
  eligibility: '申报条件',
  declaration: '声明与自评',
  attachments: '附件清单',
}

/** The editor tab a settings field error belongs to (the server names `notice.basis`, `attachments[1].title` …). */
export function tabOfSettingsField(field: string): SettingsTab {
  if (field.startsWith('notice')) return 'notice'
  if (field.startsWith('eligibility')) return 'eligibility'
  if (field.startsWith('declaration') || field.startsWith('assessment')) return 'declaration'
  if (field.startsWith('attachments')) return 'attachments'
  return 'basic'
}

/**
 * The page's own checks before saving (the server checks everything again): the window inside the track's,
 * the district deadline not before the end, listed applicants named. Messages by field.
 */
export function checkSettings(f: SettingsForm, track: { opens_at: string; closes_at: string } | null): Record<string, string> {
  const out: Record<string, string> = {}
  const opens = fromWall(f.window?.[0])
  const closes = fromWall(f.window?.[1])
  if (!opens || !closes) out.opens_at = '请选择申报开始和结束时间'
  else if (!dayjs(opens).isBefore(dayjs(closes))) out.closes_at = '申报结束时间须晚于开始时间'
  else if (track && (dayjs(opens).isBefore(dayjs(track.opens_at)) || dayjs(closes).isAfter(dayjs(track.closes_at)))) {
    out.opens_at = `申报时间须在省级申报时间（${formatDateTime(track.opens_at)} 至 ${formatDateTime(track.closes_at)}）之内`
  }
  if (f.district_review) {
    const d = fromWall(f.district_deadline)
    if (!d) out.district_deadline = '需要区县审核时，请设置区县审核截止时间'
    else if (closes && dayjs(d).isBefore(dayjs(closes))) out.district_deadline = '区县审核截止时间不能早于申报结束时间'
  }
  if (f.applicants === 'listed' && !usccsFromText(f.usccsText).length) out.listed_usccs = '指定申报单位时，请至少填写一个统一社会信用代码'
  f.attachments.forEach((a, i) => {
    if (!a.title.trim()) out[`attachments[${i}].title`] = `第${i + 1}个附件缺少名称`
    if (!a.accept.length) out[`attachments[${i}].accept`] = `附件「${a.title || i + 1}」请至少选择一种文件类型`
  })
  return out
}

/** Server paths such as `listed_usccs[2]` shown on their input (`listed_usccs`). */
export function settingsErrorKey(field: string): string {
  if (field.startsWith('listed_usccs')) return 'listed_usccs'
  if (field.startsWith('eligibility.industries')) return 'eligibility.industries'
  if (field.startsWith('eligibility.sizes')) return 'eligibility.sizes'
  if (field.startsWith('eligibility.regions')) return 'eligibility.regions'
  return field
}

/** 批量设置: which parts to apply, and their values. */
export interface BatchForm {
  setWindow: boolean
  window: [string, string] | null
  setDistrict: boolean
  district_review: boolean
  district_deadline: string
  setApplicants: boolean
  applicants: 'all' | 'listed'
  usccsText: string
  setRemarks: boolean
  remarks: string
}

export function emptyBatchForm(): BatchForm {
  return {
    setWindow: false,
    window: null,
    setDistrict: false,
    district_review: false,
    district_deadline: '',
    setApplicants: false,
    applicants: 'all',
    usccsText: '',
    setRemarks: false,
    remarks: '',
  }
}

/** Only the parts ticked go to PUT /api/calls/batch. */
export function batchPayload(f: BatchForm): BatchableSettings {
  const out: BatchableSettings = {}
  if (f.setWindow) {
    const opens = fromWall(f.window?.[0])
    const closes = fromWall(f.window?.[1])
    if (opens) out.opens_at = opens
    if (closes) out.closes_at = closes
  }
  if (f.setDistrict) {
    out.district_review = f.district_review
    out.district_deadline = f.district_review ? fromWall(f.district_deadline) : null
  }
  if (f.setApplicants) {
    out.applicants = f.applicants
    out.listed_usccs = f.applicants === 'listed' ? usccsFromText(f.usccsText) : []
  }
  if (f.setRemarks) out.remarks = f.remarks.trim()
  return out
}

/** Why the chosen calls cannot be edited together, or null (003 §4.3.1.2: one program only). */
export function batchRefusal(selected: readonly { program_id: string }[]): string | null {
  if (!selected.length) return '请先勾选要批量设置的申报通知'
  if (new Set(selected.map((s) => s.program_id)).size > 1) return '批量设置只能用于同一专题的方向'
  return null
}
