import { createRouter, createWebHistory, START_LOCATION } from 'vue-router'
import { ElMessage } from 'element-plus'
import AppShell from '@/layouts/AppShell.vue'
import HomeView from '@/views/portal/HomeView.vue'
import { useSessionStore } from '@/stores/session'
import { useOrgStore } from '@/stores/org'
import { setUnauthenticatedHandler } from '@/api/client'
import { loadSite } from '@/api/reference'

/** A workbench page's meta: its title and its workbench module (the sign-in requirement is the parent's). A
 * helper rather than an object per route keeps the route table, which the portal loads first, small. */
const page = (title: string, module: string) => ({ title, module })

export const router = createRouter({
  history: createWebHistory(),
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  routes: [
    {
      path: '/',
      name: 'shell',
      component: AppShell,
      children: [
        { path: '', name: 'home', component: HomeView, meta: { title: '首页' } },
        { path: 'login', name: 'login', component: () => import('@/views/accounts/LoginView.vue'), meta: { title: '用户登录' } },
        { path: 'register', name: 'register', component: () => import('@/views/accounts/RegisterView.vue'), meta: { title: '用户注册' } },
        {
          path: 'forgot-password',
          name: 'forgot-password',
          component: () => import('@/views/accounts/ForgotPasswordView.vue'),
          meta: { title: '找回密码' },
        },
        { path: 'assessment', name: 'assessment', component: () => import('@/views/assessment/AssessmentView.vue'), meta: { title: '评估评测' } },
        {
          path: 'assessment/fill',
          name: 'assessment-fill',
          component: () => import('@/views/assessment/AssessmentFillView.vue'),
          meta: { title: '数字化水平评测', requiresAuth: true },
        },
        {
          path: 'assessment/result/:id',
          name: 'assessment-result',
          component: () => import('@/views/assessment/AssessmentResultView.vue'),
          meta: { title: '评测结果', requiresAuth: true },
        },
        {
          path: 'assessment/history',
          name: 'assessment-history',
          component: () => import('@/views/assessment/AssessmentHistoryView.vue'),
          meta: { title: '评测记录', requiresAuth: true },
        },
        { path: 'products', name: 'products', component: () => import('@/views/products/ProductsView.vue'), meta: { title: '上架产品' } },
        { path: 'providers/:id', name: 'provider', component: () => import('@/views/products/ProviderView.vue'), meta: { title: '服务商主页' } },
        // 门户内容 (issue 20): one list and one detail page for every kind, and the site search.
        ...(
          [
            ['notices', 'notice', '通知公告'],
            ['policies', 'policy', '政策文件'],
            ['publicity', 'publicity', '结果公示'],
            ['guides', 'guide', '服务指南'],
            ['faqs', 'faq', '常见问题'],
          ] as const
        ).flatMap(([path, portalKind, title]) => [
          { path, name: `portal-${portalKind}s`, component: () => import('@/views/portal/content/ItemListView.vue'), meta: { title, portalKind } },
          { path: `${path}/:id`, name: `portal-${portalKind}`, component: () => import('@/views/portal/content/ItemDetailView.vue'), meta: { title, portalKind } },
        ]),
        { path: 'search', name: 'search', component: () => import('@/views/portal/content/SearchView.vue'), meta: { title: '站内搜索' } },
        {
          path: 'workbench',
          name: 'workbench-layout',
          component: () => import('@/views/workbench/WorkbenchLayout.vue'),
          // Every page below needs a signed-in user: the guard reads this record's flag through to.matched.
          meta: { requiresAuth: true },
          children: [
            { path: '', name: 'workbench', component: () => import('@/views/workbench/WorkbenchHome.vue'), meta: { title: '我的工作台' } },
            {
              path: 'reference-data',
              name: 'reference-data',
              component: () => import('@/views/reference/ReferenceDataView.vue'),
              meta: page('参考数据', 'reference-data'),
            },
            {
              path: 'profile',
              name: 'profile',
              component: () => import('@/views/orgs/ProfileView.vue'),
              meta: page('企业信息', 'profile'),
            },
            {
              path: 'materials',
              name: 'materials',
              component: () => import('@/views/orgs/MaterialsView.vue'),
              meta: page('资料库', 'materials'),
            },
            {
              path: 'accounts',
              name: 'accounts',
              component: () => import('@/views/accounts/UsersView.vue'),
              props: { mode: 'company' },
              meta: page('账号管理', 'accounts'),
            },
            {
              path: 'users',
              name: 'users',
              component: () => import('@/views/accounts/UsersView.vue'),
              props: { mode: 'government' },
              meta: page('人员管理', 'users'),
            },
            {
              path: 'departments',
              name: 'departments',
              component: () => import('@/views/orgs/DepartmentsView.vue'),
              meta: page('部门管理', 'departments'),
            },
            {
              path: 'review/cases',
              name: 'review-my-cases',
              component: () => import('@/views/review/MyCasesView.vue'),
              meta: page('我的申请', 'my-cases'),
            },
            {
              path: 'review/todo',
              name: 'review-todo',
              component: () => import('@/views/review/TodoView.vue'),
              meta: page('待办审核', 'review-todo'),
            },
            {
              path: 'review/flows',
              name: 'review-flows',
              component: () => import('@/views/review/FlowsView.vue'),
              meta: page('审核流程管理', 'review-flows'),
            },
            {
              // Owners and every organization that holds or held a task: the server decides who may see it.
              path: 'review/cases/:id',
              name: 'review-case',
              component: () => import('@/views/review/CaseView.vue'),
              meta: { title: '审核详情' },
            },
            {
              path: 'notifications',
              name: 'notifications',
              component: () => import('@/views/review/NotificationsView.vue'),
              meta: { title: '审核通知' },
            },
            {
              path: 'provider-applications',
              name: 'provider-applications',
              component: () => import('@/views/providers/ProviderApplicationsView.vue'),
              meta: page('服务商申报', 'provider-application'),
            },
            {
              path: 'provider-applications/new',
              name: 'provider-application-new',
              component: () => import('@/views/providers/ProviderApplicationForm.vue'),
              meta: page('服务商申报', 'provider-application'),
            },
            {
              path: 'provider-applications/:id/edit',
              name: 'provider-application-edit',
              component: () => import('@/views/providers/ProviderApplicationForm.vue'),
              meta: page('服务商申报', 'provider-application'),
            },
            {
              path: 'products',
              name: 'my-products',
              component: () => import('@/views/products/MyProductsView.vue'),
              meta: page('我的产品', 'products'),
            },
            {
              path: 'products/new',
              name: 'product-new',
              component: () => import('@/views/products/ProductApplicationForm.vue'),
              meta: page('产品申报', 'products'),
            },
            {
              path: 'products/:id/edit',
              name: 'product-edit',
              component: () => import('@/views/products/ProductApplicationForm.vue'),
              meta: page('产品申报', 'products'),
            },
            {
              path: 'projects',
              name: 'projects',
              component: () => import('@/views/lifecycle/ProjectsView.vue'),
              meta: page('项目备案', 'filing'),
            },
            {
              path: 'projects/:id',
              name: 'project-filing',
              component: () => import('@/views/lifecycle/FilingView.vue'),
              meta: page('项目备案', 'filing'),
            },
            {
              path: 'diagnosis',
              name: 'diagnosis',
              component: () => import('@/views/lifecycle/DiagnosisView.vue'),
              meta: page('数字化诊断评估', 'diagnosis'),
            },
            {
              path: 'signings',
              name: 'signings',
              component: () => import('@/views/lifecycle/SigningsView.vue'),
              meta: page('项目签约', 'signing'),
            },
            {
              path: 'signings/:id',
              name: 'signing',
              component: () => import('@/views/lifecycle/SigningView.vue'),
              meta: page('项目签约', 'signing'),
            },
            {
              path: 'implementations',
              name: 'implementations',
              component: () => import('@/views/lifecycle/ImplementationsView.vue'),
              meta: page('项目实施-改造中', 'implementation'),
            },
            {
              path: 'implementations/:id',
              name: 'implementation',
              component: () => import('@/views/lifecycle/ImplementationView.vue'),
              meta: page('项目实施-改造中', 'implementation'),
            },
            {
              path: 'completions',
              name: 'completions',
              component: () => import('@/views/lifecycle/CompletionsView.vue'),
              meta: page('项目实施-改造完成', 'acceptance'),
            },
            {
              path: 'completions/:id',
              name: 'completion',
              component: () => import('@/views/lifecycle/CompletionView.vue'),
              meta: page('项目实施-改造完成', 'acceptance'),
            },
            {
              path: 'dashboard',
              name: 'dashboard',
              component: () => import('@/views/workbench/DashboardView.vue'),
              meta: page('统计汇总', 'summary'),
            },
            {
              path: 'dashboard/list',
              name: 'dashboard-list',
              component: () => import('@/views/workbench/DashboardListView.vue'),
              meta: page('统计明细', 'summary'),
            },
            {
              path: 'enterprises',
              name: 'enterprises',
              component: () => import('@/views/enterprises/EnterprisesView.vue'),
              meta: page('企业管理', 'enterprises'),
            },
            {
              path: 'enterprises/:id',
              name: 'enterprise',
              component: () => import('@/views/enterprises/EnterpriseView.vue'),
              meta: page('企业画像', 'enterprises'),
            },
            {
              path: 'portal',
              name: 'portal-manage',
              component: () => import('@/views/workbench/PortalManageView.vue'),
              meta: page('通知公告', 'notices'),
            },
            {
              path: 'announcements',
              name: 'announcements-manage',
              component: () => import('@/views/workbench/AnnouncementsManageView.vue'),
              meta: page('工作台公告', 'announcements'),
            },
            {
              path: 'acceptances',
              name: 'acceptances',
              component: () => import('@/views/lifecycle/AcceptancesView.vue'),
              meta: page('项目入库', 'acceptance-entry'),
            },
            {
              path: 'acceptances/:id',
              name: 'acceptance',
              component: () => import('@/views/lifecycle/AcceptanceView.vue'),
              meta: page('项目入库', 'acceptance-entry'),
            },
            {
              path: 'lifecycle/acceptance-assignments',
              name: 'acceptance-assignments',
              component: () => import('@/views/lifecycle/AcceptanceAssignmentsView.vue'),
              meta: page('项目入库管理', 'acceptance-assignments'),
            },
            {
              path: 'projects/:id/presubsidies',
              name: 'project-presubsidies',
              component: () => import('@/views/lifecycle/PresubsidiesView.vue'),
              meta: page('预奖补申请', 'presubsidy'),
            },
            {
              path: 'presubsidies/:id',
              name: 'presubsidy',
              component: () => import('@/views/lifecycle/PresubsidyView.vue'),
              meta: page('预奖补申请', 'presubsidy'),
            },
            {
              path: 'lifecycle/national-sync',
              name: 'national-sync',
              component: () => import('@/views/lifecycle/NationalSyncView.vue'),
              meta: page('国家平台同步', 'national-sync'),
            },
            {
              path: 'lifecycle/diagnosis-assignments',
              name: 'diagnosis-assignments',
              component: () => import('@/views/lifecycle/DiagnosisAssignmentsView.vue'),
              meta: page('诊断评估分配', 'diagnosis-assignments'),
            },
            {
              path: 'agency/diagnoses',
              name: 'agency-diagnoses',
              component: () => import('@/views/agency/DiagnosisTasksView.vue'),
              meta: page('诊断评估任务', 'agency-tasks'),
            },
            {
              path: 'agency/diagnoses/:id',
              name: 'agency-diagnosis-report',
              component: () => import('@/views/agency/DiagnosisReportView.vue'),
              meta: page('事前诊断报告', 'agency-tasks'),
            },
            {
              path: 'lead-unit/members',
              name: 'lead-unit-members',
              component: () => import('@/views/providers/MembersView.vue'),
              meta: page('生态伙伴', 'members'),
            },
            {
              path: 'lead-unit/pool',
              name: 'lead-unit-pool',
              component: () => import('@/views/providers/PoolView.vue'),
              meta: page('产品池', 'pool'),
            },
            {
              path: 'audit',
              name: 'audit',
              component: () => import('@/views/audit/AuditView.vue'),
              meta: page('审计日志', 'audit'),
            },
          ],
        },
        { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/views/errors/NotFoundView.vue'), meta: { title: '页面不存在' } },
      ],
    },
  ],
})

// 申报 (views/calls/routes.ts): its routes are added the first time one of its pages is opened, then the
// navigation starts again and finds them.
const CALLS_PAGE = /^\/(workbench\/)?calls(\/|$)/
let callsRoutes: Promise<void> | null = null
function ensureCallsRoutes(): Promise<void> {
  callsRoutes ??= import('@/views/calls/routes').then(({ portalRoutes, workbenchRoutes }) => {
    for (const r of portalRoutes) router.addRoute('shell', r)
    for (const r of workbenchRoutes) router.addRoute('workbench-layout', r)
  })
  callsRoutes.catch(() => (callsRoutes = null))
  return callsRoutes
}
router.beforeEach(async (to) => {
  if (!CALLS_PAGE.test(to.path) || router.hasRoute('calls')) return true
  try {
    await ensureCallsRoutes()
  } catch {
    ElMessage.error('页面加载失败，请检查网络后刷新重试')
    return false
  }
  return to.fullPath
})

router.beforeEach(async (to, from) => {
  if (!to.matched.some((r) => r.meta.requiresAuth)) return true
  const session = useSessionStore()
  let user
  try {
    user = await session.ensure()
  } catch {
    // Server unreachable or failing: the message has been shown. Stay on the current page,
    // or, when the page was opened directly, show the login page (it says what is wrong on retry).
    return from === START_LOCATION ? { path: '/login', query: { redirect: to.fullPath } } : false
  }
  if (!user) return { path: '/login', query: { redirect: to.fullPath } }
  const key = to.meta.module
  if (key) {
    // Module pages: only when the module is open to this user (roles, kind, certification).
    // The server checks every request anyway; this keeps people off pages that would only fail.
    // The module table (and its icons) loads with the first module page, not with the portal (spec 90: the
    // portal's first load stays under 300 KB of JavaScript).
    const [org, { modulesFor }] = await Promise.all([useOrgStore().load(user.id), import('@/views/workbench/modules')])
    const m = modulesFor(user, org?.organization ?? null).find((x) => x.key === key)
    if (!m || !m.to) {
      ElMessage.warning('您没有访问该功能的权限')
      return from === START_LOCATION ? { path: '/workbench' } : false
    }
    if (m.lockedReason) {
      ElMessage.warning(m.lockedReason)
      return from === START_LOCATION ? { path: '/workbench' } : false
    }
  }
  return true
})

router.afterEach(async (to) => {
  const site = await loadSite()
  document.title = to.meta.title ? `${to.meta.title} - ${site.name}` : site.name
})

// A session that expires while someone works: say so once and send them to log in again,
// coming back to the same page afterwards.
let redirecting = false
setUnauthenticatedHandler(() => {
  const session = useSessionStore()
  session.clear()
  useOrgStore().clear()
  const current = router.currentRoute.value
  if (redirecting || current.name === 'login') return
  redirecting = true
  ElMessage.warning('登录已失效，请重新登录')
  void router.push({ path: '/login', query: { redirect: current.fullPath } }).finally(() => {
    redirecting = false
  })
})
