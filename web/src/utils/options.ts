/**
 * Choice lists for identity / profile forms: the value the server accepts and the Chinese label.
 * The server validates these lists (crates/server/src/orgs/handlers.rs, accounts/users.rs); the
 * OpenAPI document only describes them in text, so they are repeated here. Unknown values from the
 * server are shown as they are.
 */
export interface Option {
  value: string
  label: string
}

/** 企业性质 — the server stores the label itself. */
export const NATURE_OPTIONS: Option[] = ['国有', '民营', '外资', '混合所有制', '其他'].map((v) => ({ value: v, label: v }))

/** 企业类别 */
export const CATEGORY_OPTIONS: Option[] = ['规模以上工业企业', '规模以下工业企业'].map((v) => ({ value: v, label: v }))

/** 企业规模 */
export const SIZE_OPTIONS: Option[] = [
  { value: '中型', label: '中型企业' },
  { value: '小型', label: '小型企业' },
  { value: '微型', label: '微型企业' },
]

/** 优质中小企业情况 (none = leave empty) */
export const QUALITY_OPTIONS: Option[] = ['创新型中小企业', '专精特新中小企业', '专精特新"小巨人"企业'].map((v) => ({
  value: v,
  label: v.replace(/"(.*)"/, '“$1”'),
}))

/** 资料库类别 */
export const MATERIAL_CATEGORIES: Option[] = ['营业执照', '审计报告', '资质证书', '知识产权', '信用报告', '其他'].map((v) => ({
  value: v,
  label: v,
}))

/** 用户类型 (government users, 003 §4.1.2) */
export const USER_TYPE_OPTIONS: Option[] = [
  { value: 'city_section_leader', label: '市科室领导' },
  { value: 'city_section_member', label: '市科室经办' },
  { value: 'district_admin', label: '区县管理员' },
  { value: 'district_member', label: '区县经办' },
  { value: 'town_admin', label: '镇街管理员' },
  { value: 'other', label: '其他' },
]

/** 身份证明 (003 §4.1.2.1) */
export const IDENTITY_TYPE_OPTIONS: Option[] = ['居民身份证', '护照', '港澳居民来往内地通行证', '台湾居民来往大陆通行证', '其他'].map((v) => ({
  value: v,
  label: v,
}))

export const CERTIFICATION_LABELS: Record<string, { label: string; type: 'info' | 'warning' | 'success' | 'danger' }> = {
  none: { label: '未认证', type: 'info' },
  pending: { label: '认证审批中', type: 'warning' },
  certified: { label: '已认证', type: 'success' },
  rejected: { label: '认证未通过', type: 'danger' },
}

export const CHANGE_REQUEST_STATUS: Record<string, { label: string; type: 'warning' | 'success' | 'danger' | 'info' }> = {
  draft: { label: '未提交', type: 'info' },
  in_review: { label: '待市级审核', type: 'warning' },
  returned: { label: '已退回', type: 'danger' },
  approved: { label: '审核通过', type: 'success' },
  rejected: { label: '不通过', type: 'danger' },
}

export const AUDIT_RESULTS: Option[] = [
  { value: 'success', label: '成功' },
  { value: 'failure', label: '失败' },
  { value: 'denied', label: '拒绝' },
]

export function optionLabel(options: Option[], value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  return options.find((o) => o.value === value)?.label ?? value
}
