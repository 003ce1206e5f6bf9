/**
 * 统计汇总 (issue 20): the official's region's figures, the lists behind them (same filters as the figure) and
 * each table's Excel export.
 */
import { api, call, type CallOptions } from './client'
import type {
  Dashboard,
  DashboardAssessmentPage,
  DashboardAssessmentQuery,
  DashboardCasePage,
  DashboardCaseQuery,
  DashboardOverduePage,
  DashboardOverdueQuery,
} from './types'

export function getDashboard(options?: CallOptions): Promise<Dashboard> {
  return call(api.GET('/api/dashboard'), options)
}

export function listDashboardCases(query: DashboardCaseQuery, options?: CallOptions): Promise<DashboardCasePage> {
  return call(api.GET('/api/dashboard/cases', { params: { query } }), options)
}

export function listDashboardOverdue(query: DashboardOverdueQuery, options?: CallOptions): Promise<DashboardOverduePage> {
  return call(api.GET('/api/dashboard/overdue', { params: { query } }), options)
}

export function listDashboardAssessments(query: DashboardAssessmentQuery, options?: CallOptions): Promise<DashboardAssessmentPage> {
  return call(api.GET('/api/dashboard/assessments', { params: { query } }), options)
}

/** The tables that export: 各类事项, 各环节, 按月, 资金, 超期待办, 评估等级. */
export type DashboardTable = 'kinds' | 'stages' | 'months' | 'funds' | 'overdue' | 'levels'

export function dashboardExportUrl(table: DashboardTable): string {
  return `/api/dashboard/export.xlsx?table=${table}`
}
