/** Chinese labels for identifiers the API returns. Unknown values are shown as they are. */

const ORG_KINDS: Record<string, string> = {
  enterprise: '企业',
  provider: '服务商',
  lead_unit: '数字化牵引单位',
  agency: '服务机构',
  government: '政府部门',
  operator: '平台运营单位',
}

const ROLES: Record<string, string> = {
  system_admin: '系统管理员',
  security_admin: '安全管理员',
  audit_admin: '审计管理员',
  org_admin: '单位管理员',
  member: '经办人员',
  expert: '评审专家',
}

/** The server sends `kind_label`; this is the fallback for older responses. */
export function orgKindLabel(kind: string, serverLabel?: string | null): string {
  return serverLabel || ORG_KINDS[kind] || kind
}

export function roleLabel(role: string): string {
  return ROLES[role] ?? role
}
