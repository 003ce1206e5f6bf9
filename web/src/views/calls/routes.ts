/**
 * The 申报 pages' routes, registered by the router the first time a page under /calls or /workbench/calls is
 * opened (router/index.ts `ensureCallsRoutes`): their route table and preload lists stay out of the portal's
 * first load (spec 90: under 300 KB of JavaScript). Pages elsewhere link to them by path.
 */
import type { RouteRecordRaw } from 'vue-router'

/** Under the portal shell: the notices. */
export const portalRoutes: RouteRecordRaw[] = [
  { path: 'calls', name: 'calls', component: () => import('./NoticeListView.vue'), meta: { title: '申报通知' } },
  { path: 'calls/results', name: 'results', component: () => import('./ResultListView.vue'), meta: { title: '结果公示' } },
  { path: 'calls/results/:id', name: 'result-notice', component: () => import('./ResultDetailView.vue'), meta: { title: '结果公示' } },
  { path: 'calls/:id', name: 'call-notice', component: () => import('./NoticeDetailView.vue'), meta: { title: '申报通知' } },
]

/** Under the workbench: the officials' and the enterprises' pages, each in its workbench module. */
export const workbenchRoutes: RouteRecordRaw[] = [
  {
    path: 'calls',
    name: 'calls-open',
    component: () => import('./OpenCallsView.vue'),
    meta: { title: '我要申报', requiresAuth: true, module: 'calls' },
  },
  {
    path: 'calls/mine',
    name: 'calls-mine',
    component: () => import('./MyProjectsView.vue'),
    meta: { title: '我的项目', requiresAuth: true, module: 'calls-mine' },
  },
  {
    path: 'calls/documents',
    name: 'calls-documents',
    component: () => import('./MyDocumentsView.vue'),
    meta: { title: '我的申报书', requiresAuth: true, module: 'calls-documents' },
  },
  {
    path: 'calls/applications/:id',
    name: 'call-application',
    component: () => import('./ApplicationView.vue'),
    meta: { title: '项目申报', requiresAuth: true, module: 'calls' },
  },
  {
    path: 'calls/manage',
    name: 'calls-manage',
    component: () => import('./CallsManageView.vue'),
    meta: { title: '申报管理', requiresAuth: true, module: 'calls-admin' },
  },
  {
    path: 'calls/projects',
    name: 'calls-projects',
    component: () => import('./ProjectCenterView.vue'),
    meta: { title: '项目中心', requiresAuth: true, module: 'project-center' },
  },
  {
    path: 'calls/reviewing',
    name: 'calls-reviewing',
    component: () => import('./ReviewingView.vue'),
    meta: { title: '申报审核', requiresAuth: true, module: 'calls-reviewing' },
  },
  {
    path: 'calls/results',
    name: 'calls-results',
    component: () => import('./ResultsView.vue'),
    meta: { title: '推荐汇总与公示', requiresAuth: true, module: 'calls-results' },
  },
  {
    path: 'calls/sections',
    name: 'calls-sections',
    component: () => import('./SectionsView.vue'),
    meta: { title: '设置责任科室', requiresAuth: true, module: 'calls-sections' },
  },
  {
    path: 'calls/:id/edit',
    name: 'call-edit',
    component: () => import('./CallEditView.vue'),
    meta: { title: '编辑申报通知', requiresAuth: true, module: 'calls-admin' },
  },
]
