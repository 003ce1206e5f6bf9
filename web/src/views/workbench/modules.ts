import type { Component } from 'vue'
import {
  Box,
  Checked,
  Collection,
  DataAnalysis,
  Document,
  DocumentChecked,
  Files,
  Finished,
  FolderOpened,
  Goods,
  Histogram,
  List,
  Money,
  Notebook,
  OfficeBuilding,
  Promotion,
  Setting,
  ShoppingCart,
  Stamp,
  Tickets,
  TrendCharts,
  User,
  UserFilled,
} from '@element-plus/icons-vue'
import type { SessionUser } from '@/api/types'

export interface WorkbenchModule {
  key: string
  title: string
  description: string
  icon: Component
  /** Route when the module is open; absent = "即将开放". */
  to?: string
}

/** Always offered: shared reference data and file storage. */
export const REFERENCE_MODULE: WorkbenchModule = {
  key: 'reference-data',
  title: '参考数据',
  description: '行政区划、行业分类与附件上传',
  icon: Collection,
  to: '/workbench/reference-data',
}

const ENTERPRISE: WorkbenchModule[] = [
  { key: 'filing', title: '项目备案', description: '试点项目备案申请与进度', icon: Document },
  { key: 'diagnosis', title: '数字化诊断评估', description: '事前诊断、事后评估报告确认', icon: DataAnalysis },
  { key: 'signing', title: '项目签约', description: '选择服务商产品并签订合同', icon: Stamp },
  { key: 'presubsidy', title: '预奖补申请', description: '预奖补资金申请与审核', icon: Money },
  { key: 'implementation', title: '项目实施', description: '改造进度与佐证材料', icon: TrendCharts },
  { key: 'acceptance', title: '验收入库', description: '改造完成与项目入库', icon: Finished },
  { key: 'assessment', title: '数字化水平评测', description: '在线自评与评测结果', icon: Histogram },
  { key: 'calls', title: '我要申报', description: '当前可申报的项目通知', icon: Promotion },
]

const PROVIDER: WorkbenchModule[] = [
  { key: 'provider-application', title: '服务商申报', description: '加入牵引单位产业生态联合体', icon: OfficeBuilding },
  { key: 'products', title: '我的产品', description: '产品入库申报与审核进度', icon: Box },
  { key: 'listings', title: '商品上架', description: '产品上架申请与管理', icon: Goods },
  { key: 'orders', title: '订单管理', description: '企业订单与履约', icon: ShoppingCart },
  { key: 'vouchers', title: '服务券兑付', description: '服务券核销与兑付申请', icon: Tickets },
  { key: 'payee', title: '收款账号', description: '收款账户信息维护', icon: Money },
  { key: 'sub-accounts', title: '子账号管理', description: '本单位子账号与权限', icon: User },
]

const LEAD_UNIT: WorkbenchModule[] = [
  { key: 'alliance', title: '生态伙伴确认', description: '确认服务商加入产业生态联合体', icon: UserFilled },
  { key: 'pool', title: '产品池', description: '本单位产品池与入池确认', icon: FolderOpened },
  { key: 'proxy-filling', title: '代企业填报', description: '为试点企业代填阶段表单', icon: Notebook },
]

const AGENCY: WorkbenchModule[] = [
  { key: 'agency-tasks', title: '诊断评估任务', description: '分派的诊断、评估任务与报告上传', icon: DocumentChecked },
  { key: 'pre-review', title: '预审 / 初审', description: '受委托的预审、初审待办', icon: Checked },
]

const GOVERNMENT: WorkbenchModule[] = [
  { key: 'review-todo', title: '审核待办', description: '待本级审核的申请与事项', icon: Checked },
  { key: 'project-center', title: '项目中心', description: '本地区试点项目全流程查询', icon: Files },
  { key: 'calls-admin', title: '申报通知与指南', description: '发布申报通知、配置申报指南', icon: Promotion },
  { key: 'providers-admin', title: '服务商与产品池', description: '服务商、牵引单位与产品池管理', icon: OfficeBuilding },
  { key: 'summary', title: '统计汇总', description: '各阶段数量统计与汇总表导出', icon: DataAnalysis },
  { key: 'notices', title: '通知公告', description: '门户通知公告与政策文件发布', icon: Notebook },
  { key: 'org-admin', title: '部门与用户', description: '部门、用户与角色管理', icon: User },
  { key: 'settings', title: '系统设置', description: '流程、表单与平台参数', icon: Setting },
]

const OPERATOR: WorkbenchModule[] = [
  { key: 'certification', title: '服务商认证', description: '服务商注册认证审核', icon: Stamp },
  { key: 'listing-review', title: '上架初审', description: '商品上架初审', icon: Goods },
  { key: 'settlement', title: '服务券结算', description: '服务券兑付结算', icon: Tickets },
  { key: 'operator-todo', title: '运营待办', description: '平台运营事项', icon: List },
]

/**
 * Modules for the user's organization kind and roles. Placeholders until each capability
 * lands; then `to` is filled in. Unknown kinds get the shared modules only.
 */
export function modulesFor(user: SessionUser): WorkbenchModule[] {
  const kind = user.organization.kind
  const list: WorkbenchModule[] = []
  const add = (ms: WorkbenchModule[]) => {
    for (const m of ms) if (!list.some((x) => x.key === m.key)) list.push(m)
  }
  if (kind === 'enterprise') add(ENTERPRISE)
  if (kind === 'provider') add(PROVIDER)
  if (kind === 'lead_unit') add([...LEAD_UNIT, ...PROVIDER])
  if (kind === 'agency') add(AGENCY)
  if (kind === 'government') add(GOVERNMENT)
  if (kind === 'operator') add(OPERATOR)
  add([REFERENCE_MODULE])
  return list
}
