// (i) The Jiangmen story of issue 6, end to end through the UI (docs/providers-products.md):
//     a provider registers in 江门市蓬江区 and the operator certifies it; it files a 服务商首次申报 with two
//     products (all three tabs, real uploads) to 江门市智能制造数字化牵引单位（演示）; the lead unit returns it
//     once, the provider sees the return, fixes its introduction and resubmits, the lead unit approves; each
//     product passes 牵引机构确认 → 预审 → 市工信复审 (batch approve on 待办审核); a 服务商再次申报 (prefilled) to
//     江门市五金卫浴数字化牵引单位（演示） is approved and both pools hold both products; a third product from
//     我的产品 (产品独立申报) passes the three stages on its case page and enters both pools and 上架产品.
//
// The steps share one server (one file = one server) and run in order; each logs in afresh.
import assert from 'node:assert/strict'
import path from 'node:path'
import { ARTIFACTS_DIR, confirmSubmit, expectStatus, loginViaUi, samplePdf, startProviderRegistration, useServer, waitForPath } from '../harness.mjs'

const browserTest = useServer()

const DEMO_PASSWORD = 'Shuzhuan@2026'
const OPERATOR = { username: 'operator_admin', password: DEMO_PASSWORD }
const LEAD_UNIT = { username: 'leadunit_demo', password: DEMO_PASSWORD, org: '江门市智能制造数字化牵引单位（演示）' }
const LEAD_UNIT_2 = { username: 'leadunit2_demo', password: DEMO_PASSWORD, org: '江门市五金卫浴数字化牵引单位（演示）' }
const PRE_REVIEW = { username: 'thirdparty_demo', password: DEMO_PASSWORD, org: '江门市数字化转型预审机构（演示）' }
const CITY = { username: 'jiangmen_admin', password: DEMO_PASSWORD, org: '江门市工业和信息化局' }
const STAGES = [
  { name: '牵引机构确认', org: LEAD_UNIT.org },
  { name: '预审', org: PRE_REVIEW.org },
  { name: '市工信复审', org: CITY.org },
]

const TAG = String(Date.now() % 100000)
const INTRODUCTION = '本公司为江门市制造企业提供数字化转型咨询与系统实施服务。'
const FIXED_INTRODUCTION = '本公司深耕江门市五金卫浴与智能制造行业，提供MES、WMS等数字化系统的咨询、实施与运维服务，已服务本地制造企业30余家。'
const RETURN_OPINION = '请补充服务商简介：说明主营业务、服务行业与本地服务案例数量。'

/** The products of the story: two in the first application, the third from 我的产品. */
const PRODUCTS = [
  { name: `智造排产MES系统${TAG}`, categories: ['计划排程', 'MES'], enterprises: ['江门市蓬江区甲五金制品有限公司', '江门市新会区乙卫浴有限公司', '江门市江海区丙机械有限公司'] },
  { name: `仓储物流WMS平台${TAG}`, categories: ['仓储物流', 'WMS'], enterprises: ['江门市蓬江区丁电器有限公司', '江门市鹤山市戊纺织有限公司', '江门市台山市己食品有限公司'] },
  { name: `财务协同ERP云${TAG}`, categories: ['财务管理', 'ERP'], enterprises: ['江门市开平市庚水暖有限公司', '江门市恩平市辛电声有限公司', '江门市蓬江区壬摩配有限公司'] },
]

/** Filled by the first steps, used by the others. */
const provider = { phone: '', password: '', company: '' }

/** The steps run in order and each needs the ones before it: stop early instead of timing out. */
let passed = 0
function begin(step) {
  assert.equal(passed, step - 1, `step ${step} needs the steps before it to have passed`)
}
function end(step) {
  passed = step
}

const PDF = samplePdf()

const isAction = (r) => /\/api\/review\/cases\/[^/]+\/actions$/.test(new URL(r.url()).pathname) && r.request().method() === 'POST'
const isUpload = (r) => new URL(r.url()).pathname === '/api/files' && r.request().method() === 'POST'
const isBatch = (r) => new URL(r.url()).pathname === '/api/review/tasks/batch-approve' && r.request().method() === 'POST'

async function logout(page) {
  await page.getByRole('navigation', { name: '主导航' }).getByText('退出登录').click()
  await waitForPath(page, '/login')
}

async function loginProvider(page, url) {
  await loginViaUi(page, url, { username: provider.phone, password: provider.password })
}

/** Upload a small PDF into the FileUpload inside `scope` and wait until it is listed. */
async function upload(page, scope, name) {
  const done = page.waitForResponse(isUpload)
  await scope.locator('input[type=file]').setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF })
  await expectStatus(await done, 201, `uploading ${name}`)
  await scope.locator('.file-upload__item', { hasText: name }).waitFor()
}

/** Click the radio labelled `label` inside the radio group `selector`. */
async function radio(page, selector, label) {
  await page.locator(selector).locator('.el-radio', { hasText: label }).click()
}

/** Type a number into an el-input-number and commit it (its model changes on the native change event). */
async function number(page, selector, value) {
  const input = page.locator(`${selector} input`)
  await input.fill(String(value))
  await input.blur()
}

/** Choose an option of the (only) open el-select dropdown. */
async function pickOption(page, text) {
  await page.locator('.el-select-dropdown__item').filter({ visible: true }).filter({ hasText: text }).first().click()
}

/**
 * Choose an industry in the IndustrySelect (a cascader) inside `selector`: open it, click the row (which
 * chooses it at any level), check that the input shows it, and close the menu (a click landing while the
 * menu is still opening is tried again).
 */
async function pickIndustry(page, selector, option, shown) {
  const cascader = page.locator(selector)
  for (let attempt = 1; ; attempt++) {
    await cascader.click()
    const popper = page.locator('.el-popper.industry-select__popper').filter({ visible: true })
    await popper.waitFor()
    await popper.locator('.el-cascader-node', { hasText: option }).click()
    try {
      const input = await cascader.locator('input').elementHandle()
      await page.waitForFunction(([el, text]) => el.value === text, [input, shown], { timeout: 3_000 })
      await page.keyboard.press('Escape')
      await popper.waitFor({ state: 'hidden' })
      return
    } catch (e) {
      if (attempt >= 3) throw e
      await page.keyboard.press('Escape')
      await popper.waitFor({ state: 'hidden' })
    }
  }
}

/**
 * Fill the product form (ProductFormFields): the product card `index` of a first application, or the
 * product application page when `index` is undefined.
 */
async function fillProduct(page, product, index) {
  const sfx = index === undefined ? '' : `-${index}`
  const t = (name) => `[data-test=${name}${sfx}]`
  await page.locator(t('product-name')).fill(product.name)
  await radio(page, t('product-nature'), '自有产品')
  const categories = page.locator(t('product-categories'))
  for (const c of product.categories) await categories.getByText(c, { exact: true }).click()
  await page.locator(t('product-description')).fill(`${product.name}：面向中小制造企业的轻量化数字化产品，开箱即用，按需订阅。`)
  await radio(page, t('product-deploy-architecture'), 'B/S')
  await radio(page, t('product-deploy-mode'), '云端部署')
  await page.locator(t('product-deploy-period')).fill('30个工作日')
  await radio(page, t('product-purchase-mode'), '按年订阅')
  await number(page, t('product-price-min'), 2.5)
  await number(page, t('product-price-max'), 18)
  await number(page, t('product-discount'), 15)
  await pickIndustry(page, t('product-industry'), /^C 制造业$/, 'C 制造业')
  await page.locator(t('product-sub-industries')).fill('五金制品、卫浴洁具、家电')
  await page.locator(t('product-scenarios')).fill('离散制造车间的生产计划排程、仓储收发与财务业务协同')
  // 服务企业及数量: the form starts with three cases; each gets an enterprise and a contract.
  for (const [k, enterprise] of product.enterprises.entries()) {
    await page.locator(`[data-test=product-case-enterprise${sfx}-${k}]`).fill(enterprise)
    await upload(page, page.locator(`[data-test=product-case-contract${sfx}-${k}]`), `合同-${product.name}-${k + 1}.pdf`)
  }
  await radio(page, t('product-awards'), '未获奖')
}

/** Open the 待办审核 row whose text has `text` (on the current to-do page) and land on its case. */
async function openTask(page, text) {
  const row = page.locator('[data-test=todo-table] .el-table__body tr', { hasText: text })
  await row.locator('[data-test=todo-review]').click()
  await page.waitForURL((u) => u.pathname.startsWith('/workbench/review/cases/'))
  await page.locator('[data-test=case-fields]').waitFor()
}

/** Take a review action on the open case page through its opinion dialog; returns the case JSON. */
async function act(page, action, opinion) {
  await page.locator(`[data-test=action-${action}]`).click()
  const dialog = page.locator('[data-test=opinion-dialog]')
  await dialog.waitFor()
  if (opinion !== undefined) await dialog.locator('textarea[data-test=opinion-input]').fill(opinion)
  const done = page.waitForResponse(isAction)
  await dialog.locator('[data-test=opinion-confirm]').click()
  const res = await done
  await expectStatus(res, 200, `${action} of the case`)
  await dialog.waitFor({ state: 'hidden' })
  return res.json()
}

/** 待办审核 filtered to product applications (a lead unit's 产品入池确认, or the to-do list with its kind card). */
async function openProductTodo(page) {
  await page.goto(new URL('/workbench/review/todo?kind=product_entry', page.url()).href)
  await page.locator('[data-test=todo-table]').waitFor()
}

/** Batch-approve the products named `names` at `stage` on the to-do page. */
async function batchApprove(page, names, stage, opinion) {
  const rows = names.map((n) => page.locator('[data-test=todo-table] .el-table__body tr', { hasText: n }))
  for (const row of rows) {
    await row.getByText(stage, { exact: true }).waitFor()
    await row.locator('.el-checkbox').click()
  }
  await page.locator('[data-test=batch-approve]').getByText(`批量通过（${names.length}）`).waitFor()
  await page.locator('[data-test=batch-approve]').click()
  const dialog = page.locator('[data-test=opinion-dialog]')
  await dialog.waitFor()
  await dialog.getByText(`已选 ${names.length} 项申请`).waitFor()
  await dialog.locator('textarea[data-test=opinion-input]').fill(opinion)
  const done = page.waitForResponse(isBatch)
  await dialog.locator('[data-test=opinion-confirm]').click()
  const res = await done
  await expectStatus(res, 200, `batch approve at ${stage}`)
  const { results } = await res.json()
  assert.equal(results.length, names.length)
  assert.ok(results.every((r) => r.ok), `every item approved: ${JSON.stringify(results)}`)
  const summary = page.locator('[data-test=batch-results]')
  await summary.getByText(`共 ${names.length} 项`).waitFor()
  await summary.getByRole('button', { name: '知道了' }).click()
  await summary.waitFor({ state: 'hidden' })
  // Approved items leave the open list.
  for (const row of rows) await row.waitFor({ state: 'detached' })
}

/** The 产品池 page of the signed-in lead unit shows exactly `names` (with codes and the provider). */
async function expectPool(page, names) {
  await page.locator('[data-test=module-pool]').click()
  await waitForPath(page, '/workbench/lead-unit/pool')
  const table = page.locator('[data-test=pool-table]')
  for (const n of names) {
    const row = table.locator('.el-table__body tr', { hasText: n })
    await row.getByText(provider.company).waitFor()
    assert.match((await row.locator('td').first().innerText()).trim(), /^P\d{9,}$/, `${n} has a product code`)
  }
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-test=pool-table] .el-table__body tr').length === n,
    names.length,
  )
}

/** 我的产品: the row of `name` shows `status`. */
async function expectProductStatus(page, name, status) {
  const row = page.locator('[data-test=products-table] .el-table__body tr', { hasText: name })
  await row.locator('[data-test=product-status]').getByText(status).waitFor()
  return row
}

// ---------------------------------------------------------------------------------------------
// 1. Registration in 江门市蓬江区 and certification
// ---------------------------------------------------------------------------------------------

browserTest('jiangmen-provider-registers-in-pengjiang', async ({ page, url }) => {
  begin(1)
  // A company from the registry ...
  const { phone, password, company } = await startProviderRegistration(page, url, { password: `Jiangmen#${TAG}a` })
  Object.assign(provider, { phone, password, company: company.name })
  const regionInput = page.locator('[data-test=register-region] input')
  await page.waitForFunction((el) => el.value.startsWith('广东省 / '), await regionInput.elementHandle())

  // ... registered in 江门市蓬江区 instead (the registry's details stay editable).
  await page.locator('[data-test=register-region] .el-cascader').click()
  const popper = page.locator('.region-cascader__popper')
  const node = (name) => popper.locator('.el-cascader-node', { has: page.locator('.el-cascader-node__label', { hasText: new RegExp(`^${name}$`) }) })
  await node('广东省').click()
  await node('江门市').click()
  await node('蓬江区').locator('.el-radio').click() // any level: 蓬江区 itself, not one of its towns
  await page.waitForFunction((el) => el.value === '广东省 / 江门市 / 蓬江区', await regionInput.elementHandle())
  await page.keyboard.press('Escape')
  await page.locator('input[name=address]').fill('江门市蓬江区白沙大道西1号')
  if (!company.industry_code) {
    await page.locator('[data-test=register-industry]').click()
    // IndustrySelect is a cascader: clicking a row chooses it (any level), Escape closes the menu.
    await page.locator('.industry-select__popper .el-cascader-node', { hasText: /^C 制造业$/ }).click()
    await page.waitForFunction((el) => el.value === 'C 制造业', await page.locator('[data-test=register-industry] input').elementHandle())
    await page.keyboard.press('Escape')
  }
  await page.locator('input[name=contact_name]').fill('江门测试员')
  const scopes = (await (await fetch(`${url}/api/providers/service-scopes`)).json()).items
  await page.locator('[data-test=register-scopes]').click()
  await page.locator('.el-select-dropdown__item', { hasText: scopes[0].label }).click()
  await page.keyboard.press('Escape')

  const registered = page.waitForResponse((r) => r.url().endsWith('/api/register'))
  await page.locator('[data-test=register-submit]').click()
  const res = await registered
  await expectStatus(res, 201)
  await waitForPath(page, '/login')

  // The organization is in 蓬江区 (so its 市工信复审 is 江门市工业和信息化局's), waiting for certification.
  await loginProvider(page, url)
  await page.locator('[data-test=certification-pending]').waitFor()
  const card = page.locator('[data-test=org-card]')
  await card.getByText(provider.company, { exact: true }).waitFor()
  await card.getByText('广东省 / 江门市 / 蓬江区', { exact: true }).waitFor()
  end(1)
})

browserTest('jiangmen-operator-certifies-the-provider', async ({ page, url }) => {
  begin(2)
  await loginViaUi(page, url, OPERATOR)
  await page.locator('[data-test=module-review-todo]').click()
  await waitForPath(page, '/workbench/review/todo')
  await openTask(page, provider.company)
  const c = await act(page, 'approve', '材料齐全，同意认证。')
  assert.equal(c.status, 'approved')
  await page.locator('[data-test=case-status]').getByText('审核通过').waitFor()

  await logout(page)
  await loginProvider(page, url)
  await page.locator('[data-test=certification-status]').getByText('已认证').waitFor()
  await page.locator('[data-test=module-provider-application]').waitFor()
  await page.locator('[data-test=module-products]').waitFor()
  end(2)
})

// ---------------------------------------------------------------------------------------------
// 2–3. 服务商首次申报 with two products; returned once, resubmitted, approved
// ---------------------------------------------------------------------------------------------

browserTest('jiangmen-provider-files-a-first-application-with-two-products', async ({ page, url }) => {
  begin(3)
  await loginProvider(page, url)
  await page.locator('[data-test=module-provider-application]').click()
  await waitForPath(page, '/workbench/provider-applications')

  // +新增: only 首次申报 before any approval.
  await page.locator('[data-test=app-new]').click()
  const choice = page.locator('[data-test=app-new-dialog]')
  await choice.getByText('首次申报审核通过后可再次申报').waitFor()
  assert.equal(await choice.locator('[data-test=app-new-repeat]').isDisabled(), true)
  await choice.locator('[data-test=app-new-first]').click()
  await waitForPath(page, '/workbench/provider-applications/new')
  await page.getByRole('heading', { name: '服务商申报（首次申报）' }).waitFor()

  // Tab 1 基本信息: name and credit code come from the registration.
  assert.equal(await page.locator('[data-test=app-company-name]').inputValue(), provider.company)
  await upload(page, page.locator('[data-test=app-license]'), '营业执照.pdf')
  await radio(page, '[data-test=app-nature]', '民营')
  await upload(page, page.locator('[data-test=app-credit-report]'), '公共信用报告.pdf')
  await page.locator('[data-test=lead-unit-select]').click()
  await pickOption(page, LEAD_UNIT.org)
  await page.locator('[data-test=lead-unit-select]').getByText(LEAD_UNIT.org).waitFor()
  await upload(page, page.locator('[data-test=app-cooperation-proof]'), '合作关系证明-智能制造.pdf')
  await page.locator('[data-test=app-next]').click()

  // Tab 2 数字化转型服务能力.
  await number(page, '[data-test=app-product-count]', 3)
  await page.locator('[data-test=app-introduction]').fill(INTRODUCTION)
  await page.locator('[data-test=app-guarantee]').fill('组建10人本地技术服务团队，7×24小时响应，重大问题4小时内到场。')
  await upload(page, page.locator('[data-test=app-team-list]'), '本地技术服务团队人员名单.pdf')
  await page.locator('[data-test=app-next]').click()

  // Tab 3 产品信息: the first product card is there; 新增产品/服务 adds the second.
  await page.locator('[data-test=product-card-0]').waitFor()
  await fillProduct(page, PRODUCTS[0], 0)
  await page.locator('[data-test=product-add]').click()
  await page.locator('[data-test=product-card-1]').waitFor()
  await fillProduct(page, PRODUCTS[1], 1)
  await page.locator('[data-test=product-card-1]').getByText(`产品/服务2：${PRODUCTS[1].name}`).waitFor()

  // 提交: creates the draft, then submits it.
  const created = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/review/cases' && r.request().method() === 'POST')
  const submitted = page.waitForResponse(isAction)
  await page.locator('[data-test=submit]').click()
  await confirmSubmit(page)
  await expectStatus(await created, 201, 'creating the application')
  const res = await submitted
  await expectStatus(res, 200, 'submitting the application')
  const c = await res.json()
  assert.equal(c.status, 'in_review')
  assert.equal(c.form.products.length, 2)

  // Back on the list: 审核中 with the lead unit.
  await waitForPath(page, '/workbench/provider-applications')
  const row = page.locator('[data-test=app-table] .el-table__body tr', { hasText: LEAD_UNIT.org })
  await row.locator('[data-test=app-status]').getByText('审核中').waitFor()
  await row.getByText(provider.company).waitFor()
  // The products start their own review only once the lead unit approves the application; until then
  // 我的产品 shows them with the application's status (the confirmation told the provider to look there).
  await page.locator('[data-test=nav-products]').click()
  await waitForPath(page, '/workbench/products')
  await page.locator('[data-test=products-table]').getByText('暂无产品申报记录').waitFor()
  const pending = page.locator('[data-test=products-pending]')
  for (const p of PRODUCTS.slice(0, 2)) {
    const r = pending.locator('tr', { hasText: p.name })
    await r.locator('[data-test=pending-product-status]').getByText('随首次申报审核中').waitFor()
  }
  end(3)
})

browserTest('jiangmen-lead-unit-returns-the-application', async ({ page, url }) => {
  begin(4)
  await loginViaUi(page, url, LEAD_UNIT)
  // 生态伙伴确认: the to-do list filtered to provider applications.
  await page.locator('[data-test=module-alliance]').click()
  await page.waitForURL((u) => u.pathname === '/workbench/review/todo' && u.searchParams.get('kind') === 'alliance_join')
  await openTask(page, provider.company)
  const fields = page.locator('[data-test=case-fields]')
  await fields.getByText(PRODUCTS[0].name, { exact: true }).waitFor()
  await fields.getByText(PRODUCTS[1].name, { exact: true }).waitFor()
  await fields.getByText(INTRODUCTION).waitFor()
  await page.locator('[data-test=case-attachments]').getByText('营业执照.pdf').waitFor()
  await page.locator('[data-test=review-timeline] [data-test=timeline-state]').getByText('审核中').waitFor()

  const c = await act(page, 'return', RETURN_OPINION)
  assert.equal(c.status, 'returned')
  await page.locator('[data-test=case-status]').getByText('已退回').waitFor()
  await page.locator('[data-test=trail-table]').getByText(RETURN_OPINION).waitFor()
  assert.equal(await page.locator('[data-test=action-approve]').count(), 0)
  end(4)
})

browserTest('jiangmen-provider-sees-the-return-fixes-and-resubmits', async ({ page, url }) => {
  begin(5)
  await loginProvider(page, url)
  // The bell and 审核通知 tell about the return.
  await page.locator('[data-test=notification-badge] .el-badge__content').getByText(/^[1-9]\d*\+?$/).waitFor()
  await page.getByRole('tab', { name: '审核通知' }).click()
  await page.locator('[data-test=home-notice]', { hasText: '审核退回通知' }).first().waitFor()

  // 服务商申报: 已退回 with the opinion and the lead unit; 重新提交 opens the form.
  await page.locator('[data-test=module-provider-application]').click()
  await waitForPath(page, '/workbench/provider-applications')
  const row = page.locator('[data-test=app-table] .el-table__body tr', { hasText: LEAD_UNIT.org })
  await row.locator('[data-test=app-status]').getByText('已退回').waitFor()
  await row.getByText(RETURN_OPINION).waitFor()
  await row.locator('[data-test=app-resubmit]').click()
  await page.waitForURL((u) => /^\/workbench\/provider-applications\/[^/]+\/edit$/.test(u.pathname))
  await page.locator('[data-test=app-returned]').getByText(RETURN_OPINION).waitFor()

  // Everything saved is back (files, lead unit, both products); fix the introduction.
  await page.locator('[data-test=app-license]').getByText('营业执照.pdf').waitFor()
  await page.locator('[data-test=lead-unit-select]').getByText(LEAD_UNIT.org).waitFor()
  await page.locator('[data-test=app-tab-capability]').click()
  assert.equal(await page.locator('[data-test=app-introduction]').inputValue(), INTRODUCTION)
  await page.locator('[data-test=app-introduction]').fill(FIXED_INTRODUCTION)
  await page.locator('[data-test=app-tab-products]').click()
  assert.equal(await page.locator('[data-test=product-name-0]').inputValue(), PRODUCTS[0].name)
  assert.equal(await page.locator('[data-test=product-name-1]').inputValue(), PRODUCTS[1].name)

  const saved = page.waitForResponse((r) => /\/api\/review\/cases\/[^/]+\/form$/.test(new URL(r.url()).pathname) && r.request().method() === 'PUT')
  const resubmitted = page.waitForResponse(isAction)
  await page.locator('[data-test=submit]').getByText('重新提交').click()
  await confirmSubmit(page)
  await expectStatus(await saved, 200, 'saving the fixed application')
  const res = await resubmitted
  await expectStatus(res, 200, 'resubmitting')
  assert.equal(JSON.parse(res.request().postData() ?? '{}').action, 'resubmit')

  await waitForPath(page, '/workbench/provider-applications')
  await row.locator('[data-test=app-status]').getByText('审核中').waitFor()
  end(5)
})

browserTest('jiangmen-lead-unit-sees-the-fix-and-approves', async ({ page, url }) => {
  begin(6)
  await loginViaUi(page, url, LEAD_UNIT)
  await page.locator('[data-test=module-alliance]').click()
  await page.waitForURL((u) => u.pathname === '/workbench/review/todo')
  await openTask(page, provider.company)
  const diff = page.locator('[data-test=round-diff]')
  await diff.getByText('第1轮 → 第2轮').waitFor()
  await diff.locator('[data-test=diff-table] tr.is-changed', { hasText: '服务商简介' }).locator('[data-test=diff-changed]').getByText(FIXED_INTRODUCTION).waitFor()

  const c = await act(page, 'approve', '同意加入本单位产业生态联合体。')
  assert.equal(c.status, 'approved')
  await page.locator('[data-test=case-status]').getByText('审核通过').waitFor()

  // 生态伙伴: the provider is a member now.
  await page.goto(`${url}/workbench`)
  await page.locator('[data-test=module-members]').click()
  await waitForPath(page, '/workbench/lead-unit/members')
  await page.locator('[data-test=members-table] .el-table__body tr', { hasText: provider.company }).waitFor()
  end(6)
})

// ---------------------------------------------------------------------------------------------
// 4. Each product: 牵引机构确认 → 预审 → 市工信复审
// ---------------------------------------------------------------------------------------------

browserTest('jiangmen-products-pass-the-lead-unit-confirmation', async ({ page, url }) => {
  begin(7)
  // The provider sees both products of the application in 我的产品, in review.
  await loginProvider(page, url)
  await page.locator('[data-test=module-products]').click()
  await waitForPath(page, '/workbench/products')
  for (const p of PRODUCTS.slice(0, 2)) {
    const row = await expectProductStatus(page, p.name, '审核中')
    await row.getByText(p.categories.join('、')).waitFor()
  }

  // 产品入池确认 (leadunit_demo): batch approve both.
  await logout(page)
  await loginViaUi(page, url, LEAD_UNIT)
  await page.locator('[data-test=module-product-confirm]').click()
  await page.waitForURL((u) => u.pathname === '/workbench/review/todo' && u.searchParams.get('kind') === 'product_entry')
  await batchApprove(page, [PRODUCTS[0].name, PRODUCTS[1].name], STAGES[0].name, '产品符合本单位产业方向，同意入池。')
  // Not in the pool yet: two more stages to go.
  await page.goto(`${url}/workbench`)
  await page.locator('[data-test=module-pool]').click()
  await page.locator('[data-test=pool-table]').getByText('产品池暂无产品').waitFor()
  end(7)
})

browserTest('jiangmen-products-pass-pre-review', async ({ page, url }) => {
  begin(8)
  await loginViaUi(page, url, PRE_REVIEW)
  await page.locator('[data-test=module-review-todo]').click()
  await waitForPath(page, '/workbench/review/todo')
  await openProductTodo(page)
  await batchApprove(page, [PRODUCTS[0].name, PRODUCTS[1].name], STAGES[1].name, '预审通过，材料完整。')
  end(8)
})

browserTest('jiangmen-products-pass-the-city-review', async ({ page, url }) => {
  begin(9)
  await loginViaUi(page, url, CITY)
  await page.locator('[data-test=module-review-todo]').click()
  await waitForPath(page, '/workbench/review/todo')
  await openProductTodo(page)
  await batchApprove(page, [PRODUCTS[0].name, PRODUCTS[1].name], STAGES[2].name, '复审通过，同意入库。')

  // The provider: both 审核通过; the detail page shows 审核进度 through the three stages.
  await logout(page)
  await loginProvider(page, url)
  await page.locator('[data-test=module-products]').click()
  await waitForPath(page, '/workbench/products')
  for (const p of PRODUCTS.slice(0, 2)) await expectProductStatus(page, p.name, '审核通过')
  const row = await expectProductStatus(page, PRODUCTS[0].name, '审核通过')
  await row.locator('[data-test=product-view]').click()
  await page.waitForURL((u) => u.pathname.startsWith('/workbench/review/cases/'))
  await page.locator('[data-test=case-status]').getByText('审核通过').waitFor()
  const timeline = page.locator('[data-test=review-timeline]')
  for (const s of STAGES) {
    const item = timeline.locator('[data-test=timeline-item]', { hasText: s.name })
    await item.locator('[data-test=timeline-state]').getByText('已通过').waitFor()
    await item.getByText(s.org).waitFor()
  }
  end(9)
})

// ---------------------------------------------------------------------------------------------
// 5. 服务商再次申报 to the second lead unit; both pools hold both products
// ---------------------------------------------------------------------------------------------

browserTest('jiangmen-provider-files-a-repeat-application', async ({ page, url }) => {
  begin(10)
  await loginProvider(page, url)
  await page.locator('[data-test=module-provider-application]').click()
  await waitForPath(page, '/workbench/provider-applications')
  await page.locator('[data-test=app-table] .el-table__body tr', { hasText: LEAD_UNIT.org }).locator('[data-test=app-status]').getByText('审核通过').waitFor()

  // +新增: now only 再次申报.
  await page.locator('[data-test=app-new]').click()
  const choice = page.locator('[data-test=app-new-dialog]')
  await choice.getByText(`已加入：${LEAD_UNIT.org}`).waitFor()
  assert.equal(await choice.locator('[data-test=app-new-first]').isDisabled(), true)
  await choice.locator('[data-test=app-new-repeat]').click()
  await page.waitForURL((u) => u.pathname === '/workbench/provider-applications/new' && u.searchParams.get('type') === 'repeat')
  await page.getByRole('heading', { name: '服务商申报（再次申报）' }).waitFor()

  // Prefilled from the approved first application (both tabs); no 产品信息 tab.
  await page.locator('[data-test=app-license]').getByText('营业执照.pdf').waitFor()
  assert.equal(await page.locator('[data-test=app-tab-products]').count(), 0)
  assert.equal(await page.locator('[data-test=app-cooperation-proof] .file-upload__item').count(), 0)

  // The lead unit already joined cannot be chosen again.
  await page.locator('[data-test=lead-unit-select]').click()
  const joined = page.locator('.el-select-dropdown__item').filter({ visible: true }).filter({ hasText: LEAD_UNIT.org })
  await joined.getByText('已加入').waitFor()
  assert.match((await joined.getAttribute('class')) ?? '', /is-disabled/)
  await pickOption(page, LEAD_UNIT_2.org)
  await page.locator('[data-test=lead-unit-select]').getByText(LEAD_UNIT_2.org).waitFor()
  await upload(page, page.locator('[data-test=app-cooperation-proof]'), '合作关系证明-五金卫浴.pdf')
  await page.locator('[data-test=app-next]').click()
  await page.locator('[data-test=app-team-list]').getByText('本地技术服务团队人员名单.pdf').waitFor()
  assert.equal(await page.locator('[data-test=app-introduction]').inputValue(), FIXED_INTRODUCTION)

  const created = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/review/cases' && r.request().method() === 'POST')
  const submitted = page.waitForResponse(isAction)
  await page.locator('[data-test=submit]').click()
  await confirmSubmit(page)
  await expectStatus(await created, 201, 'creating the repeat application')
  const res = await submitted
  await expectStatus(res, 200, 'submitting the repeat application')
  const c = await res.json()
  assert.equal(c.form.application, 'repeat')
  assert.equal(c.form.introduction, FIXED_INTRODUCTION)

  await waitForPath(page, '/workbench/provider-applications')
  const row = page.locator('[data-test=app-table] .el-table__body tr', { hasText: LEAD_UNIT_2.org })
  await row.locator('[data-test=app-status]').getByText('审核中').waitFor()
  end(10)
})

browserTest('jiangmen-second-lead-unit-approves-and-both-pools-hold-both-products', async ({ page, url }) => {
  begin(11)
  await loginViaUi(page, url, LEAD_UNIT_2)
  // Nothing in this unit's pool before the approval.
  await page.locator('[data-test=module-pool]').click()
  await page.locator('[data-test=pool-table]').getByText('产品池暂无产品').waitFor()
  await page.goto(`${url}/workbench`)

  await page.locator('[data-test=module-alliance]').click()
  await page.waitForURL((u) => u.pathname === '/workbench/review/todo')
  await openTask(page, provider.company)
  await page.locator('[data-test=case-fields]').getByText('再次申报').first().waitFor()
  await page.locator('[data-test=case-fields]').getByText(FIXED_INTRODUCTION).waitFor()
  const c = await act(page, 'approve', '同意加入本单位产业生态联合体。')
  assert.equal(c.status, 'approved')
  await page.locator('[data-test=case-status]').getByText('审核通过').waitFor()

  await page.goto(`${url}/workbench`)
  await expectPool(page, [PRODUCTS[0].name, PRODUCTS[1].name])

  await logout(page)
  await loginViaUi(page, url, LEAD_UNIT)
  await expectPool(page, [PRODUCTS[0].name, PRODUCTS[1].name])
  end(11)
})

// ---------------------------------------------------------------------------------------------
// 6. 产品独立申报 of a third product; both pools and 上架产品 list all three
// ---------------------------------------------------------------------------------------------

browserTest('jiangmen-provider-files-a-product-application', async ({ page, url }) => {
  begin(12)
  await loginProvider(page, url)
  await page.locator('[data-test=module-products]').click()
  await waitForPath(page, '/workbench/products')
  await page.locator('[data-test=product-new]').click()
  await waitForPath(page, '/workbench/products/new')
  await page.getByRole('heading', { name: '产品申报' }).waitFor()

  await fillProduct(page, PRODUCTS[2])
  // 审核数字化牵引单位: only the two bound lead units.
  await page.locator('[data-test=lead-unit-select]').click()
  const options = page.locator('.el-select-dropdown__item').filter({ visible: true })
  await options.filter({ hasText: LEAD_UNIT.org }).waitFor()
  await options.filter({ hasText: LEAD_UNIT_2.org }).waitFor()
  assert.equal(await options.count(), 2)
  await pickOption(page, LEAD_UNIT_2.org)
  await page.locator('[data-test=lead-unit-select]').getByText(LEAD_UNIT_2.org).waitFor()

  const created = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/review/cases' && r.request().method() === 'POST')
  const submitted = page.waitForResponse(isAction)
  await page.locator('[data-test=submit]').click()
  await confirmSubmit(page)
  await expectStatus(await created, 201, 'creating the product application')
  const res = await submitted
  await expectStatus(res, 200, 'submitting the product application')
  assert.equal((await res.json()).status, 'in_review')

  await waitForPath(page, '/workbench/products')
  await expectProductStatus(page, PRODUCTS[2].name, '审核中')
  for (const p of PRODUCTS.slice(0, 2)) await expectProductStatus(page, p.name, '审核通过')
  end(12)
})

browserTest('jiangmen-third-product-passes-the-three-stages', async ({ page, url }) => {
  begin(13)
  const reviewers = [
    { user: LEAD_UNIT_2, stage: STAGES[0].name, org: LEAD_UNIT_2.org, opinion: '同意入池。' },
    { user: PRE_REVIEW, stage: STAGES[1].name, org: PRE_REVIEW.org, opinion: '预审通过。' },
    { user: CITY, stage: STAGES[2].name, org: CITY.org, opinion: '复审通过，同意入库。' },
  ]
  for (const [i, r] of reviewers.entries()) {
    if (i > 0) await logout(page)
    await loginViaUi(page, url, r.user)
    await page.locator('[data-test=module-review-todo]').click()
    await waitForPath(page, '/workbench/review/todo')
    const row = page.locator('[data-test=todo-table] .el-table__body tr', { hasText: PRODUCTS[2].name })
    await row.getByText(r.stage, { exact: true }).waitFor()
    await openTask(page, PRODUCTS[2].name)
    await page.locator('[data-test=case-fields]').getByText(LEAD_UNIT_2.org).first().waitFor()
    const c = await act(page, 'approve', r.opinion)
    if (i < reviewers.length - 1) {
      assert.equal(c.status, 'in_review')
      assert.equal(c.stage_name, reviewers[i + 1].stage)
    } else {
      assert.equal(c.status, 'approved')
      await page.locator('[data-test=case-status]').getByText('审核通过').waitFor()
    }
  }

  // 审核进度 of the third product, as the provider sees it.
  await logout(page)
  await loginProvider(page, url)
  await page.locator('[data-test=module-products]').click()
  const row = await expectProductStatus(page, PRODUCTS[2].name, '审核通过')
  await row.locator('[data-test=product-view]').click()
  await page.waitForURL((u) => u.pathname.startsWith('/workbench/review/cases/'))
  const timeline = page.locator('[data-test=review-timeline]')
  for (const r of reviewers) {
    const item = timeline.locator('[data-test=timeline-item]', { hasText: r.stage })
    await item.locator('[data-test=timeline-state]').getByText('已通过').waitFor()
    await item.getByText(r.org).waitFor()
  }
  end(13)
})

browserTest('jiangmen-both-pools-and-the-catalogue-list-all-three-products', async ({ page, url }) => {
  begin(14)
  const names = PRODUCTS.map((p) => p.name)
  await loginViaUi(page, url, LEAD_UNIT)
  await expectPool(page, names)
  await logout(page)
  await loginViaUi(page, url, LEAD_UNIT_2)
  await expectPool(page, names)

  // 上架产品 (public): the three products with their provider.
  await logout(page)
  await page.goto(`${url}/products`)
  const list = page.locator('[data-test=catalogue-list]')
  for (const n of names) {
    const card = list.locator('[data-test=catalogue-card]', { hasText: n })
    await card.getByText(provider.company).waitFor()
    await card.locator('[data-test=catalogue-price]').getByText('2.50 - 18.00 万元').waitFor()
  }
  // Searching by the provider finds exactly them.
  const searched = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/catalogue/products' && new URL(r.url()).searchParams.get('q') === provider.company)
  await page.locator('[data-test=catalogue-search]').fill(provider.company)
  await page.locator('[data-test=catalogue-search-button]').click()
  const body = await (await searched).json()
  assert.deepEqual(body.items.map((p) => p.name).sort(), [...names].sort())
  await page.waitForFunction((n) => document.querySelectorAll('[data-test=catalogue-card]').length === n, names.length)
  // A card opens the product's details (with the keyboard too): provider, price and the whole description.
  const first = page.locator('[data-test=catalogue-card]', { hasText: names[0] })
  await first.focus()
  await page.keyboard.press('Enter')
  const detail = page.locator('.el-dialog[data-test=catalogue-detail]')
  await detail.getByText(names[0]).first().waitFor()
  await detail.getByText(provider.company).waitFor()
  await detail.getByText('2.50 - 18.00 万元').waitFor()
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'catalogue-detail.png') })
  await page.keyboard.press('Escape')
  await detail.waitFor({ state: 'hidden' })
  end(14)
})
