// Issue 14, layout: lists at 1366×768 with long real-world names cut nothing; pages work on a phone
// (390×844); the portal's first load stays under 300 KB of JavaScript.
//
// The data is made through the API (as a provider and the reviewers would through the UI, which
// jiangmen.test.mjs already drives): a provider with a 40-character company name, certified by the operator,
// files a first application with one product with a 30-character name to the 智能制造 lead unit; the lead unit
// approves the application (with an opinion) and the product then waits in its 待办审核; later the product
// passes 牵引机构确认 → 预审 → 市工信复审 and enters the lead unit's 产品池 with its code.
//
// The steps share one server and run in order.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import {
  ARTIFACTS_DIR,
  DEMO_ENTERPRISE,
  apiClient,
  loginViaUi,
  randomPhone,
  samplePdf,
  smsCode,
  useServer,
  waitForPath,
} from '../harness.mjs'

const browserTest = useServer()

const DEMO_PASSWORD = 'Shuzhuan@2026'
const OPERATOR = { username: 'operator_admin', password: DEMO_PASSWORD }
const LEAD_UNIT = { username: 'leadunit_demo', password: DEMO_PASSWORD, org: '江门市智能制造数字化牵引单位（演示）' }
const PRE_REVIEW = { username: 'thirdparty_demo', password: DEMO_PASSWORD }
const CITY = { username: 'jiangmen_admin', password: DEMO_PASSWORD }

/** Long names as real ones are: 40 and 30 characters. */
const COMPANY = '江门市蓬江区智能制造与工业互联网数字化转型咨询规划及软件系统集成服务股份有限公司'
const PRODUCT = '面向五金卫浴行业的智能制造执行系统与设备物联数据采集分析平台'
const OPINION = '材料齐全，同意加入本单位产业生态联合体；请补充近三年本地服务案例的合同扫描件，并按季度更新产品信息。'
assert.equal([...COMPANY].length, 40)
assert.equal([...PRODUCT].length, 30)

const provider = { phone: '', password: 'Fuwu#2026layout' }

let passed = 0
function begin(step) {
  assert.equal(passed, step - 1, `step ${step} needs the steps before it to have passed`)
}
function end(step) {
  passed = step
}

async function ok(res, status, what) {
  assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`)
  return res.body
}

async function loggedIn(url, { username, password }) {
  const api = apiClient(url)
  await api.login(username, password)
  return api
}

/** The reviewer's open task for `title` (of `kind`), approved with `opinion`. */
async function approveTask(api, kind, title, opinion = '同意') {
  const page = await ok(await api.get(`/api/review/tasks?state=open&kind=${kind}&page_size=100`), 200, `tasks ${kind}`)
  const task = page.items.find((t) => t.title.includes(title) || t.applicant_name === title)
  assert.ok(task, `an open ${kind} task for ${title} in ${JSON.stringify(page.items.map((t) => t.title))}`)
  await ok(await api.post(`/api/review/cases/${task.case_id}/actions`, { action: 'approve', version: task.version, opinion }), 200, `approve ${kind}`)
}

/** artifacts/layout-<name>.png: the whole page, or only what the window shows (`fullPage: false`). */
async function screenshot(page, name, { fullPage = true } = {}) {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true })
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `layout-${name}.png`), fullPage })
}

/**
 * Every body cell of the columns `labels` in the table `[data-test=table]`: its text, whether its content is
 * cut (wider than the cell: an ellipsis or hidden overflow), whether it has Element Plus's overflow tooltip,
 * and how many lines its text takes.
 */
async function cells(page, table, labels) {
  return page.locator(`[data-test=${table}]`).evaluate((el, labels) => {
    const heads = [...el.querySelectorAll('.el-table__header-wrapper th')].map((th) => th.textContent.trim())
    const out = []
    for (const label of labels) {
      const index = heads.indexOf(label)
      if (index < 0) throw new Error(`no column ${label} in ${heads.join(' | ')}`)
      for (const row of el.querySelectorAll('.el-table__body-wrapper tbody tr')) {
        const cell = row.children[index]?.querySelector('.cell')
        if (!cell) continue
        const lineHeight = parseFloat(getComputedStyle(cell).lineHeight) || 23
        out.push({
          label,
          text: cell.textContent.trim(),
          cut: cell.scrollWidth > cell.clientWidth + 1,
          tooltip: cell.classList.contains('el-tooltip'),
          lines: Math.round(cell.getBoundingClientRect().height / lineHeight),
        })
      }
    }
    return out
  }, labels)
}

/** No cell of the key columns is cut without a tooltip; the long names are shown whole. */
function assertNothingCut(found, { whole = [] } = {}) {
  assert.ok(found.length > 0, 'the table has rows')
  for (const c of found) assert.ok(!c.cut || c.tooltip, `${c.label} 「${c.text}」 is cut without a tooltip`)
  for (const text of whole) {
    const c = found.find((x) => x.text.includes(text))
    assert.ok(c, `「${text}」 is shown whole in one of ${JSON.stringify(found.map((x) => x.text))}`)
    assert.ok(!c.cut, `「${text}」 fits its cell (it wraps)`)
  }
}

/** The page itself never scrolls sideways (tables may, inside themselves). */
async function assertNoPageScroll(page, width) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(scrollWidth <= width, `the page is ${scrollWidth}px wide in a ${width}px window`)
}

/** `locator` lies within the window's width (on a phone: nothing off-screen to the side). */
async function assertWithinWidth(locator, width, what) {
  const box = await locator.boundingBox()
  assert.ok(box, `${what} is on the page`)
  assert.ok(box.x >= 0 && box.x + box.width <= width + 0.5, `${what} spans ${box.x}–${box.x + box.width}px in ${width}px`)
}

browserTest('layout-portal-first-load-weight', async ({ page, url }) => {
  // A cold load of the portal: every script the browser fetches until the page has settled.
  const scripts = []
  page.on('response', async (r) => {
    if (r.request().resourceType() !== 'script') return
    const body = await r.body().catch(() => null)
    if (body) scripts.push({ url: new URL(r.url()).pathname, bytes: body.length })
  })
  await page.goto(url, { waitUntil: 'networkidle' })
  await page.getByRole('navigation', { name: '主导航' }).waitFor()
  const total = scripts.reduce((n, s) => n + s.bytes, 0)
  console.log(`portal first load: ${scripts.length} scripts, ${(total / 1024).toFixed(1)} KB (uncompressed)`)
  for (const s of scripts) console.log(`  ${s.url} ${(s.bytes / 1024).toFixed(1)} KB`)
  assert.ok(total < 300 * 1024, `the portal loads ${(total / 1024).toFixed(1)} KB of JavaScript (bar: 300 KB)`)
  assert.ok(!scripts.some((s) => /echarts|AssessmentResult/i.test(s.url)), 'no chart code on the portal')
})

browserTest('layout-data-provider-applies-with-long-names', async ({ url }) => {
  begin(1)
  // A provider registers with a registry company's code under its long name, and the operator certifies it.
  const api = apiClient(url)
  const found = await ok(await api.get(`/api/companies/search?q=${encodeURIComponent('惠州')}`), 200, 'company search')
  const company = found.items[found.items.length - 1]
  assert.ok(company, 'the registry has a company matching 惠州')
  const scopes = await ok(await api.get('/api/providers/service-scopes'), 200, 'service scopes')
  provider.phone = randomPhone()
  await ok(await api.post('/api/sms/send', { phone: provider.phone, purpose: 'register', ...(await api.captcha()) }), 200, 'SMS')
  await ok(
    await api.post('/api/register', {
      kind: 'provider',
      phone: provider.phone,
      sms_code: await smsCode(url, provider.phone),
      password: provider.password,
      confirm_password: provider.password,
      company_name: COMPANY,
      uscc: company.uscc,
      region_code: company.region_code,
      address: company.address || '江门市蓬江区建设路1号',
      industry_code: company.industry_code || 'I',
      contact_name: '陈经理',
      service_scope: [scopes.items[0].code],
    }),
    201,
    'register',
  )
  await approveTask(await loggedIn(url, OPERATOR), 'provider_certification', COMPANY)

  // The first application with one product, every file field holding the same small PDF.
  const me = await loggedIn(url, { username: provider.phone, password: provider.password })
  const pdf = await me.upload('credential', '证明材料.pdf', 'application/pdf', samplePdf())
  const files = [pdf.id]
  const leadUnits = await ok(await me.get('/api/lead-units'), 200, 'lead units')
  const leadUnit = leadUnits.items.find((u) => u.name === LEAD_UNIT.org)
  assert.ok(leadUnit, `${LEAD_UNIT.org} is a lead unit`)
  const product = {
    name: PRODUCT,
    nature: '自有产品',
    ip_proof_file_ids: [],
    categories: ['MES'],
    category_other: '',
    description: '覆盖计划排程、生产执行、设备联网与质量追溯的一体化平台。',
    deploy_architecture: 'B/S',
    deploy_mode: '云端部署',
    deploy_period: '3个月',
    purchase_mode: '按年订阅',
    price_min: '1.5',
    price_max: '10',
    discount_rate: 10,
    industry_code: 'C',
    sub_industries: '金属制品业',
    scenarios: '生产计划排程、设备数据采集',
    cases: ['江门市蓬江区甲五金制品有限公司', '江门市新会区乙卫浴有限公司', '江门市江海区丙机械有限公司'].map((enterprise) => ({
      enterprise,
      contract_file_ids: files,
    })),
    awards: '未获奖',
    award_note: '',
    other_note: '',
    evidence_file_ids: [],
  }
  const draft = await ok(
    await me.post('/api/review/cases', {
      kind: 'alliance_join',
      form: {
        application: 'first',
        logo_file_ids: [],
        license_file_ids: files,
        nature: '民营',
        credit_report_file_ids: [],
        lead_unit_id: leadUnit.id,
        cooperation_proof_file_ids: files,
        product_count: 1,
        introduction: '本公司为江门市制造企业提供数字化转型咨询与系统实施服务。',
        guarantee: '提供7×24小时运维保障。',
        team_list_file_ids: files,
        products: [product],
      },
    }),
    201,
    'create the application',
  )
  await ok(await me.post(`/api/review/cases/${draft.id}/actions`, { action: 'submit', version: draft.version }), 200, 'submit')

  // The lead unit approves the application with an opinion; the product now waits for it.
  await approveTask(await loggedIn(url, LEAD_UNIT), 'alliance_join', COMPANY, OPINION)
  end(1)
})

browserTest('layout-todo-list-at-1366', async ({ page, url }) => {
  begin(2)
  await loginViaUi(page, url, LEAD_UNIT)
  // The workbench uses the width: a side menu, no organization card beside inner pages.
  await page.locator('[data-test=workbench-menu]').getByText('待办审核', { exact: true }).click()
  await waitForPath(page, '/workbench/review/todo')
  const table = page.locator('[data-test=todo-table]')
  await table.getByText(PRODUCT, { exact: true }).waitFor()
  assert.equal(await page.locator('[data-test=org-card]').count(), 0, 'the organization card is on the workbench home only')
  const content = await page.locator('.workbench__main').boundingBox()
  assert.ok(content.width > 1100, `the content is ${content.width}px wide at 1366 (was 920)`)
  await screenshot(page, 'todo-1366')

  assertNothingCut(await cells(page, 'todo-table', ['名称', '类型', '申请单位', '审核环节', '送达时间']), { whole: [PRODUCT, COMPANY] })
  // The operation column stays in reach at the right.
  assert.ok((await table.locator('th.el-table-fixed-column--right').count()) > 0, 'the 操作 column is fixed on the right')
  await assertNoPageScroll(page, 1366)

  // The case page: 返回 stays on one line beside the long title.
  await table.locator('[data-test=todo-review]').first().click()
  await page.waitForURL(/\/workbench\/review\/cases\//)
  const back = page.locator('.page-header__back').first()
  await back.waitFor()
  const box = await back.boundingBox()
  assert.ok(box.height < 30, `返回 is ${box.height}px high: it wraps`)
  // The menu keeps 待办审核 lit on a case opened from it.
  assert.equal((await page.locator('[data-test=workbench-menu] .el-menu-item.is-active').innerText()).trim(), '待办审核')
  // 办理记录: who acted and for which organization, in full (the long-named provider applied).
  await page.locator('[data-test=trail-table]').getByText(COMPANY).first().waitFor()
  assertNothingCut(await cells(page, 'trail-table', ['环节', '办理人', '办理单位']), { whole: [COMPANY] })
  await screenshot(page, 'case-1366')

  // The side menu folds to icons and stays folded after a reload.
  await page.locator('[data-test=menu-toggle]').click()
  await page.reload()
  const menu = page.locator('[data-test=workbench-menu]')
  await menu.waitFor()
  const folded = await menu.boundingBox()
  assert.ok(folded.width <= 65, `the folded menu is ${folded.width}px wide`)
  await page.locator('[data-test=menu-toggle]').click()
  end(2)
})

browserTest('layout-provider-list-at-1366', async ({ page, url }) => {
  begin(3)
  await loginViaUi(page, url, { username: provider.phone, password: provider.password })
  await page.goto(`${url}/workbench/provider-applications`)
  const table = page.locator('[data-test=app-table]')
  await table.getByText(COMPANY, { exact: true }).waitFor()
  await screenshot(page, 'provider-list-1366')

  const found = await cells(page, 'app-table', ['单位名称', '牵引单位', '提交时间', '审核状态', '审核意见', '审核机构'])
  assertNothingCut(found, { whole: [COMPANY, LEAD_UNIT.org] })
  // The opinion shows its beginning beyond 「请补充…」, with the whole text in a tooltip.
  const opinion = found.find((c) => c.label === '审核意见')
  assert.ok(opinion.text.startsWith('材料齐全'), `the opinion column shows ${opinion.text}`)
  // 操作: the links of a row on one line.
  const ops = await table.locator('.case-ops').first().boundingBox()
  assert.ok(ops.height < 30, `the 操作 links take ${ops.height}px: they wrap`)
  await assertNoPageScroll(page, 1366)
  end(3)
})

browserTest('layout-pool-at-1366', async ({ page, url }) => {
  begin(4)
  // The product passes its three stages and enters the pool with its code.
  await approveTask(await loggedIn(url, LEAD_UNIT), 'product_entry', PRODUCT)
  await approveTask(await loggedIn(url, PRE_REVIEW), 'product_entry', PRODUCT)
  await approveTask(await loggedIn(url, CITY), 'product_entry', PRODUCT)

  await loginViaUi(page, url, LEAD_UNIT)
  await page.goto(`${url}/workbench/lead-unit/pool`)
  const table = page.locator('[data-test=pool-table]')
  await table.getByText(PRODUCT, { exact: true }).waitFor()
  await screenshot(page, 'pool-1366')

  const found = await cells(page, 'pool-table', ['产品编码', '产品名称', '服务商', '产品/服务类别', '报价', '通过时间'])
  assertNothingCut(found, { whole: [PRODUCT, COMPANY] })
  for (const code of found.filter((c) => c.label === '产品编码')) {
    assert.match(code.text, /^P\d{15}$/)
    assert.equal(code.lines, 1, `the code ${code.text} is on one line`)
  }
  await assertNoPageScroll(page, 1366)
  end(4)
})

browserTest('layout-phone-portal-login-register-assessment', async ({ page, url }) => {
  const W = 390
  await page.setViewportSize({ width: W, height: 844 })

  await page.goto(url)
  await page.getByRole('navigation', { name: '主导航' }).waitFor()
  await assertNoPageScroll(page, W)
  await screenshot(page, 'phone-home')

  // 注册: the form fits and 注册 can be reached.
  await page.goto(`${url}/register`)
  await page.locator('[data-test=register-submit]').waitFor()
  await assertNoPageScroll(page, W)
  await assertWithinWidth(page.locator('.register'), W, 'the registration card')
  await page.locator('[data-test=register-submit]').scrollIntoViewIfNeeded()
  await assertWithinWidth(page.locator('[data-test=register-submit]'), W, '注册')
  await screenshot(page, 'phone-register')

  // 登录: the card on screen; logging in works with the phone's layout.
  await page.goto(`${url}/login?redirect=/assessment`)
  const card = page.locator('.login-card')
  await card.waitFor()
  await assertNoPageScroll(page, W)
  await assertWithinWidth(card, W, 'the login card')
  await assertWithinWidth(page.locator('button[type=submit]'), W, '登录')
  await screenshot(page, 'phone-login')
  await loginViaUi(page, url, DEMO_ENTERPRISE, { expectPath: '/assessment' })

  // 评估评测: the introduction, then the questionnaire with its page buttons on screen.
  await page.locator('[data-test=assessment-start]').waitFor()
  await assertNoPageScroll(page, W)
  await page.locator('[data-test=assessment-start]').click()
  await waitForPath(page, '/assessment/fill')
  await page.getByText('作答将自动保存').waitFor()
  await assertNoPageScroll(page, W)
  const next = page.locator('[data-test=next-page]')
  await next.scrollIntoViewIfNeeded()
  await assertWithinWidth(next, W, '下一页')
  await screenshot(page, 'phone-assessment', { fullPage: false })

  // The enterprise's own pages: notifications and 我的申请 (tables scroll inside themselves). The account
  // menu replaces the header's 退出登录 link.
  for (const p of ['/workbench', '/workbench/notifications', '/workbench/review/cases']) {
    await page.goto(`${url}${p}`)
    await page.locator('[data-test=workbench-menu]').waitFor()
    await page.waitForLoadState('networkidle')
    await assertNoPageScroll(page, W)
    await assertWithinWidth(page.locator('[data-test=header-user]'), W, 'the account menu')
  }
  assert.equal(await page.locator('.header-account__logout').isVisible(), false)
  await screenshot(page, 'phone-my-cases', { fullPage: false })
})
