// (k) The Zhongshan project lifecycle, part 1 (seed 002 ch. 2, spec 40 §1), through the UI:
//     1. the Zhongshan demo enterprise (小榄镇) opens 项目备案, reads the process (已知晓，立即进入填写), finds
//        企业基本信息 prefilled, is told every missing field when it submits too early, fills 项目基本信息 and the
//        意向行业型服务商, reloads (nothing typed is lost), loses its session while typing (the edit comes back
//        after signing in again) and submits;
//     2. 小榄镇 approves (镇街审核), the third party approves (第三方初审), the city returns it with an opinion
//        (市工信复审); the enterprise reads the opinion, edits and resubmits; the city (not the town again)
//        approves; the enterprise sees 已备案 with the 项目备案号 and 项目签约 待签约 in the overview;
//     3. 事前诊断 by 自诊断: the enterprise opens 数字化诊断评估, 发起诊断, tries 立即自诊断 and comes back with
//        返回事前诊断 to the same dialog, picks its self-assessment result (the manual's example, 二级) and sees
//        已诊断 with the level;
//     4. 信息变更 after filing: from the project list the enterprise opens a change of the filed record, edits
//        项目计划投入 and submits it; the city reads the changed row as 「新值（原：旧值）」 and approves; the
//        filing page then shows the changed value and 已通过，已生效, the 项目备案号 unchanged;
//     5. 事前诊断 by an agency: a second project filed for 诊断机构诊断; the enterprise chooses the agency
//        (发起诊断 → 诊断机构名称); the agency (中国电子信息产业发展研究院) opens 诊断评估任务, is told what is
//        missing, uploads the report PDF, picks the level and submits; the enterprise clicks 确认诊断报告, reads
//        the report on the case page and confirms it (通过): 已诊断 with the agency's level;
//     6. 市工信局分配: a third project filed with it waits (待市工信局分配); the city opens 事前诊断分配, sets its
//        事前诊断期限 (20 days) and assigns the agency; the enterprise sees the agency and 待诊断机构出具报告;
//     7. 项目签约 with the lead unit's help: two products enter a lead unit's pool (API); the enterprise opens
//        项目签约, finds the filed project prefilled, adds two contracts with their PDFs, chooses that lead unit
//        and 协助填写 = 是, saves, reloads (nothing lost) and sends it; the lead unit (协助签约) fills
//        数字化改造需求, picks a product from its pool, is refused a price above 最高入库价格, fixes it and
//        submits; the enterprise checks and 确认提交: 已签约;
//     8. 预奖补: from the signed project the enterprise applies for both contracts, is told the three materials
//        are missing, uploads them and submits; the city returns it (退回重填), the enterprise reads the opinion,
//        replaces the credit report and resubmits; the city approves: 已审核.
//     9–11. 信息变更 after signing, 项目实施-改造中 with the lead unit's help, the city's 国家平台同步 (part 2).
//     12. 事后评估: the enterprise opens the 事后评估 tab, 发起评估 by 评估机构评估 (told to choose the agency first),
//        the agency finds the task beside its 事前诊断 ones, writes the 改造后评估报告 and submits; the enterprise
//        returns it once, the agency revises, the enterprise confirms: 已评估 with the level after.
//     13. 事后评估 by 市工信局分配: a fourth project filed, signed and submitted at 项目实施-改造中 (API); the
//        enterprise chooses 市工信局分配 in 发起评估; the city opens 诊断评估分配 → 事后评估 and assigns the agency;
//        the enterprise reads 待评估机构出具报告 with the agency's name.
//     14. 项目实施-改造完成 of that project: 验收入库 → 编辑; 提交 too early names what is missing; the levels, the
//        after-value and evidence of the dimension ticked in stage 3; four star ratings of the signed product's
//        provider; the documents and two invoices paid by one voucher (chosen again under the second), the totals
//        computed to the fen; 预览 → 提交: 已提交; the provider's reputation shows in the catalogue.
//     15. 项目入库 of that project: the city opens 项目入库管理 and sets the opening window; the enterprise opens
//        项目入库 (prefilled from the whole record), is told the evidence is missing, uploads it, 预览 → 提交; the
//        city assigns 验收专家 李验收; 小榄镇 approves; the other expert of the pool has nothing to do; 李验收 returns
//        it (请补充系统截图); the enterprise reads the opinion, adds the screenshots and resubmits: it goes straight
//        back to 验收专家审核; 李验收 and the city approve: 已入库, and 项目总览 reads 已入库.
//
// The steps share one server and run in order; each logs in afresh.
import assert from 'node:assert/strict'
import { apiClient, confirmSubmit, expectStatus, loginViaUi, samplePdf, useServer, waitForPath, wallTime } from '../harness.mjs'

const browserTest = useServer()

const DEMO_PASSWORD = 'Shuzhuan@2026'
const ENTERPRISE = { username: 'zhongshan_enterprise_demo', password: DEMO_PASSWORD }
const TOWN = { username: 'xiaolan_town_demo', password: DEMO_PASSWORD }
const THIRD_PARTY = { username: 'zhongshan_thirdparty_demo', password: DEMO_PASSWORD }
const CITY = { username: 'zhongshan_admin', password: DEMO_PASSWORD }
const AGENCY = { username: 'diagnosis_agency_demo', password: DEMO_PASSWORD }
const EXPERT = { username: 'zhongshan_expert_demo', password: DEMO_PASSWORD }
const OTHER_EXPERT = { username: 'zhongshan_expert2_demo', password: DEMO_PASSWORD }
const PROJECT = `小榄精工数字化车间改造${String(Date.now() % 100000)}`

const story = { projectPath: '' }
let passed = 0
const begin = (step) => assert.equal(passed, step - 1, `step ${step} needs the steps before it to have passed`)
const end = (step) => (passed = step)

const isPath = (method, re) => (r) => r.request().method() === method && re.test(new URL(r.url()).pathname)
const isAction = isPath('POST', /^\/api\/review\/cases\/[^/]+\/actions$/)
const shot = (page, name) =>
  process.env.SHUZHUAN_E2E_SHOTS ? page.screenshot({ path: `${process.env.SHUZHUAN_E2E_SHOTS}/${name}.png`, fullPage: true }) : undefined

async function logout(page) {
  await page.getByRole('navigation', { name: '主导航' }).getByText('退出登录').click()
  await waitForPath(page, '/login')
}

const field = (page, key) => page.locator(`.form-renderer [data-field=${key}]`)
async function radio(page, key, label) {
  await field(page, key).locator('.el-radio', { hasText: label }).click()
}
async function tab(page, title) {
  await page.locator('.form-renderer .el-tabs__item', { hasText: title }).click()
}

/**
 * Open the to-do row titled `row` (the story's project) and act on it through the opinion dialog, once the case
 * page shows `shows` (by default the filing's lead unit).
 */
async function review(page, url, user, action, opinion, { row: rowText = PROJECT, shows = '中山市五金家电数字化牵引单位（演示）' } = {}) {
  await loginViaUi(page, url, user)
  await page.goto(`${url}/workbench/review/todo`)
  const row = page.locator('[data-test=todo-table] .el-table__body tr', { hasText: rowText })
  await row.locator('[data-test=todo-review]').click()
  await page.waitForURL((u) => u.pathname.startsWith('/workbench/review/cases/'))
  await page.locator('[data-test=case-fields]').getByText(shows).first().waitFor()
  await page.locator(`[data-test=action-${action}]`).click()
  const dialog = page.locator('[data-test=opinion-dialog]')
  await dialog.locator('textarea[data-test=opinion-input]').fill(opinion)
  const done = page.waitForResponse(isAction)
  await dialog.locator('[data-test=opinion-confirm]').click()
  await expectStatus(await done, 200, `${user.username} ${action}`)
  await dialog.waitFor({ state: 'hidden' })
  await logout(page)
}

browserTest('lifecycle-enterprise-files-a-project', async ({ page, url }) => {
  begin(1)
  await loginViaUi(page, url, ENTERPRISE)
  await page.locator('[data-test=module-filing]').click()
  await waitForPath(page, '/workbench/projects')
  await page.locator('[data-test=start-filing]').click()
  const process = page.locator('[data-test=filing-process]')
  await process.getByText('项目实施-改造完成').waitFor()
  const started = page.waitForResponse(isPath('POST', /^\/api\/projects$/))
  await process.locator('[data-test=filing-acknowledge]').click()
  await expectStatus(await started, 201, 'starting the filing')
  await page.waitForURL((u) => /^\/workbench\/projects\/[^/]+$/.test(u.pathname))
  story.projectPath = new URL(page.url()).pathname

  // 企业基本信息 prefilled from the registration and the profile.
  assert.equal(await field(page, 'enterprise_name').locator('input').inputValue(), '中山市小榄精工五金制品有限公司（演示）')
  assert.equal(await field(page, 'address').locator('input').inputValue(), '广东省中山市小榄镇（演示地址）')
  await page.locator('[data-test=filing-status]').getByText('待提交').waitFor()

  // 提交 too early: every missing field is named, the lead unit too.
  const early = page.waitForResponse(isPath('POST', /\/filing\/submit$/))
  await page.locator('[data-test=filing-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await early, 422, 'the early submit')
  const summary = page.locator('[data-test=form-summary]')
  await summary.getByText('企业性质').waitFor()
  await page.locator('[data-test=lead-unit-item] .el-form-item__error').getByText('请选择「意向行业型服务商」').waitFor()
  await shot(page, 'filing-missing-fields')

  // 企业基本信息
  await radio(page, 'nature', '民营')
  await radio(page, 'category', '规模以下工业企业')
  await field(page, 'sub_industry').locator('input').fill('五金制品')
  await field(page, 'quality_sme').locator('.el-checkbox', { hasText: '创新型中小企业' }).click()
  await field(page, 'digital_headcount').locator('input').fill('6')
  await field(page, 'profile').locator('textarea').fill('主营卫浴五金，已上线ERP，计划建设数字化车间。')
  // 项目基本信息
  await tab(page, '项目基本信息')
  await field(page, 'project_name').locator('input').fill(PROJECT)
  await field(page, 'summary').locator('textarea').fill('建设MES与设备联网，打通订单到生产的数据。')
  await field(page, 'site_address').locator('input').fill('中山市小榄镇（演示地址）')
  await field(page, 'planned_investment').locator('input').fill('120.5')
  const range = field(page, 'period').locator('input.el-range-input')
  await range.nth(0).click()
  await range.nth(0).fill('2025-05-01')
  await range.nth(0).press('Enter')
  await range.nth(1).click()
  await range.nth(1).fill('2025-12-31')
  await range.nth(1).press('Enter')
  await radio(page, 'target_level', '二级')
  await radio(page, 'diagnosis_mode', '自诊断')
  await field(page, 'scenario_provider').locator('input').fill('中山市某软件有限公司')
  await radio(page, 'chain_leader', '否')
  await page.locator('[data-test=lead-unit]').click()
  await page.locator('.el-select-dropdown__item', { hasText: '中山市五金家电数字化牵引单位（演示）' }).click()

  // Saved 3 s after the last change; a reload brings everything back.
  const autosaved = page.waitForResponse(isPath('PUT', /^\/api\/projects\/[^/]+\/filing$/), { timeout: 15_000 })
  await expectStatus(await autosaved, 200, 'the autosave')
  await page.locator('[data-test=filing-saved]').getByText(/^已保存 \d\d:\d\d$/).waitFor()
  await page.reload()
  await tab(page, '项目基本信息')
  await page.waitForFunction((v) => document.querySelector('[data-field=project_name] input')?.value === v, PROJECT)
  assert.equal(await field(page, 'planned_investment').locator('input').inputValue(), '120.5')

  // The session times out while the clerk types: the autosave is refused, what was typed stays in this
  // browser and comes back after signing in again (then goes to the server with the submission).
  await page.context().clearCookies()
  await field(page, 'site_address').locator('input').fill('中山市小榄镇工业大道（会话过期后填写）')
  const refused = page.waitForResponse(isPath('PUT', /^\/api\/projects\/[^/]+\/filing$/), { timeout: 15_000 })
  await expectStatus(await refused, 401, 'the autosave after the session ended')
  await waitForPath(page, '/login')
  await loginViaUi(page, url, ENTERPRISE, { expectPath: null })
  await page.waitForURL((u) => u.pathname !== '/login')
  await page.goto(`${url}${story.projectPath}`)
  await page.getByText(/已恢复本浏览器中 .* 未保存的填写内容/).waitFor()
  await tab(page, '项目基本信息')
  assert.equal(await field(page, 'site_address').locator('input').inputValue(), '中山市小榄镇工业大道（会话过期后填写）')
  await shot(page, 'filing-restored-after-timeout')

  const submitted = page.waitForResponse(isPath('POST', /\/filing\/submit$/))
  await page.locator('[data-test=filing-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await submitted, 200, 'submitting the filing')
  await page.locator('[data-test=filing-status]').getByText('镇街审核中').waitFor()
  await shot(page, 'filing-submitted')
  // What was typed while the session was gone is in the submitted filing.
  const api = apiClient(url)
  await api.login(ENTERPRISE.username, ENTERPRISE.password)
  const filed = await api.get(`/api/projects/${story.projectPath.split('/').pop()}`)
  assert.equal(filed.body.filing.values.site_address, '中山市小榄镇工业大道（会话过期后填写）')
  await logout(page)
  end(1)
})

browserTest('lifecycle-town-third-party-city-with-a-return', async ({ page, url }) => {
  begin(2)
  await review(page, url, TOWN, 'approve', '同意，材料属实。')
  await review(page, url, THIRD_PARTY, 'approve', '初审通过。')
  await review(page, url, CITY, 'return', '项目计划投入请按不含税金额填写。')

  // The enterprise reads the opinion, edits and resubmits: it goes back to 市工信复审.
  await loginViaUi(page, url, ENTERPRISE)
  await page.goto(`${url}${story.projectPath}`)
  await page.locator('[data-test=filing-opinion]').getByText('项目计划投入请按不含税金额填写。').waitFor()
  await tab(page, '项目基本信息')
  await field(page, 'planned_investment').locator('input').fill('100')
  const resubmitted = page.waitForResponse(isPath('POST', /\/filing\/submit$/))
  await page.locator('[data-test=filing-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await resubmitted, 200, 'resubmitting')
  await page.locator('[data-test=filing-status]').getByText('市工信复审中').waitFor()
  await logout(page)

  await review(page, url, CITY, 'approve', '同意备案。')

  // 已备案 with its number; the overview shows 项目签约 待签约.
  await loginViaUi(page, url, ENTERPRISE)
  await page.goto(`${url}/workbench/projects`)
  const row = page.locator('[data-test=projects-table] .el-table__body tr', { hasText: PROJECT })
  await row.locator('[data-test=project-filing-status]').getByText('已备案').waitFor()
  assert.match(await row.locator('[data-test=project-filing-number]').innerText(), /^\d{6}\d{3}0001$/)
  await row.getByText('待签约').waitFor()
  await shot(page, 'projects-overview')
  await row.locator('[data-test=project-open]').click()
  await page.locator('[data-test=filing-number]').waitFor()
  await page.locator('.form-view').getByText(PROJECT).waitFor()
  assert.match(await page.locator('.form-view [data-field=town] dd').innerText(), /^小榄镇（442000\d{3}）$/, 'the town by its name')
  await shot(page, 'filing-filed')
  end(2)
})

browserTest('lifecycle-self-diagnosis-picks-an-assessment-result', async ({ page, url }) => {
  begin(3)
  // The enterprise assessed itself earlier (the manual's example answers: 二级（规范级）).
  const api = apiClient(url)
  await api.login(ENTERPRISE.username, ENTERPRISE.password)
  await api.assessWithManualExample()

  await loginViaUi(page, url, ENTERPRISE)
  await page.goto(`${url}/workbench/diagnosis`)
  const row = page.locator('[data-test=diagnosis-table] .el-table__body tr', { hasText: PROJECT })
  await row.locator('[data-test=diagnosis-status]').getByText('待诊断').waitFor()
  await row.locator('[data-test=diagnosis-start]').click()
  const dialog = page.locator('[data-test=diagnosis-dialog]')
  await dialog.getByText('自诊断').first().waitFor()

  // 立即自诊断 opens the assessment; 返回事前诊断 comes back to the same project's dialog.
  await dialog.locator('[data-test=diagnosis-assess-now]').click()
  await waitForPath(page, '/assessment/fill')
  await page.getByText('返回事前诊断').click()
  await waitForPath(page, '/workbench/diagnosis')
  await dialog.getByText(PROJECT).waitFor()

  const result = dialog.locator('[data-test=diagnosis-results] .el-table__body tr').first()
  await result.getByText('二级（规范级）').waitFor()
  await result.locator('.el-radio').click()
  await shot(page, 'diagnosis-dialog')
  const chosen = page.waitForResponse(isPath('PUT', /^\/api\/projects\/[^/]+\/diagnosis$/))
  await dialog.locator('[data-test=diagnosis-confirm]').click()
  await expectStatus(await chosen, 200, 'choosing the result')
  await dialog.waitFor({ state: 'hidden' })
  await row.locator('[data-test=diagnosis-status]').getByText('已诊断').waitFor()
  assert.equal(await row.locator('[data-test=diagnosis-level]').innerText(), '二级（规范级）')
  await shot(page, 'diagnosis-done')
  end(3)
})

browserTest('lifecycle-filing-change-reviewed-by-the-city', async ({ page, url }) => {
  begin(4)
  await loginViaUi(page, url, ENTERPRISE)
  await page.goto(`${url}/workbench/projects`)
  const row = page.locator('[data-test=projects-table] .el-table__body tr', { hasText: PROJECT })
  const number = await row.locator('[data-test=project-filing-number]').innerText()
  const opened = page.waitForResponse(isPath('POST', /^\/api\/projects\/[^/]+\/filing\/change$/))
  await row.locator('[data-test=project-change]').click()
  await expectStatus(await opened, 200, 'opening the change')
  await page.locator('[data-test=change-banner]').getByText(/您正在变更已备案的信息/).waitFor()
  await page.locator('[data-test=change-status]').getByText('待提交').waitFor()
  assert.ok(await field(page, 'town').locator('input').first().isDisabled(), '所属镇街 cannot change after filing')
  // Submitted unchanged: told so, above the form.
  const unchanged = page.waitForResponse(isPath('POST', /\/filing\/change\/submit$/))
  await page.locator('[data-test=filing-submit]').getByText('提交变更').click()
  await confirmSubmit(page)
  await expectStatus(await unchanged, 422, 'submitting an unchanged change')
  await page.locator('[data-test=filing-failure]').getByText('未修改任何内容，无需提交信息变更').waitFor()
  await tab(page, '项目基本信息')
  assert.equal(await field(page, 'planned_investment').locator('input').inputValue(), '100', 'the change starts from the filed record')
  await field(page, 'planned_investment').locator('input').fill('90')
  const submitted = page.waitForResponse(isPath('POST', /\/filing\/change\/submit$/))
  await page.locator('[data-test=filing-submit]').getByText('提交变更').click()
  await confirmSubmit(page)
  await expectStatus(await submitted, 200, 'submitting the change')
  await page.locator('[data-test=change-status]').getByText('市工信审核中').waitFor()
  await page.locator('[data-test=change-banner]').getByText(/审核通过后生效/).waitFor()
  await shot(page, 'filing-change-submitted')
  // 我的申请 lists the change beside the filing, by its kind's name.
  await page.goto(`${url}/workbench/review/cases`)
  await page.locator('[data-test=my-cases-table] .el-table__body tr', { hasText: `项目备案信息变更：${PROJECT}` }).getByText('审核中').first().waitFor()
  await shot(page, 'filing-change-my-cases')
  await logout(page)

  // The city reads what changed and approves.
  await loginViaUi(page, url, CITY)
  await page.goto(`${url}/workbench/review/todo`)
  await page.locator('[data-test=todo-table] .el-table__body tr', { hasText: `项目备案信息变更：${PROJECT}` }).locator('[data-test=todo-review]').click()
  await page.waitForURL((u) => u.pathname.startsWith('/workbench/review/cases/'))
  await page.locator('[data-test=case-fields]').getByText('90 万元（原：100 万元）').waitFor()
  await shot(page, 'filing-change-review')
  await page.locator('[data-test=action-approve]').click()
  const dialog = page.locator('[data-test=opinion-dialog]')
  await dialog.locator('textarea[data-test=opinion-input]').fill('同意变更。')
  const approved = page.waitForResponse(isAction)
  await dialog.locator('[data-test=opinion-confirm]').click()
  await expectStatus(await approved, 200, 'approving the change')
  await logout(page)

  await loginViaUi(page, url, ENTERPRISE)
  await page.goto(`${url}${story.projectPath}`)
  await page.locator('[data-test=change-status]').getByText('已通过，已生效').waitFor()
  assert.equal(await page.locator('[data-test=filing-number]').innerText(), number, 'the 项目备案号 stays')
  assert.match(await page.locator('.form-view [data-field=planned_investment] dd').innerText(), /^90(\.0+)?\b/)
  await page.locator('[data-test=filing-change]').waitFor()
  await shot(page, 'filing-change-approved')
  end(4)
})

/** Files a project like the first one (its filed record) under another name and 诊断方式, approved by all three. */
async function fileViaApi(url, name, mode) {
  const ent = apiClient(url)
  await ent.login(ENTERPRISE.username, ENTERPRISE.password)
  const first = (await ent.get(`/api/projects/${story.projectPath.split('/').pop()}`)).body
  const started = await ent.post('/api/projects')
  assert.equal(started.status, 201, JSON.stringify(started.body))
  const id = started.body.project_id
  const draft = (await ent.get(`/api/projects/${id}`)).body
  const values = { ...first.filing.values, project_name: name, diagnosis_mode: mode }
  const saved = await ent.request('PUT', `/api/projects/${id}/filing`, { values, lead_unit_id: first.filing.lead_unit_id, version: draft.filing.version })
  assert.equal(saved.status, 200, JSON.stringify(saved.body))
  const sent = await ent.post(`/api/projects/${id}/filing/submit`, { version: saved.body.filing.version })
  assert.equal(sent.status, 200, JSON.stringify(sent.body))
  for (const reviewer of [TOWN, THIRD_PARTY, CITY]) {
    const api = apiClient(url)
    await api.login(reviewer.username, reviewer.password)
    const caseId = sent.body.filing.case_id
    const c = (await api.get(`/api/review/cases/${caseId}`)).body
    const acted = await api.post(`/api/review/cases/${caseId}/actions`, { action: 'approve', version: c.version, opinion: '同意' })
    assert.equal(acted.status, 200, `${reviewer.username}: ${JSON.stringify(acted.body)}`)
  }
  return id
}

browserTest('lifecycle-agency-diagnosis-confirmed-by-the-enterprise', async ({ page, url }) => {
  begin(5)
  // A second project, filed through the API from the first one's filed record, for 诊断机构诊断.
  const AGENCY_PROJECT = `${PROJECT}（机构诊断）`
  await fileViaApi(url, AGENCY_PROJECT, '诊断机构诊断')

  // The enterprise chooses the agency.
  await loginViaUi(page, url, ENTERPRISE)
  await page.goto(`${url}/workbench/diagnosis`)
  let row = page.locator('[data-test=diagnosis-table] .el-table__body tr', { hasText: AGENCY_PROJECT })
  await row.locator('[data-test=diagnosis-status]').getByText('待选择诊断机构').waitFor()
  await row.locator('[data-test=diagnosis-start]').click()
  const dialog = page.locator('[data-test=diagnosis-dialog]')
  await dialog.getByText('诊断机构诊断').first().waitFor()
  await dialog.locator('[data-test=diagnosis-confirm]').click()
  await dialog.getByRole('alert').getByText('请选择诊断机构').waitFor()
  await dialog.locator('[data-test=diagnosis-agency-select]').click()
  await page.locator('.el-select-dropdown__item', { hasText: '中国电子信息产业发展研究院' }).click()
  await shot(page, 'diagnosis-agency-dialog')
  const chosen = page.waitForResponse(isPath('POST', /^\/api\/projects\/[^/]+\/diagnosis\/agency$/))
  await dialog.locator('[data-test=diagnosis-confirm]').click()
  await expectStatus(await chosen, 200, 'choosing the agency')
  await dialog.waitFor({ state: 'hidden' })
  await row.locator('[data-test=diagnosis-status]').getByText('待诊断机构出具报告').waitFor()
  assert.equal(await row.locator('[data-test=diagnosis-agency]').innerText(), '中国电子信息产业发展研究院')
  await logout(page)

  // The agency writes the report.
  await loginViaUi(page, url, AGENCY)
  await page.locator('[data-test=module-agency-tasks]').click()
  await waitForPath(page, '/workbench/agency/diagnoses')
  const task = page.locator('[data-test=diagnosis-tasks] .el-table__body tr', { hasText: AGENCY_PROJECT })
  await task.locator('[data-test=task-status]').getByText('待出具报告').waitFor()
  await shot(page, 'agency-tasks')
  await task.locator('[data-test=task-open]').click()
  await page.waitForURL((u) => u.pathname.startsWith('/workbench/agency/diagnoses/'))
  await page.getByText('中山市小榄精工五金制品有限公司（演示）').first().waitFor()
  const refused = page.waitForResponse(isPath('POST', /\/submit$/))
  await page.locator('[data-test=report-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await refused, 422, 'submitting an empty report')
  await page.locator('[data-test=form-summary]').waitFor()
  await field(page, 'report_files').locator('input[type=file]').setInputFiles({ name: '改造前诊断报告.pdf', mimeType: 'application/pdf', buffer: samplePdf() })
  await field(page, 'report_files').getByText('改造前诊断报告.pdf').waitFor()
  await radio(page, 'level', '三级（集成级）')
  await field(page, 'opinion').locator('textarea').fill('已上线ERP与MES，设备联网率约六成；建议推进数据贯通。')
  await shot(page, 'agency-report')
  const submitted = page.waitForResponse(isPath('POST', /\/submit$/))
  await page.locator('[data-test=report-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await submitted, 200, 'submitting the report')
  await page.locator('[data-test=report-status]').getByText('待企业确认').waitFor()
  await logout(page)

  // The enterprise confirms it on the case page.
  await loginViaUi(page, url, ENTERPRISE)
  await page.goto(`${url}/workbench/diagnosis`)
  row = page.locator('[data-test=diagnosis-table] .el-table__body tr', { hasText: AGENCY_PROJECT })
  await row.locator('[data-test=diagnosis-status]').getByText('待企业确认诊断报告').waitFor()
  await row.locator('[data-test=diagnosis-confirm-report]').click()
  await page.waitForURL((u) => u.pathname.startsWith('/workbench/review/cases/'))
  await page.locator('[data-test=case-fields]').getByText('三级（集成级）').waitFor()
  await page.getByText('改造前诊断报告.pdf').first().waitFor()
  await shot(page, 'diagnosis-report-confirm')
  await page.locator('[data-test=action-approve]').click()
  const opinion = page.locator('[data-test=opinion-dialog]')
  await opinion.locator('textarea[data-test=opinion-input]').fill('确认诊断报告。')
  const approved = page.waitForResponse(isAction)
  await opinion.locator('[data-test=opinion-confirm]').click()
  await expectStatus(await approved, 200, 'confirming the report')
  await page.goto(`${url}/workbench/diagnosis`)
  row = page.locator('[data-test=diagnosis-table] .el-table__body tr', { hasText: AGENCY_PROJECT })
  await row.locator('[data-test=diagnosis-status]').getByText('已诊断').waitFor()
  assert.equal(await row.locator('[data-test=diagnosis-level]').innerText(), '三级（集成级）')
  await shot(page, 'diagnosis-agency-done')
  end(5)
})

browserTest('lifecycle-city-assigns-the-diagnosis-agency', async ({ page, url }) => {
  begin(6)
  const ASSIGNED_PROJECT = `${PROJECT}（市局分配）`
  await fileViaApi(url, ASSIGNED_PROJECT, '市工信局分配')
  await loginViaUi(page, url, CITY)
  await page.locator('[data-test=module-diagnosis-assignments]').click()
  await waitForPath(page, '/workbench/lifecycle/diagnosis-assignments')
  const row = page.locator('[data-test=assignments-table] .el-table__body tr', { hasText: ASSIGNED_PROJECT })
  await row.locator('[data-test=assignment-status]').getByText('待市工信局分配').waitFor()
  // The city's own 事前诊断期限 (the platform's 30 days until set).
  const settings = page.locator('[data-test=lifecycle-settings]')
  await settings.getByText('按平台默认 30 天').waitFor()
  await settings.locator('[data-test=diagnosis-days] input').fill('20')
  const savedDays = page.waitForResponse(isPath('PUT', /^\/api\/lifecycle\/settings$/))
  await settings.locator('[data-test=diagnosis-days-save]').click()
  await expectStatus(await savedDays, 200, 'saving the deadline')
  await settings.getByText('本市已设置').waitFor()
  await row.locator('[data-test=assignment-assign]').click()
  const dialog = page.locator('[data-test=assignment-dialog]')
  await dialog.locator('[data-test=assignment-agency-select]').click()
  await page.locator('.el-select-dropdown__item', { hasText: '中国电子信息产业发展研究院' }).click()
  await shot(page, 'diagnosis-assignment-dialog')
  const assigned = page.waitForResponse(isPath('POST', /^\/api\/lifecycle\/diagnosis-assignments\/[^/]+$/))
  await dialog.locator('[data-test=assignment-confirm]').click()
  await expectStatus(await assigned, 200, 'assigning the agency')
  await dialog.waitFor({ state: 'hidden' })
  await row.locator('[data-test=assignment-status]').getByText('待诊断机构出具报告').waitFor()
  assert.equal(await row.locator('[data-test=assignment-agency]').innerText(), '中国电子信息产业发展研究院')
  await shot(page, 'diagnosis-assignments')
  await logout(page)

  await loginViaUi(page, url, ENTERPRISE)
  await page.goto(`${url}/workbench/diagnosis`)
  const mine = page.locator('[data-test=diagnosis-table] .el-table__body tr', { hasText: ASSIGNED_PROJECT })
  await mine.locator('[data-test=diagnosis-status]').getByText('待诊断机构出具报告').waitFor()
  assert.equal(await mine.locator('[data-test=diagnosis-agency]').innerText(), '中国电子信息产业发展研究院')
  end(6)
})

const LEAD_UNIT = { username: 'leadunit_demo', password: DEMO_PASSWORD }
const LEAD_UNIT_NAME = '江门市智能制造数字化牵引单位（演示）'

/** Two products (最高入库价格 20 万元) put into LEAD_UNIT's pool the real way: the demo provider's first application
 * with them, the lead unit's approval, then each product's 牵引机构确认 → 预审 → 市工信复审. */
async function poolProductsViaApi(url, names) {
  const provider = apiClient(url)
  await provider.login('provider_demo', DEMO_PASSWORD)
  const file = await provider.upload('credential', '合同.pdf', 'application/pdf', samplePdf())
  const leadUnits = (await provider.get('/api/lead-units')).body.items
  const lead = leadUnits.find((o) => o.name === LEAD_UNIT_NAME)
  const product = (name) => ({
    name, nature: '自有产品', ip_proof_file_ids: [], categories: ['生产管控', 'MES'], category_other: '',
    description: `${name}：面向离散制造的生产执行系统`, deploy_architecture: 'B/S', deploy_mode: '云端部署', deploy_period: '30天',
    purchase_mode: '按年订阅', price_min: '5', price_max: '20', discount_rate: 10, industry_code: 'C', sub_industries: '五金制品',
    scenarios: '车间生产执行', cases: ['甲', '乙', '丙'].map((x) => ({ enterprise: `江门${x}公司`, contract_file_ids: [file.id] })),
    awards: '未获奖', award_note: '', other_note: '', evidence_file_ids: [],
  })
  const form = {
    application: 'first', logo_file_ids: [], license_file_ids: [file.id], nature: '民营', credit_report_file_ids: [], lead_unit_id: lead.id,
    cooperation_proof_file_ids: [file.id], product_count: names.length, introduction: '专注中小企业数字化转型', guarantee: '本地团队驻场服务',
    team_list_file_ids: [], products: names.map(product),
  }
  const draft = await provider.post('/api/review/cases', { kind: 'alliance_join', form })
  assert.equal(draft.status, 201, JSON.stringify(draft.body))
  const sent = await provider.post(`/api/review/cases/${draft.body.id}/actions`, { action: 'submit', version: draft.body.version })
  assert.equal(sent.status, 200, JSON.stringify(sent.body))
  const approve = async (username, caseId) => {
    const api = apiClient(url)
    await api.login(username, DEMO_PASSWORD)
    const c = (await api.get(`/api/review/cases/${caseId}`)).body
    const acted = await api.post(`/api/review/cases/${caseId}/actions`, { action: 'approve', version: c.version, opinion: '同意' })
    assert.equal(acted.status, 200, `${username}: ${JSON.stringify(acted.body)}`)
  }
  await approve('leadunit_demo', draft.body.id)
  const cases = (await provider.get('/api/review/cases?kind=product_entry&page_size=100')).body.items
  for (const name of names) {
    const c = cases.find((x) => x.title === name)
    for (const reviewer of ['leadunit_demo', 'thirdparty_demo', 'jiangmen_admin']) await approve(reviewer, c.id)
  }
}

/** The signing list's row of the story's first project (the others' names extend it). */
const signingRow = (page) =>
  page.locator('[data-test=signings] .el-table__body tr').filter({ has: page.locator('[data-test=signing-name]', { hasText: new RegExp(`^${PROJECT}$`) }) })
const cell = (page, path) => page.locator(`.form-renderer [data-field="${path}"]`)

async function pickOption(page, locator, label) {
  await locator.click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click()
}

browserTest('lifecycle-signing-assisted-by-the-lead-unit', async ({ page, url }) => {
  begin(7)
  await poolProductsViaApi(url, ['智造MES', '云ERP'])

  // The enterprise: the filed project of step 2 waits at 待签约; the page comes prefilled from the filing.
  await loginViaUi(page, url, ENTERPRISE)
  await page.locator('[data-test=module-signing]').click()
  await waitForPath(page, '/workbench/signings')
  let row = signingRow(page)
  await row.locator('[data-test=signing-status]').getByText('待签约').waitFor()
  await row.locator('[data-test=signing-open]').click()
  await page.waitForURL((u) => /^\/workbench\/signings\/[^/]+$/.test(u.pathname))
  const signingPath = new URL(page.url()).pathname
  assert.equal(await field(page, 'project_name').locator('input').inputValue(), PROJECT)
  await field(page, 'acceptance_date').locator('input').fill('2026-03-31')
  await field(page, 'acceptance_date').locator('input').press('Enter')
  await radio(page, 'chain_leader', '否')
  // Two contracts, each with its PDF.
  await tab(page, '合同信息')
  await field(page, 'contracts').locator('[data-test=form-table-add]').click()
  const contracts = [
    ['HT-2025-001', '30.5', '20'],
    ['HT-2025-002', '12.345678', '10'],
  ]
  for (const [i, [no, amount, subsidy]] of contracts.entries()) {
    await cell(page, `contracts[${i}].contract_no`).locator('input').fill(no)
    await cell(page, `contracts[${i}].amount`).locator('input').fill(amount)
    await cell(page, `contracts[${i}].provider`).locator('input').fill('惠州市飞讯软件服务有限公司')
    await cell(page, `contracts[${i}].contract_file`).locator('input[type=file]').setInputFiles({ name: `项目合同${i + 1}.pdf`, mimeType: 'application/pdf', buffer: samplePdf() })
    await cell(page, `contracts[${i}].contract_file`).getByText(`项目合同${i + 1}.pdf`).waitFor()
    await cell(page, `contracts[${i}].subsidy_amount`).locator('input').fill(subsidy)
  }
  // A lead unit whose pool is still empty: the picker says why, and how products get there.
  await pickOption(page, page.locator('[data-test=lead-unit]'), '江门市五金卫浴数字化牵引单位（演示）')
  await page.locator('[data-test=add-product]').click()
  await page.locator('[data-test=no-candidates]').getByText('江门市五金卫浴数字化牵引单位（演示）的产品池中还没有产品/服务：服务商申报的产品经牵引单位确认、预审和市工信局复审入库后').waitFor()
  await shot(page, 'signing-empty-pool')
  await page.locator('.el-dialog', { hasText: '添加产品/服务' }).locator('.el-dialog__headerbtn').click()
  await page.locator('[data-test=no-candidates]').waitFor({ state: 'hidden' })
  // 行业型服务商协助填写: 是, to the lead unit whose pool holds the products.
  await pickOption(page, page.locator('[data-test=lead-unit]'), LEAD_UNIT_NAME)
  await radio(page, 'assisted', '是')
  // Saved 3 s after the last change (自动保存); 保存 saves at once and says so.
  await page.locator('[data-test=signing-save]').click()
  await page.locator('.el-message', { hasText: '已保存' }).waitFor()
  // A reload keeps everything typed.
  await page.reload()
  await tab(page, '合同信息')
  assert.equal(await cell(page, 'contracts[1].amount').locator('input').inputValue(), '12.345678')
  assert.equal(await field(page, 'contracts_total').locator('input').inputValue(), '42.845678', 'computed, exact')
  await shot(page, 'signing-enterprise')
  await page.locator('[data-test=signing-send]').click()
  const sent = page.waitForResponse(isPath('POST', /\/signing\/send$/))
  await page.locator('.el-message-box').getByRole('button', { name: '确认发送' }).click()
  await expectStatus(await sent, 200, 'sending to the lead unit')
  await page.locator('[data-test=signing-status]').getByText('牵引单位填写中').waitFor()
  await logout(page)

  // The lead unit fills 牵引单位信息 from its pool; a price above 最高入库价格 is refused.
  await loginViaUi(page, url, LEAD_UNIT)
  await page.locator('[data-test=module-signing]').click()
  await waitForPath(page, '/workbench/signings')
  row = signingRow(page)
  await row.locator('[data-test=signing-open]').click()
  await page.waitForURL((u) => u.pathname === signingPath)
  await pickOption(page, cell(page, 'demands[0].scene').locator('.el-select'), '生产管控')
  await cell(page, 'demands[0].description').locator('textarea').fill('车间报工靠纸质单据')
  await cell(page, 'demands[0].analysis').locator('textarea').fill('数据滞后，需要实时采集')
  await page.locator('[data-test=add-product]').click()
  const candidates = page.locator('[data-test=product-candidates]')
  await candidates.getByText('智造MES').waitFor()
  await candidates.locator('.el-table__body tr', { hasText: '智造MES' }).locator('[data-test=pick-product]').click()
  const product = page.locator('[data-test=signed-product]').first()
  await product.locator('[data-test=price-max]').getByText('20 万元').waitFor()
  await product.locator('.el-radio', { hasText: '公有云' }).click()
  await product.locator('.el-radio', { hasText: '否（原厂）' }).click()
  await product.locator('.el-form-item', { hasText: '数字化转型内容介绍' }).locator('textarea').fill('上线MES，设备联网')
  const dates = product.locator('.el-form-item', { hasText: '改造实施开始/结束时间' }).locator('input')
  await dates.nth(0).fill('2025-06-01')
  await dates.nth(0).press('Enter')
  await dates.nth(1).fill('2025-12-31')
  await dates.nth(1).press('Enter')
  await product.locator('.el-radio', { hasText: '按年订阅' }).click()
  await product.locator('[data-test=sign-price] input').fill('25')
  await pickOption(page, product.locator('.el-form-item', { hasText: '对应的数字化改造场景' }).locator('.el-select'), '生产管控')
  await product.locator('.el-form-item', { hasText: '场景描述' }).locator('textarea').fill('报工、质检数据实时采集')
  const over = page.waitForResponse(isPath('POST', /\/signing\/submit$/))
  await page.locator('[data-test=signing-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await over, 422, 'a price above 最高入库价格')
  await product.locator('[data-test=product-problem]').getByText('高于最高入库价格20万元').waitFor()
  await shot(page, 'signing-lead-unit-price-refused')
  await product.locator('[data-test=sign-price] input').fill('15')
  const back = page.waitForResponse(isPath('POST', /\/signing\/submit$/))
  await page.locator('[data-test=signing-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await back, 200, 'the lead unit submits')
  await page.locator('[data-test=signing-status]').getByText('待企业确认').waitFor()
  await logout(page)

  // The enterprise checks and 确认提交: 已签约.
  await loginViaUi(page, url, ENTERPRISE)
  await page.goto(`${url}${signingPath}`)
  await page.locator('[data-test=signing-status]').getByText('待企业确认').waitFor()
  await page.locator('[data-test=signed-product]').getByText('智造MES').waitFor()
  await page.locator('[data-test=ecosystem]').getByText('惠州市飞讯软件服务有限公司').waitFor()
  const signed = page.waitForResponse(isPath('POST', /\/signing\/submit$/))
  await page.locator('[data-test=signing-submit]').getByText('确认提交').click()
  await confirmSubmit(page)
  await expectStatus(await signed, 200, 'signing')
  await page.locator('[data-test=signing-status]').getByText('已签约').waitFor()
  await shot(page, 'signing-signed')
  await page.goto(`${url}/workbench/signings`)
  row = signingRow(page)
  await row.locator('[data-test=signing-status]').getByText('已签约').waitFor()
  assert.equal(await row.locator('[data-test=assist-status]').innerText(), '牵引单位已协助填写')
  end(7)
})

/** The city acts on the story's 预奖补 application from its to-do list, through the opinion dialog. */
async function reviewPresubsidy(page, url, action, opinion) {
  await loginViaUi(page, url, CITY)
  await page.goto(`${url}/workbench/review/todo`)
  const row = page.locator('[data-test=todo-table] .el-table__body tr', { hasText: `预奖补申请：${PROJECT}（` })
  await row.locator('[data-test=todo-review]').click()
  await page.waitForURL((u) => u.pathname.startsWith('/workbench/review/cases/'))
  await page.locator('[data-test=case-fields]').getByText('HT-2025-002').first().waitFor()
  await page.locator(`[data-test=action-${action}]`).click()
  const dialog = page.locator('[data-test=opinion-dialog]')
  await dialog.locator('textarea[data-test=opinion-input]').fill(opinion)
  const done = page.waitForResponse(isAction)
  await dialog.locator('[data-test=opinion-confirm]').click()
  await expectStatus(await done, 200, `the city: ${action}`)
  await dialog.waitFor({ state: 'hidden' })
  await logout(page)
}

browserTest('lifecycle-presubsidy-returned-once-then-approved', async ({ page, url }) => {
  begin(8)
  // The signed project of step 7: 预奖补申请 for both contracts.
  await loginViaUi(page, url, ENTERPRISE)
  await page.goto(`${url}/workbench/signings`)
  await signingRow(page).locator('[data-test=presubsidy-apply]').click()
  await page.waitForURL((u) => /^\/workbench\/projects\/[^/]+\/presubsidies$/.test(u.pathname))
  const contracts = page.locator('[data-test=presubsidy-contracts] .el-table__body tr')
  await contracts.first().getByText('HT-2025-001').waitFor()
  for (const no of ['HT-2025-001', 'HT-2025-002']) await contracts.filter({ hasText: no }).locator('[data-test=presubsidy-pick]').click()
  const started = page.waitForResponse(isPath('POST', /^\/api\/projects\/[^/]+\/presubsidies$/))
  await page.locator('[data-test=presubsidy-start]').click()
  await expectStatus(await started, 201, 'starting the application')
  await page.waitForURL((u) => /^\/workbench\/presubsidies\/[^/]+$/.test(u.pathname))
  const applicationPath = new URL(page.url()).pathname
  assert.equal(await page.locator('[data-test=presubsidy-total]').innerText(), '30')
  // 提交 without the materials: each named.
  const early = page.waitForResponse(isPath('POST', /^\/api\/presubsidies\/[^/]+\/submit$/))
  await page.locator('[data-test=presubsidy-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await early, 422, 'submitting without the materials')
  await page.locator('[data-test=form-summary]').getByText('信用报告').waitFor()
  for (const [key, name] of [['application_form', '入库申报表.pdf'], ['commitment', '承诺书.pdf'], ['credit_report', '信用报告.pdf']]) {
    await field(page, key).locator('input[type=file]').setInputFiles({ name, mimeType: 'application/pdf', buffer: samplePdf() })
    await field(page, key).getByText(name).waitFor()
  }
  await shot(page, 'presubsidy-materials')
  const sent = page.waitForResponse(isPath('POST', /^\/api\/presubsidies\/[^/]+\/submit$/))
  await page.locator('[data-test=presubsidy-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await sent, 200, 'submitting the application')
  await page.locator('[data-test=presubsidy-status]').getByText('审核中').waitFor()
  await logout(page)

  // The city returns it (退回重填); the enterprise reads why, replaces the credit report and resubmits.
  await reviewPresubsidy(page, url, 'return', '信用报告需加盖企业公章')
  await loginViaUi(page, url, ENTERPRISE)
  await page.goto(`${url}${applicationPath}`)
  await page.locator('[data-test=presubsidy-status]').getByText('退回重填').waitFor()
  await page.locator('[data-test=presubsidy-opinion]').getByText('信用报告需加盖企业公章').waitFor()
  await field(page, 'credit_report').getByRole('button', { name: '移除信用报告.pdf' }).click()
  await field(page, 'credit_report').locator('input[type=file]').setInputFiles({ name: '信用报告（盖章）.pdf', mimeType: 'application/pdf', buffer: samplePdf() })
  await field(page, 'credit_report').getByText('信用报告（盖章）.pdf').waitFor()
  const again = page.waitForResponse(isPath('POST', /^\/api\/presubsidies\/[^/]+\/submit$/))
  await page.locator('[data-test=presubsidy-submit]').getByText('重新提交').click()
  await confirmSubmit(page)
  await expectStatus(await again, 200, 'resubmitting')
  await logout(page)

  // The city approves: 已审核, on the application and on the project's 预奖补 list.
  await reviewPresubsidy(page, url, 'approve', '同意预奖补')
  await loginViaUi(page, url, ENTERPRISE)
  await page.goto(`${url}${applicationPath}`)
  await page.locator('[data-test=presubsidy-status]').getByText('已审核').waitFor()
  await shot(page, 'presubsidy-approved')
  end(8)
})

browserTest('lifecycle-signing-changed-after-signing', async ({ page, url }) => {
  begin(9)
  // 信息变更 from the signing list: the signed record opens for editing; nothing is saved until 保存变更.
  await loginViaUi(page, url, ENTERPRISE)
  await page.goto(`${url}/workbench/signings`)
  await signingRow(page).locator('[data-test=signing-change-open]').click()
  await page.waitForURL((u) => /^\/workbench\/signings\/[^/]+$/.test(u.pathname))
  await page.locator('[data-test=signing-changing]').waitFor()
  // A contract the approved 预奖补 was filed on keeps its amounts: refused, named, and what was typed stays
  // (a reload brings it back, still in 信息变更).
  await tab(page, '合同信息')
  await cell(page, 'contracts[0].amount').locator('input').fill('31')
  await page.reload()
  await page.locator('[data-test=signing-changing]').waitFor()
  await tab(page, '合同信息')
  assert.equal(await cell(page, 'contracts[0].amount').locator('input').inputValue(), '31')
  const refused = page.waitForResponse(isPath('POST', /\/signing\/change$/))
  await page.locator('[data-test=signing-change-save]').click()
  await expectStatus(await refused, 422, 'changing a claimed contract')
  await page.locator('[data-test=signing-failure]').getByText('合同「HT-2025-001」已用于预奖补申请，不能删除或修改其编号与金额').waitFor()
  await shot(page, 'signing-change-refused')
  // Back to the signed amount, a later acceptance date: saved, still 已签约, read-only again.
  await cell(page, 'contracts[0].amount').locator('input').fill('30.5')
  await tab(page, '项目基本信息')
  await field(page, 'acceptance_date').locator('input').fill('2026-06-30')
  await field(page, 'acceptance_date').locator('input').press('Enter')
  const saved = page.waitForResponse(isPath('POST', /\/signing\/change$/))
  await page.locator('[data-test=signing-change-save]').click()
  await expectStatus(await saved, 200, 'the change')
  await page.locator('.el-message', { hasText: '信息变更已保存' }).waitFor()
  await page.locator('[data-test=signing-change]').waitFor()
  await page.locator('[data-test=signing-status]').getByText('已签约').waitFor()
  await page.getByText('2026-06-30').first().waitFor()
  end(9)
})

const implementationRow = (page) =>
  page.locator('[data-test=implementations] .el-table__body tr').filter({ has: page.locator('[data-test=implementation-name]', { hasText: new RegExp(`^${PROJECT}$`) }) })
const before = (page, key) => page.locator(`textarea[data-test=dimension-before-${key}]`)

browserTest('lifecycle-implementation-filled-by-the-lead-unit-then-submitted', async ({ page, url }) => {
  begin(10)
  // The signed project is at 项目实施-改造中: every dimension ticked; 是 sends the page to the lead unit.
  await loginViaUi(page, url, ENTERPRISE)
  await page.locator('[data-test=module-implementation]').click()
  await waitForPath(page, '/workbench/implementations')
  await implementationRow(page).locator('[data-test=implementation-status]').getByText('待提交').waitFor()
  await implementationRow(page).locator('[data-test=implementation-open]').click()
  await page.waitForURL((u) => /^\/workbench\/implementations\/[^/]+$/.test(u.pathname))
  const pagePath = new URL(page.url()).pathname
  await page.locator('[data-test=implementation-lead-unit]').getByText(LEAD_UNIT_NAME).waitFor()
  assert.equal(await page.locator('[data-test^=dimension-tick-] input:checked').count(), 8)
  await page.locator('[data-test=implementation-assisted] .el-radio', { hasText: '是' }).click()
  await shot(page, 'implementation-enterprise')
  const sent = page.waitForResponse(isPath('POST', /\/implementation\/send$/))
  await page.locator('[data-test=implementation-send]').click()
  await page.locator('.el-message-box').getByRole('button', { name: '确认发送' }).click()
  await expectStatus(await sent, 200, 'sending to the lead unit')
  await page.locator('[data-test=implementation-status]').getByText('牵引单位填写中').waitFor()
  await logout(page)

  // The lead unit: three dimensions apply; a ticked one left empty is named on its row.
  await loginViaUi(page, url, LEAD_UNIT)
  await page.locator('[data-test=module-implementation]').click()
  await waitForPath(page, '/workbench/implementations')
  await implementationRow(page).locator('[data-test=implementation-open]').click()
  await page.waitForURL((u) => u.pathname === pagePath)
  for (const key of ['innovation', 'market', 'cost', 'safety', 'other']) await page.locator(`[data-test=dimension-tick-${key}]`).click()
  await before(page, 'quality').fill('产品一次合格率 92.5%')
  await before(page, 'efficiency').fill('准时交货率 85%')
  const early = page.waitForResponse(isPath('POST', /\/implementation\/submit$/))
  await page.locator('[data-test=implementation-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await early, 422, 'a ticked dimension left empty')
  await page.locator('[data-test=dimension-problem]').getByText('已勾选「绿色维度」，请填写指标数据（改造前）').waitFor()
  await shot(page, 'implementation-lead-unit-refused')
  await before(page, 'green').fill('月均用电 12 万千瓦时')
  const back = page.waitForResponse(isPath('POST', /\/implementation\/submit$/))
  await page.locator('[data-test=implementation-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await back, 200, 'the lead unit submits')
  await page.locator('[data-test=implementation-status]').getByText('待企业确认').waitFor()
  await logout(page)

  // The enterprise checks and submits: 已提交; then 信息变更 corrects a figure.
  await loginViaUi(page, url, ENTERPRISE)
  await page.goto(`${url}${pagePath}`)
  await page.locator('[data-test=implementation-status]').getByText('待企业确认').waitFor()
  assert.equal(await before(page, 'green').inputValue(), '月均用电 12 万千瓦时')
  const done = page.waitForResponse(isPath('POST', /\/implementation\/submit$/))
  await page.locator('[data-test=implementation-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await done, 200, 'the enterprise submits')
  await page.locator('[data-test=implementation-status]').getByText('已提交').waitFor()
  await page.locator('[data-test=implementation-change]').click()
  await before(page, 'green').fill('月均用电 11.8 万千瓦时')
  const changed = page.waitForResponse(isPath('POST', /\/implementation\/change$/))
  await page.locator('[data-test=implementation-change-submit]').click()
  await expectStatus(await changed, 200, 'the change')
  await page.locator('.el-message', { hasText: '信息变更已提交' }).waitFor()
  await page.locator('[data-test=implementation-change]').waitFor()
  await shot(page, 'implementation-submitted')
  await page.goto(`${url}/workbench/implementations`)
  await implementationRow(page).locator('[data-test=implementation-status]').getByText('已提交').waitFor()
  end(10)
})

browserTest('lifecycle-city-sees-the-national-sync-status', async ({ page, url }) => {
  begin(11)
  // Each completed stage of the story's project is in the national platform's feed; nothing has been taken
  // yet (no national platform here), so the city reads 待同步 with the latest stage.
  await loginViaUi(page, url, CITY)
  await page.locator('[data-test=module-national-sync]').click()
  await waitForPath(page, '/workbench/lifecycle/national-sync')
  const story = page.locator('[data-test=national-sync] .el-table__body tr').filter({ has: page.getByText(PROJECT, { exact: true }) })
  await story.getByText('项目实施信息变更').waitFor()
  await story.locator('[data-test=sync-status]').getByText('待同步').waitFor()
  await shot(page, 'national-sync-city')
  end(11)
})

const evaluationRow = (page) =>
  page.locator('[data-test=evaluation-table] .el-table__body tr').filter({ has: page.locator('[data-test=evaluation-name]', { hasText: new RegExp(`^${PROJECT}$`) }) })

async function confirmEvaluationReport(page, url, action, opinion) {
  await page.goto(`${url}/workbench/diagnosis?tab=evaluation`)
  await evaluationRow(page).locator('[data-test=evaluation-status]').getByText('待企业确认评估报告').waitFor()
  await evaluationRow(page).locator('[data-test=evaluation-confirm-report]').click()
  await page.waitForURL((u) => u.pathname.startsWith('/workbench/review/cases/'))
  await page.getByText('改造后评估报告.pdf').first().waitFor()
  await page.locator(`[data-test=action-${action}]`).click()
  const dialog = page.locator('[data-test=opinion-dialog]')
  await dialog.locator('textarea[data-test=opinion-input]').fill(opinion)
  const acted = page.waitForResponse(isAction)
  await dialog.locator('[data-test=opinion-confirm]').click()
  await expectStatus(await acted, 200, `${action} the evaluation report`)
}

async function writeEvaluationReport(page, url, level) {
  await loginViaUi(page, url, AGENCY)
  await page.locator('[data-test=module-agency-tasks]').click()
  await waitForPath(page, '/workbench/agency/diagnoses')
  const task = page
    .locator('[data-test=diagnosis-tasks] .el-table__body tr')
    .filter({ has: page.locator('[data-test=task-name]', { hasText: new RegExp(`^${PROJECT}$`) }) })
    .filter({ has: page.locator('[data-test=task-phase]', { hasText: '事后评估' }) })
  await task.locator('[data-test=task-open]').click()
  await page.waitForURL((u) => u.pathname.startsWith('/workbench/agency/diagnoses/'))
  await page.getByText('事后评估报告').first().waitFor()
  if (!(await field(page, 'report_files').getByText('改造后评估报告.pdf').count())) {
    await field(page, 'report_files').locator('input[type=file]').setInputFiles({ name: '改造后评估报告.pdf', mimeType: 'application/pdf', buffer: samplePdf() })
    await field(page, 'report_files').getByText('改造后评估报告.pdf').waitFor()
    await field(page, 'opinion').locator('textarea').fill('MES 上线后准时交货率提升至 96%，产品一次合格率 97.8%。')
  }
  await radio(page, 'level', level)
  await shot(page, `evaluation-report-${level.slice(0, 2)}`)
  const submitted = page.waitForResponse(isPath('POST', /\/submit$/))
  await page.locator('[data-test=report-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await submitted, 200, 'submitting the evaluation report')
  await page.locator('[data-test=report-status]').getByText('待企业确认').waitFor()
  await logout(page)
}

browserTest('lifecycle-post-evaluation-by-the-chosen-agency', async ({ page, url }) => {
  begin(12)
  // The story's project was submitted at 项目实施-改造中 (step 10): 事后评估 is open.
  await loginViaUi(page, url, ENTERPRISE)
  await page.locator('[data-test=module-diagnosis]').click()
  await waitForPath(page, '/workbench/diagnosis')
  await page.locator('[data-test=diagnosis-tabs]').getByText('事后评估').click()
  await evaluationRow(page).locator('[data-test=evaluation-status]').getByText('待评估').waitFor()
  await evaluationRow(page).locator('[data-test=evaluation-start]').click()
  const dialog = page.locator('[data-test=evaluation-dialog]')
  await dialog.locator('[data-test=evaluation-mode-select]').click()
  await page.locator('.el-select-dropdown__item', { hasText: '评估机构评估' }).click()
  await dialog.locator('[data-test=evaluation-confirm]').click()
  await dialog.getByRole('alert').getByText('请选择评估机构').waitFor()
  await dialog.locator('[data-test=evaluation-agency-select]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '中国电子信息产业发展研究院' }).click()
  await shot(page, 'evaluation-dialog')
  const started = page.waitForResponse(isPath('POST', /^\/api\/projects\/[^/]+\/evaluation$/))
  await dialog.locator('[data-test=evaluation-confirm]').click()
  await expectStatus(await started, 200, 'starting the evaluation')
  await dialog.waitFor({ state: 'hidden' })
  await evaluationRow(page).locator('[data-test=evaluation-status]').getByText('待评估机构出具报告').waitFor()
  assert.equal(await evaluationRow(page).locator('[data-test=evaluation-agency]').innerText(), '中国电子信息产业发展研究院')
  await logout(page)

  // The agency writes it; the enterprise returns it once; the agency revises; the enterprise confirms.
  await writeEvaluationReport(page, url, '三级（集成级）')
  await loginViaUi(page, url, ENTERPRISE)
  await confirmEvaluationReport(page, url, 'return', '请补充准时交货率改造前后的对比数据。')
  await logout(page)
  await writeEvaluationReport(page, url, '四级（协同级）')
  await loginViaUi(page, url, ENTERPRISE)
  await confirmEvaluationReport(page, url, 'approve', '确认评估报告。')
  await page.goto(`${url}/workbench/diagnosis?tab=evaluation`)
  await evaluationRow(page).locator('[data-test=evaluation-status]').getByText('已评估').waitFor()
  assert.equal(await evaluationRow(page).locator('[data-test=evaluation-level]').innerText(), '四级（协同级）')
  await shot(page, 'evaluation-done')
  end(12)
})

/** A project filed (自诊断), signed with LEAD_UNIT and a product of its pool, and submitted at 项目实施-改造中,
 * through the API as the enterprise would through the pages of steps 1, 7 and 10. */
async function implementedViaApi(url, name) {
  const id = await fileViaApi(url, name, '自诊断')
  const ent = apiClient(url)
  await ent.login(ENTERPRISE.username, ENTERPRISE.password)
  const lead = (await ent.get('/api/lead-units')).body.items.find((o) => o.name === LEAD_UNIT_NAME)
  const product = (await ent.get(`/api/pools/${lead.id}/products?q=${encodeURIComponent('智造MES')}`)).body.items[0]
  const contract = await ent.upload('attachment', '项目合同.pdf', 'application/pdf', samplePdf())
  const signing = (await ent.get(`/api/projects/${id}/signing`)).body
  const values = {
    ...signing.values,
    acceptance_date: '2026-03-31',
    chain_leader: false,
    contracts: [{ contract_no: 'HT-2025-101', amount: '15', provider: product.provider_name, contract_file: [contract.id], subsidy_amount: '10' }],
    assisted: false,
    demands: [{ scene: '生产管控', description: '车间报工靠纸质单据', analysis: '数据滞后，需要实时采集' }],
  }
  const products = [{ product_id: product.id, cloud: '公有云', agent: false, intro: '上线MES', start: '2025-06-01', end: '2025-12-31',
    purchase_mode: '按年订阅', price: '12', scene: '生产管控', scene_description: '报工数据实时采集' }]
  const signed = await ent.post(`/api/projects/${id}/signing/submit`, { values, products, lead_unit_id: lead.id, version: signing.version })
  assert.equal(signed.status, 200, JSON.stringify(signed.body))
  const page = (await ent.get(`/api/projects/${id}/implementation`)).body
  const form = { ...page.form, assisted: false, dimensions: page.form.dimensions.map((d, i) => ({ ...d, ticked: i === 0, before: i === 0 ? '新产品研发周期 18 个月' : d.before })) }
  const done = await ent.post(`/api/projects/${id}/implementation/submit`, { form, version: page.version })
  assert.equal(done.status, 200, JSON.stringify(done.body))
  return id
}

browserTest('lifecycle-city-assigns-the-evaluation-agency', async ({ page, url }) => {
  begin(13)
  const ASSIGNED = `${PROJECT}（评估分配）`
  await implementedViaApi(url, ASSIGNED)
  const assignedRow = (p) =>
    p.locator('[data-test=evaluation-table] .el-table__body tr').filter({ has: p.locator('[data-test=evaluation-name]', { hasText: ASSIGNED }) })

  // The enterprise asks the city to assign the agency.
  await loginViaUi(page, url, ENTERPRISE)
  await page.goto(`${url}/workbench/diagnosis?tab=evaluation`)
  await assignedRow(page).locator('[data-test=evaluation-status]').getByText('待评估').waitFor()
  await assignedRow(page).locator('[data-test=evaluation-start]').click()
  const dialog = page.locator('[data-test=evaluation-dialog]')
  await dialog.locator('[data-test=evaluation-mode-select]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '市工信局分配' }).click()
  await dialog.getByText('确认后由市工业和信息化局分配评估机构').waitFor()
  const sent = page.waitForResponse(isPath('POST', /^\/api\/projects\/[^/]+\/evaluation$/))
  await dialog.locator('[data-test=evaluation-confirm]').click()
  await expectStatus(await sent, 200, 'sending the evaluation to the city')
  await assignedRow(page).locator('[data-test=evaluation-status]').getByText('待市工信局分配').waitFor()
  await logout(page)

  // The city assigns it on the 事后评估 tab of 诊断评估分配.
  await loginViaUi(page, url, CITY)
  await page.locator('[data-test=module-diagnosis-assignments]').click()
  await waitForPath(page, '/workbench/lifecycle/diagnosis-assignments')
  await page.locator('[data-test=assignment-phase]').getByText('事后评估').click()
  const row = page.locator('[data-test=assignments-table] .el-table__body tr', { hasText: ASSIGNED })
  await row.locator('[data-test=assignment-status]').getByText('待市工信局分配').waitFor()
  assert.equal(await page.locator('[data-test=lifecycle-settings]').count(), 0, 'the diagnosis deadline is not the evaluation\'s')
  await row.locator('[data-test=assignment-assign]').click()
  const assign = page.locator('[data-test=assignment-dialog]')
  await assign.getByText('分配评估机构').first().waitFor()
  await assign.locator('[data-test=assignment-agency-select]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '中国电子信息产业发展研究院' }).click()
  await shot(page, 'evaluation-assignment-dialog')
  const assigned = page.waitForResponse(isPath('POST', /^\/api\/lifecycle\/evaluation-assignments\/[^/]+$/))
  await assign.locator('[data-test=assignment-confirm]').click()
  await expectStatus(await assigned, 200, 'assigning the evaluation agency')
  await row.locator('[data-test=assignment-status]').getByText('待评估机构出具报告').waitFor()
  assert.equal(await row.locator('[data-test=assignment-agency]').innerText(), '中国电子信息产业发展研究院')
  await shot(page, 'evaluation-assignments-city')
  await logout(page)

  await loginViaUi(page, url, ENTERPRISE)
  await page.goto(`${url}/workbench/diagnosis?tab=evaluation`)
  await assignedRow(page).locator('[data-test=evaluation-status]').getByText('待评估机构出具报告').waitFor()
  assert.equal(await assignedRow(page).locator('[data-test=evaluation-agency]').innerText(), '中国电子信息产业发展研究院')
  end(13)
})

browserTest('lifecycle-completion-results-ratings-and-invoices', async ({ page, url }) => {
  begin(14)
  const NAME = `${PROJECT}（评估分配）`
  const pdf = (name) => ({ name, mimeType: 'application/pdf', buffer: samplePdf() })
  await loginViaUi(page, url, ENTERPRISE)
  await page.locator('[data-test=module-acceptance]').click()
  await waitForPath(page, '/workbench/completions')
  const row = page.locator('[data-test=completions] .el-table__body tr', { hasText: NAME })
  await row.locator('[data-test=completion-status]').getByText('待提交').waitFor()
  await row.locator('[data-test=completion-open]').click()
  await page.waitForURL(/\/workbench\/completions\/[^/?]+$/)
  await page.locator('[data-test=result-dimensions]').waitFor()

  // Too early: refused, every missing part named on its row.
  const early = page.waitForResponse(isPath('POST', /^\/api\/projects\/[^/]+\/completion\/submit$/))
  await page.locator('[data-test=completion-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await early, 422, 'submitting the empty completion')
  await page.locator('[data-test=completion-failure]').waitFor()
  await page.locator('[data-test=result-problem]').first().waitFor()

  // 数字化改造成效: the levels, the after-value of the dimension ticked in stage 3, its evidence.
  assert.equal(await page.locator('[data-test=result-dimensions]').getByText('新产品研发周期 18 个月').count(), 1, 'the before-value of stage 3')
  for (const [key, level] of [['level-before', '二级（规范级）'], ['level-after', '三级（集成级）']]) {
    await pickOption(page, page.locator(`[data-test=${key}]`), level)
    // Both lists hold the same levels: the first must be closed before the second opens.
    await page.locator('.el-select-dropdown__item:visible', { hasText: level }).first().waitFor({ state: 'hidden' })
  }
  await page.locator('[data-test=result-after-innovation]').fill('新产品研发周期 12 个月')
  await page.locator('[data-test=result-evidence-innovation] input[type=file]').setInputFiles(pdf('研发周期佐证.pdf'))
  await page.locator('[data-test=result-evidence-innovation]').getByText('研发周期佐证.pdf').waitFor()

  // 服务商评价: the provider of the signed product, four ratings.
  await page.getByRole('tab', { name: '服务商评价' }).click()
  await page.locator('[data-test=rating-0]').getByText('智造MES').first().waitFor()
  for (const [k, stars] of [['product', 5], ['overall', 4], ['attitude', 5], ['after_sales', 4]]) {
    await page.locator(`[data-test=rating-0-${k}-stars]`).getByRole('radio', { name: `${stars}星` }).click()
    await page.locator(`[data-test=rating-0-${k}-text]`).fill('上线及时，培训到位')
  }

  // 佐证材料: the files, two invoices paid by one voucher, the totals computed.
  await page.getByRole('tab', { name: '佐证材料' }).click()
  await page.locator('[data-test=document-quotation] input[type=file]').setInputFiles(pdf('项目合同报价单.pdf'))
  await page.locator('[data-test=document-invoice] input[type=file]').setInputFiles(pdf('项目合同发票.pdf'))
  await page.locator('[data-test=document-invoice]').getByText('项目合同发票.pdf').waitFor()
  const fillInvoice = async (i, number, lines) => {
    await page.locator('[data-test=invoice-add]').click()
    const inv = page.locator(`[data-test=invoice-${i}]`)
    await inv.locator(`[data-test=invoice-${i}-code]`).fill('044001900111')
    await inv.locator(`[data-test=invoice-${i}-number]`).fill(number)
    await inv.locator('input[placeholder=选择日期]').fill('2025-09-17')
    await inv.locator('input[placeholder=选择日期]').press('Enter')
    await inv.locator(`[data-test=invoice-${i}-seller]`).fill('中山市智汇五金云科技有限公司（演示）')
    for (const [j, [name, amount, tax]] of lines.entries()) {
      if (j > 0) await inv.locator(`[data-test=invoice-${i}-add-line]`).click()
      await inv.locator(`[data-test=invoice-${i}-line-${j}-name]`).fill(name)
      await inv.locator(`[data-test=invoice-${i}-line-${j}-amount]`).fill(amount)
      await inv.locator(`[data-test=invoice-${i}-line-${j}-tax]`).fill(tax)
    }
  }
  await fillInvoice(0, '00012345', [['智造MES', '100,000.10', '6000.01'], ['实施服务', '0.1', '0.2']])
  assert.equal(await page.locator('[data-test=invoice-0-line-0-total]').innerText(), '106,000.11')
  await page.locator('[data-test=invoice-0-vouchers] input[type=file]').setInputFiles(pdf('银行付款凭证.pdf'))
  await page.locator('[data-test=invoice-0-vouchers]').getByText('银行付款凭证.pdf').waitFor()
  await fillInvoice(1, '00012346', [['培训服务', '0.2', '0.1']])
  await page.locator('[data-test=invoice-1-shared-vouchers]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '银行付款凭证.pdf' }).click()
  await page.keyboard.press('Escape')
  assert.deepEqual(
    await Promise.all(['sum-amount', 'sum-tax', 'sum-total', 'sum-vouchers'].map((k) => page.locator(`[data-test=${k}]`).innerText())),
    ['100,000.40', '6,000.31', '106,000.71', '1 份'],
    'the totals are the lines summed to the fen; the shared voucher counts once',
  )
  await shot(page, 'completion-invoices')

  // 预览, then 提交 from it.
  await page.locator('[data-test=completion-preview-open]').click()
  const preview = page.locator('[data-test=completion-preview]')
  await preview.getByText('发票总金额 100,000.40 元，发票总税额 6,000.31 元，总价税 106,000.71 元').waitFor()
  await shot(page, 'completion-preview')
  const submitted = page.waitForResponse(isPath('POST', /^\/api\/projects\/[^/]+\/completion\/submit$/))
  await preview.locator('[data-test=preview-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await submitted, 200, 'submitting the completion')
  await page.locator('[data-test=completion-status]').getByText('已提交').waitFor()
  await page.locator('[data-test=completion-change]').waitFor()

  // The provider's reputation in the catalogue.
  await page.goto(`${url}/products`)
  const card = page.locator('[data-test=catalogue-card]', { hasText: '智造MES' }).first()
  await card.locator('[data-test=catalogue-reputation]').waitFor()
  assert.match(await card.locator('[data-test=catalogue-reputation]').innerText(), /★ \d\.\d/)
  // … and on the provider's own page, with what the enterprise wrote (not who wrote it).
  await card.click()
  await page.locator('[data-test=catalogue-provider-link]').click()
  await page.waitForURL(/\/providers\/[^/]+$/)
  await page.locator('[data-test=provider-reputation]').getByText('个试点项目评价').waitFor()
  await page.locator('[data-test=provider-reviews]').getByText('上线及时，培训到位').first().waitFor()
  await page.locator('[data-test=provider-products]').getByText('智造MES').first().waitFor()
  await shot(page, 'provider-page')
  end(14)
})

/** Acts on the 项目入库 of `name` from 待办审核. */
const reviewAcceptance = (page, url, user, name, action, opinion) => review(page, url, user, action, opinion, { row: `项目入库：${name}`, shows: name })

browserTest('lifecycle-acceptance-window-expert-return-and-accepted', async ({ page, url }) => {
  begin(15)
  const NAME = `${PROJECT}（评估分配）`
  const pdf = (name) => ({ name, mimeType: 'application/pdf', buffer: samplePdf() })

  // The city opens the window (yesterday to a month ahead).
  await loginViaUi(page, url, CITY)
  await page.locator('[data-test=module-acceptance-assignments]').click()
  await waitForPath(page, '/workbench/lifecycle/acceptance-assignments')
  await page.locator('[data-test=window-state]').getByText('未设置').waitFor()
  const inputs = page.locator('[data-test=window-item] input.el-range-input')
  const [opens, closes] = [wallTime(new Date(Date.now() - 86400e3)), wallTime(new Date(Date.now() + 30 * 86400e3))]
  await inputs.nth(0).click()
  await inputs.nth(0).fill(opens)
  await inputs.nth(0).press('Enter')
  await inputs.nth(1).click()
  await inputs.nth(1).fill(closes)
  await inputs.nth(1).press('Enter')
  await page.keyboard.press('Escape')
  const windowSaved = page.waitForResponse(isPath('PUT', /^\/api\/acceptance\/window$/))
  await page.locator('[data-test=acceptance-window-save]').click()
  await expectStatus(await windowSaved, 200, 'saving the window')
  await page.locator('[data-test=window-state]').getByText('开放中').waitFor()
  await logout(page)

  // The enterprise: 项目入库, prefilled; too early a submission names the evidence; then uploads and submits.
  await loginViaUi(page, url, ENTERPRISE)
  await page.locator('[data-test=module-acceptance-entry]').click()
  await waitForPath(page, '/workbench/acceptances')
  await page.locator('[data-test=acceptances-window]').getByText('项目入库开放时段').waitFor()
  const row = page.locator('[data-test=acceptances] .el-table__body tr', { hasText: NAME })
  await row.locator('[data-test=acceptance-row-status]').getByText('待提交').waitFor()
  await row.locator('[data-test=acceptance-open]').click()
  await page.waitForURL(/\/workbench\/acceptances\/[^/?]+$/)
  await tab(page, '项目基本信息')
  assert.equal(await field(page, 'project_name').locator('input').inputValue(), NAME, 'prefilled from the filing')
  assert.match(await field(page, 'results').locator('textarea').inputValue(), /改造后 新产品研发周期 12 个月/, 'prefilled from 改造完成')
  const early = page.waitForResponse(isPath('POST', /^\/api\/projects\/[^/]+\/acceptance\/submit$/))
  await page.locator('[data-test=acceptance-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await early, 422, 'submitting without evidence')
  await page.locator('[data-test=form-summary]').waitFor()
  await tab(page, '佐证材料')
  for (const [key, name] of [['contract_files', '项目合同.pdf'], ['evaluation_report_files', '事后评估报告.pdf'], ['invoice_files', '发票及付款凭证.pdf']]) {
    await field(page, key).locator('input[type=file]').setInputFiles(pdf(name))
    await field(page, key).getByText(name).waitFor()
  }
  const saved = page.waitForResponse(isPath('PUT', /^\/api\/projects\/[^/]+\/acceptance$/))
  await page.locator('[data-test=acceptance-save]').click()
  await expectStatus(await saved, 200, 'saving the acceptance')
  await page.locator('[data-test=acceptance-preview]').click()
  const preview = page.locator('[data-test=acceptance-preview-dialog]')
  await preview.getByText('事后评估报告.pdf').waitFor()
  await shot(page, 'acceptance-preview')
  const submitted = page.waitForResponse(isPath('POST', /^\/api\/projects\/[^/]+\/acceptance\/submit$/))
  await preview.getByRole('button', { name: '提交' }).click()
  await confirmSubmit(page)
  await expectStatus(await submitted, 200, 'submitting the acceptance')
  await page.locator('[data-test=acceptance-status]').getByText('镇街审核中').waitFor()
  await logout(page)

  // The city assigns the expert.
  await loginViaUi(page, url, CITY)
  await page.goto(`${url}/workbench/lifecycle/acceptance-assignments`)
  const assignRow = page.locator('[data-test=acceptance-assignments] .el-table__body tr', { hasText: NAME })
  await assignRow.locator('[data-test=expert-select]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '李验收' }).click()
  const assigned = page.waitForResponse(isPath('PUT', /^\/api\/projects\/[^/]+\/acceptance\/expert$/))
  await assignRow.locator('[data-test=expert-assign]').click()
  await expectStatus(await assigned, 200, 'assigning the expert')
  await shot(page, 'acceptance-assignments')
  await logout(page)

  await reviewAcceptance(page, url, TOWN, NAME, 'approve', '同意，材料属实。')
  // The other expert of the same pool has nothing of it.
  await loginViaUi(page, url, OTHER_EXPERT)
  await page.goto(`${url}/workbench/review/todo`)
  await page.locator('[data-test=todo-table]').waitFor()
  assert.equal(await page.locator('[data-test=todo-table] .el-table__body tr', { hasText: NAME }).count(), 0, 'another expert sees none of it')
  await logout(page)
  await reviewAcceptance(page, url, EXPERT, NAME, 'return', '请补充系统截图。')

  // The enterprise reads the opinion, adds the screenshots, resubmits: straight back to 验收专家审核.
  await loginViaUi(page, url, ENTERPRISE)
  await page.goto(`${url}/workbench/acceptances`)
  await page.locator('[data-test=acceptances] .el-table__body tr', { hasText: NAME }).locator('[data-test=acceptance-open]').click()
  await page.locator('[data-test=acceptance-opinion]').getByText('请补充系统截图。').waitFor()
  await tab(page, '佐证材料')
  await field(page, 'screenshot_files').locator('input[type=file]').setInputFiles(pdf('系统截图.pdf'))
  await field(page, 'screenshot_files').getByText('系统截图.pdf').waitFor()
  const resubmitted = page.waitForResponse(isPath('POST', /^\/api\/projects\/[^/]+\/acceptance\/submit$/))
  await page.locator('[data-test=acceptance-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await resubmitted, 200, 'resubmitting the acceptance')
  await page.locator('[data-test=acceptance-status]').getByText('验收专家审核中').waitFor()
  await logout(page)

  await reviewAcceptance(page, url, EXPERT, NAME, 'approve', '验收通过。')
  await reviewAcceptance(page, url, CITY, NAME, 'approve', '同意入库。')

  await loginViaUi(page, url, ENTERPRISE)
  await page.goto(`${url}/workbench/acceptances`)
  await page.locator('[data-test=acceptances] .el-table__body tr', { hasText: NAME }).locator('[data-test=acceptance-row-status]').getByText('已入库').waitFor()
  await shot(page, 'acceptance-accepted')
  await page.goto(`${url}/workbench/projects`)
  await page.locator('[data-test=projects-table] .el-table__body tr', { hasText: NAME }).getByText('已入库').first().waitFor()
  end(15)
})
