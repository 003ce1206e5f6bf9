import type { Component } from 'vue'
import {
  Bell,
  Box,
  Checked,
  Collection,
  Connection,
  DataAnalysis,
  Document,
  DocumentChecked,
  DocumentCopy,
  Folder,
  Memo,
  Files,
  Finished,
  FolderChecked,
  FolderOpened,
  Goods,
  Histogram,
  List,
  Money,
  Notebook,
  OfficeBuilding,
  Operation,
  Promotion,
  Setting,
  ShoppingCart,
  Stamp,
  Tickets,
  TrendCharts,
  User,
  UserFilled,
  Postcard,
  Share,
} from '@element-plus/icons-vue'
import type { OrgDetail, SessionUser } from '@/api/types'

export interface WorkbenchModule {
  key: string
  title: string
  description: string
  icon: Component
  /** Route when the module is open; absent = "即将开放". */
  to?: string
  /** Built but not available yet for this user (e.g. before certification): why. */
  lockedReason?: string
  /**
   * Menu permission (GET /api/permissions keys) a member needs to see the module; organization
   * administrators see every module of their organization. Absent = everyone.
   */
  permission?: string
}

/** 我的申请: every organization's own cases (drafts, submissions, returns) and their progress. */
export const MY_CASES_MODULE: WorkbenchModule = {
  key: 'my-cases',
  title: '我的申请',
  description: '本单位各类申请的填写、提交与审核进度',
  icon: DocumentCopy,
  to: '/workbench/review/cases',
}

/**
 * 待办审核: the review tasks of the organization. Members need the 审核办理 permission where the kind
 * has one (government, operator, agency); a lead unit has no such permission, so all its users see it.
 */
export const REVIEW_TODO_MODULE: WorkbenchModule = {
  key: 'review-todo',
  title: '待办审核',
  description: '待本单位审核的申请与事项',
  icon: Checked,
  to: '/workbench/review/todo',
}
const REVIEW_TODO_WITH_PERMISSION: WorkbenchModule = { ...REVIEW_TODO_MODULE, permission: 'reviews' }

/**
 * 参考数据: the shared pickers and file storage seen from the inside (codes, SHA-256 of uploads), a page for
 * whoever keeps the platform running: the system administrator only.
 */
export const REFERENCE_MODULE: WorkbenchModule = {
  key: 'reference-data',
  title: '参考数据',
  description: '行政区划、行业分类与附件上传',
  icon: Collection,
  to: '/workbench/reference-data',
}

const ENTERPRISE: WorkbenchModule[] = [
  { key: 'filing', title: '项目备案', description: '项目总览、备案申请与进度', icon: Document, permission: 'projects', to: '/workbench/projects' },
  { key: 'diagnosis', title: '数字化诊断评估', description: '事前诊断、事后评估报告确认', icon: DataAnalysis, permission: 'projects', to: '/workbench/diagnosis' },
  { key: 'signing', title: '项目签约', description: '选择服务商产品并签订合同', icon: Stamp, permission: 'projects', to: '/workbench/signings' },
  // 预奖补 is applied for from a signed project (项目签约 → 预奖补申请), as in the seed.
  { key: 'presubsidy', title: '预奖补申请', description: '预奖补资金申请与审核', icon: Money, permission: 'projects', to: '/workbench/signings' },
  { key: 'implementation', title: '项目实施', description: '企业现状（改造前）填写与提交', icon: TrendCharts, permission: 'projects', to: '/workbench/implementations' },
  { key: 'acceptance', title: '改造完成', description: '数字化改造成效、服务商评价与佐证材料', icon: Finished, permission: 'projects', to: '/workbench/completions' },
  { key: 'acceptance-entry', title: '项目入库', description: '开放时段内提交项目入库与审核进度', icon: FolderChecked, permission: 'projects', to: '/workbench/acceptances' },
  { key: 'assessment', title: '数字化水平评测', description: '在线自评与评测结果', icon: Histogram, permission: 'assessment', to: '/assessment' },
  // 申报 (003 §5.4–5.6): the server's 申报管理 permission of an enterprise is `applications`.
  { key: 'calls', title: '我要申报', description: '当前可申报的项目通知', icon: Promotion, permission: 'applications', to: '/workbench/calls' },
  { key: 'calls-mine', title: '我的项目', description: '已申报项目的填写、提交与办理环节', icon: Files, permission: 'applications', to: '/workbench/calls/mine' },
  {
    key: 'calls-documents',
    title: '我的申报书',
    description: '生成的申报书下载',
    icon: Tickets,
    permission: 'applications',
    to: '/workbench/calls/documents',
  },
]

const PROVIDER: WorkbenchModule[] = [
  {
    key: 'provider-application',
    title: '服务商申报',
    description: '加入牵引单位产业生态联合体',
    icon: OfficeBuilding,
    permission: 'provider_applications',
    to: '/workbench/provider-applications',
  },
  { key: 'products', title: '我的产品', description: '产品入库申报与审核进度', icon: Box, permission: 'products', to: '/workbench/products' },
  { key: 'listings', title: '商品上架', description: '产品上架申请与管理', icon: Goods, permission: 'products' },
  { key: 'orders', title: '订单管理', description: '企业订单与履约', icon: ShoppingCart, permission: 'orders' },
  { key: 'vouchers', title: '服务券兑付', description: '服务券核销与兑付申请', icon: Tickets, permission: 'vouchers' },
  { key: 'payee', title: '收款账号', description: '收款账户信息维护', icon: Money, permission: 'vouchers' },
]

const LEAD_UNIT: WorkbenchModule[] = [
  REVIEW_TODO_MODULE,
  {
    key: 'alliance',
    title: '生态伙伴确认',
    description: '确认服务商加入产业生态联合体',
    icon: UserFilled,
    to: '/workbench/review/todo?kind=alliance_join',
  },
  { key: 'members', title: '生态伙伴', description: '已加入本单位产业生态联合体的服务商', icon: Connection, to: '/workbench/lead-unit/members' },
  {
    key: 'product-confirm',
    title: '产品入池确认',
    description: '确认生态伙伴申报的产品',
    icon: DocumentChecked,
    to: '/workbench/review/todo?kind=product_entry',
  },
  { key: 'pool', title: '产品池', description: '本单位产品池与入池确认', icon: FolderOpened, to: '/workbench/lead-unit/pool' },
  // The same pages as the enterprise's 项目签约: the server shows a lead unit only the pages sent to it.
  { key: 'signing', title: '协助签约', description: '为试点企业协助填写项目签约的牵引单位信息', icon: Notebook, to: '/workbench/signings' },
  { key: 'implementation', title: '协助项目实施', description: '为试点企业协助填写企业现状（改造前）', icon: TrendCharts, to: '/workbench/implementations' },
]

const AGENCY: WorkbenchModule[] = [
  REVIEW_TODO_WITH_PERMISSION,
  { key: 'agency-tasks', title: '诊断评估任务', description: '分派的诊断、评估任务与报告上传', icon: DocumentChecked, permission: 'diagnoses', to: '/workbench/agency/diagnoses' },
  { key: 'pre-review', title: '预审 / 初审', description: '受委托的预审、初审待办', icon: Checked, permission: 'reviews' },
]

const GOVERNMENT: WorkbenchModule[] = [
  REVIEW_TODO_WITH_PERMISSION,
  {
    key: 'calls-reviewing',
    title: '申报审核',
    description: '各方向待审核项目与推荐函',
    icon: Stamp,
    permission: 'reviews',
    to: '/workbench/calls/reviewing',
  },
  {
    key: 'project-center',
    title: '项目中心',
    description: '本单位审核的申报项目与汇总表',
    icon: Files,
    permission: 'projects_center',
    to: '/workbench/calls/projects',
  },

  {
    key: 'calls-results',
    title: '推荐汇总与公示',
    description: '推荐汇总表与结果公示',
    icon: Finished,
    permission: 'reviews',
    to: '/workbench/calls/results',
  },
  {
    key: 'calls-admin',
    title: '申报管理',
    description: '专题与方向、申报通知的设置与发布',
    icon: Promotion,
    permission: 'calls',
    to: '/workbench/calls/manage',
  },
  { key: 'enterprises', title: '企业管理', description: '本辖区企业信息、历史扶持项目与信用核查', icon: Postcard, permission: 'enterprises', to: '/workbench/enterprises' },
  { key: 'providers-admin', title: '服务商与产品池', description: '服务商、牵引单位与产品池管理', icon: OfficeBuilding },
  { key: 'summary', title: '统计汇总', description: '各阶段数量统计与汇总表导出', icon: DataAnalysis, to: '/workbench/dashboard' },
  { key: 'settings', title: '系统设置', description: '流程、表单与平台参数', icon: Setting },
]

/**
 * 诊断评估分配: a city bureau's (region code `xxyy00`, not a province's `xx0000`) — the city assigns agencies
 * to the projects of its towns sent to it (市工信局分配), for 事前诊断 and for 事后评估.
 */
const DIAGNOSIS_ASSIGNMENTS_MODULE: WorkbenchModule = {
  key: 'diagnosis-assignments',
  title: '诊断评估分配',
  description: '为「市工信局分配」的试点项目分配诊断、评估机构',
  icon: DataAnalysis,
  permission: 'projects_center',
  to: '/workbench/lifecycle/diagnosis-assignments',
}
/** 项目入库管理: the city's 项目入库开放时段 and the 验收专家 of each project of its towns. */
const ACCEPTANCE_ASSIGNMENTS_MODULE: WorkbenchModule = {
  key: 'acceptance-assignments',
  title: '项目入库管理',
  description: '项目入库开放时段与验收专家分配',
  icon: FolderChecked,
  permission: 'projects_center',
  to: '/workbench/lifecycle/acceptance-assignments',
}
/** 国家平台同步: the city's projects and whether the national platform has taken their latest data. */
const NATIONAL_SYNC_MODULE: WorkbenchModule = {
  key: 'national-sync',
  title: '国家平台同步',
  description: '试点项目各阶段数据同步至国家平台的状态',
  icon: Connection,
  permission: 'projects_center',
  to: '/workbench/lifecycle/national-sync',
}
const isCity = (code: string | null | undefined) => !!code && /^\d{6}$/.test(code) && code.endsWith('00') && !code.endsWith('0000')

const OPERATOR: WorkbenchModule[] = [
  REVIEW_TODO_WITH_PERMISSION,
  {
    key: 'certification',
    title: '服务商认证',
    description: '服务商注册认证审核',
    icon: Stamp,
    permission: 'reviews',
    to: '/workbench/review/todo?kind=provider_certification',
  },
  { key: 'listing-review', title: '上架初审', description: '商品上架初审', icon: Goods, permission: 'reviews' },
  { key: 'settlement', title: '服务券结算', description: '服务券兑付结算', icon: Tickets },
  { key: 'operator-todo', title: '运营待办', description: '平台运营事项', icon: List, permission: 'reviews' },
]

/** 企业信息 and 资料库: every company-like organization (not government bodies, not the operator). */
export const PROFILE_MODULE: WorkbenchModule = {
  key: 'profile',
  title: '企业信息',
  description: '企业基本信息、规模与优质企业情况',
  icon: Postcard,
  to: '/workbench/profile',
}
export const MATERIALS_MODULE: WorkbenchModule = {
  key: 'materials',
  title: '资料库',
  description: '营业执照、审计报告等常用材料',
  icon: Folder,
  to: '/workbench/materials',
}
export const ACCOUNTS_MODULE: WorkbenchModule = {
  key: 'accounts',
  title: '账号管理',
  description: '本单位子账号、菜单权限与密码重置',
  icon: User,
  to: '/workbench/accounts',
}
export const GOV_USERS_MODULE: WorkbenchModule = {
  key: 'users',
  title: '人员管理',
  description: '本单位的用户、所属部门、用户类型与角色',
  icon: UserFilled,
  to: '/workbench/users',
}
export const DEPARTMENTS_MODULE: WorkbenchModule = {
  key: 'departments',
  title: '部门管理',
  description: '部门科室树、负责人与启用状态',
  icon: Share,
  to: '/workbench/departments',
}
/** 设置责任科室 (003 §4.1.3, §4.4.3): the bureau's administrator names the department reviewing each track. */
export const SECTIONS_MODULE: WorkbenchModule = {
  key: 'calls-sections',
  title: '设置责任科室',
  description: '为各申报方向指定负责审核的科室',
  icon: Share,
  to: '/workbench/calls/sections',
}
export const AUDIT_MODULE: WorkbenchModule = {
  key: 'audit',
  title: '审计日志',
  description: '登录、授权与数据操作记录查询',
  icon: Memo,
  to: '/workbench/audit',
}

/** 通知公告 (门户内容): the operator's and government bodies' administrators publish and retire the portal's content. */
export const PORTAL_MODULE: WorkbenchModule = {
  key: 'notices',
  title: '通知公告',
  description: '门户通知公告、政策文件、结果公示等的发布与异议答复',
  icon: Notebook,
  to: '/workbench/portal',
}

/** 工作台公告: the operator's and government bodies' administrators post announcements to workbenches. */
export const ANNOUNCEMENTS_MODULE: WorkbenchModule = {
  key: 'announcements',
  title: '工作台公告',
  description: '向各类单位发布工作台公告',
  icon: Bell,
  to: '/workbench/announcements',
}

/** 审核流程管理: the system administrator edits the review flows into new versions. */
export const REVIEW_FLOWS_MODULE: WorkbenchModule = {
  key: 'review-flows',
  title: '审核流程管理',
  description: '各类审核的环节、办理人、操作与版本记录',
  icon: Operation,
  to: '/workbench/review/flows',
}

const COMPANY_KINDS = new Set(['enterprise', 'provider', 'lead_unit', 'agency'])
/** Kinds whose own users only exist after the operator certified the organization (001 §1.4.9). */
const CERTIFIED_FIRST = new Set(['provider'])
/** A provider applies (服务商申报, 产品申报) once certified (spec 10: until then it sees the pending notice). */
const PROVIDER_CERTIFIED_MODULES = new Set(['provider-application', 'products'])

/**
 * Modules for the user's organization kind and roles. Business placeholders until each capability
 * lands; then `to` is filled in. `org` (GET /api/orgs/me) supplies the certification status; while
 * it is unknown, modules that need certification stay locked. Unknown kinds get the shared modules.
 */
export function modulesFor(user: SessionUser, org: OrgDetail | null = null): WorkbenchModule[] {
  const kind = user.organization.kind
  const roles = new Set<string>(user.roles)
  const list: WorkbenchModule[] = []
  const add = (ms: WorkbenchModule[]) => {
    for (const m of ms) if (!list.some((x) => x.key === m.key)) list.push(m)
  }
  if (COMPANY_KINDS.has(kind)) add([PROFILE_MODULE, MATERIALS_MODULE])
  if (kind === 'enterprise') add(ENTERPRISE)
  if (kind === 'provider') {
    const status = org?.certification_status
    add(
      PROVIDER.map((m) =>
        m.to && PROVIDER_CERTIFIED_MODULES.has(m.key) && status !== 'certified'
          ? {
              ...m,
              lockedReason: status === 'pending' ? '您的企业认证正在审批中，请耐心等待；认证通过后可申报' : '企业认证通过后可申报',
            }
          : m,
      ),
    )
  }
  if (kind === 'lead_unit') add([...LEAD_UNIT, ...PROVIDER])
  // An expert (验收专家, product experts) reviews as themselves, with no menu permission: their 待办审核 holds
  // only the tasks assigned to them (the server's rule).
  if (roles.has('expert')) add([REVIEW_TODO_MODULE])
  if (kind === 'agency') add(AGENCY)
  if (kind === 'government') add(GOVERNMENT)
  if (kind === 'government' && isCity(user.organization.region_code)) add([DIAGNOSIS_ASSIGNMENTS_MODULE, ACCEPTANCE_ASSIGNMENTS_MODULE, NATIONAL_SYNC_MODULE])
  if (kind === 'operator') add(OPERATOR)
  add([MY_CASES_MODULE])

  // The server's rules: users by organization or security administrators; departments by the
  // administrators of a government body.
  const usersAdmin = roles.has('org_admin') || roles.has('security_admin')
  if (kind === 'government' && (roles.has('org_admin') || roles.has('system_admin'))) add([DEPARTMENTS_MODULE])
  // The server's rule: the bureau's administrator (or a member given 部门管理) sets responsible sections.
  if (kind === 'government' && (roles.has('org_admin') || user.permissions.includes('departments'))) add([SECTIONS_MODULE])
  if (usersAdmin && kind === 'government') add([GOV_USERS_MODULE])
  else if (usersAdmin) {
    const status = org?.certification_status
    const locked = CERTIFIED_FIRST.has(kind) && status !== 'certified'
    add([
      locked
        ? {
            ...ACCOUNTS_MODULE,
            lockedReason:
              status === 'pending'
                ? '您的企业认证正在审批中，请耐心等待；认证通过后可管理子账号'
                : '企业认证通过后可管理子账号',
          }
        : ACCOUNTS_MODULE,
    ])
  }
  // The server's rule: the operator's or a government body's administrator publishes.
  if ((kind === 'operator' || kind === 'government') && roles.has('org_admin')) add([PORTAL_MODULE, ANNOUNCEMENTS_MODULE])
  if (roles.has('audit_admin')) add([AUDIT_MODULE])
  if (roles.has('system_admin')) add([REVIEW_FLOWS_MODULE, REFERENCE_MODULE])
  // Members see the business modules their administrator granted (per-menu permissions, 001 §1.4.9).
  if (roles.has('org_admin')) return list
  const granted = new Set(user.permissions)
  return list.filter((m) => !m.permission || granted.has(m.permission))
}

/** The module a workbench route belongs to, if the user may open it now. */
export function openModule(user: SessionUser, org: OrgDetail | null, key: string): WorkbenchModule | null {
  const m = modulesFor(user, org).find((x) => x.key === key)
  return m && m.to && !m.lockedReason ? m : null
}

/**
 * The side menu's lit item for a workbench page, as the `to` of one of `tos` (the open modules' routes):
 * an exact match of path and query first (待办审核 filtered to one kind is its own item, e.g. 生态伙伴确认),
 * then the same path. Pages that are no item of their own (a case, the notifications) keep `last`, the item
 * the user came from (a case opened from 待办审核 is not 我的申请); opened directly, the item whose path is
 * the longest prefix of theirs. '' when none fits.
 */
export function menuItemFor(tos: readonly string[], page: { path: string; fullPath: string }, last?: string): string {
  const items = tos.map((to) => ({ to, path: to.split('?')[0] }))
  const own = items.find((m) => m.to === page.fullPath) ?? items.find((m) => m.path === page.path)
  if (own) return own.to
  if (last && tos.includes(last)) return last
  const below = items.filter((m) => page.path.startsWith(m.path + '/')).sort((a, b) => b.path.length - a.path.length)
  return below[0]?.to ?? ''
}
