// (j) 申报 (spec 50 Calls; seeds 003 §4.3.1, §5.4–5.6 and 004), end to end through the UI:
//     1. the Huizhou bureau (huizhou_admin) creates a program, a track on it and a call on the track, designs a
//        small form in the designer (a 是/否 question with a field shown only for 是, and a table the applicant
//        adds rows to), keeps the window around now and publishes; the notice is on the portal;
//     2. the Huizhou demo enterprise finds it in 我要申报, fills it in (是 and the field it reveals, two table
//        rows), leaves the page and finds its draft again in 我的项目, is told what is missing when it submits
//        too early, generates the 申报书 and waits for it, uploads a stamped PDF, submits, and sees it in 我的项目;
//     3. the seeded Xiamen pilot call (data/calls/xiamen-2024-pilot) by the Xiamen demo enterprise from the
//        portal notice: 立即申报, the truthfulness declaration, its self-assessment, the form, the attachments,
//        the 申报书, 提交;
//     4. the review of step 2's application (issue 16): 惠城区's administrator sets the track's 责任科室; the
//        district's section handler 推荐s it with an opinion, the city section's handler and then its leader
//        recommend it, the province approves; the city handler finds it in 项目中心 under 已推荐 and exports the
//        汇总表, which is opened and checked (sheet name, headers, one row); the enterprise's 我的项目 says 审核通过;
//        the program's owner downloads the 推荐汇总表 (附件3's layout, checked) and publishes the 结果公示, which a
//        visitor finds on the portal with the unit listed.
//
// The steps share one server (one file = one server) and run in order; each logs in afresh.
import assert from 'node:assert/strict'
import { unzipSync, strFromU8 } from 'fflate'
import { apiClient, confirmSubmit, downloadedBy, expectStatus, loginViaUi, samplePdf, useServer, waitForPath, wallTime } from '../harness.mjs'

const browserTest = useServer()

const DEMO_PASSWORD = 'Shuzhuan@2026'
const HUIZHOU = { username: 'huizhou_admin', password: DEMO_PASSWORD }
const ENTERPRISE = { username: 'enterprise_demo', password: DEMO_PASSWORD }
const XIAMEN_ENTERPRISE = { username: 'xiamen_enterprise_demo', password: DEMO_PASSWORD }

const TAG = String(Date.now() % 100000)
const PROGRAM = `${new Date().getFullYear()}年惠州市数字化转型示范项目${TAG}`
const TRACK = `智能工厂${TAG}`
const PROJECT = `注塑车间数字化改造${TAG}`
const PDF = samplePdf()

/** Filled by step 1, used by step 2. */
const story = { callId: '', keys: { yesNo: '', conditional: '', table: '', columns: [] } }

let passed = 0
function begin(step) {
  assert.equal(passed, step - 1, `step ${step} needs the steps before it to have passed`)
}
function end(step) {
  passed = step
}

const isPath = (method, re) => (r) => r.request().method() === method && re.test(new URL(r.url()).pathname)

/** Type a range into the el-date-picker range inside `scope` and check it took. */
async function fillRange(page, scope, start, endText) {
  const inputs = scope.locator('input.el-range-input')
  await inputs.nth(0).click()
  await inputs.nth(0).fill(start)
  await inputs.nth(0).press('Enter')
  await inputs.nth(1).click()
  await inputs.nth(1).fill(endText)
  await inputs.nth(1).press('Enter')
  await page.waitForFunction(
    ([el, a, b]) => el.querySelectorAll('input.el-range-input')[0]?.value === a && el.querySelectorAll('input.el-range-input')[1]?.value === b,
    [await scope.elementHandle(), start, endText],
  )
}

/** The el-form-item of the open form whose label is `label`. */
function formItem(page, scope, label) {
  return scope.locator('.el-form-item', { has: page.locator(':scope > .el-form-item__label', { hasText: label }) }).first()
}

async function logout(page) {
  await page.getByRole('navigation', { name: '主导航' }).getByText('退出登录').click()
  await waitForPath(page, '/login')
}

// ---------------------------------------------------------------------------------------------
// 1. The official: program, track, call, form, publish
// ---------------------------------------------------------------------------------------------

browserTest('calls-official-creates-and-publishes-a-call', async ({ page, url }) => {
  begin(1)
  await loginViaUi(page, url, HUIZHOU)
  await page.locator('[data-test=module-calls-admin]').click()
  await waitForPath(page, '/workbench/calls/manage')

  // 新建专题
  await page.locator('[data-test=program-new]').click()
  const programDialog = page.locator('[data-test=program-dialog]')
  await programDialog.locator('[data-test=program-name]').fill(PROGRAM)
  await programDialog.locator('.el-radio', { hasText: '非资金类' }).click()
  const programCreated = page.waitForResponse(isPath('POST', /^\/api\/calls\/programs$/))
  await programDialog.locator('[data-test=program-save]').click()
  await expectStatus(await programCreated, 201, 'creating the program')
  await programDialog.waitFor({ state: 'hidden' })

  // 新增方向: its window from yesterday to a month ahead.
  const row = page.locator('[data-test=programs-table] .el-table__body tr', { hasText: PROGRAM }).first()
  await row.waitFor()
  await page.locator('[data-test=track-new]').first().click()
  const trackDialog = page.locator('[data-test=track-dialog]')
  await trackDialog.locator('[data-test=track-name]').fill(TRACK)
  const opens = wallTime(new Date(Date.now() - 24 * 3600 * 1000))
  const closes = wallTime(new Date(Date.now() + 30 * 24 * 3600 * 1000))
  await fillRange(page, trackDialog.locator('.el-form-item', { hasText: '申报时间' }), opens, closes)
  await trackDialog.locator('textarea[data-test=track-guide]').fill('一、申报条件：在惠州市依法注册的工业企业。\n二、申报材料：申报书（盖章）。')
  const trackCreated = page.waitForResponse(isPath('POST', /^\/api\/calls\/programs\/[^/]+\/tracks$/))
  await trackDialog.locator('[data-test=track-save]').click()
  await expectStatus(await trackCreated, 201, 'creating the track')
  await trackDialog.waitFor({ state: 'hidden' })

  // 创建申报通知 on the track: the editor opens on the draft.
  const trackRow = page.locator('.calls-manage__tracks .el-table__body tr', { hasText: TRACK })
  const callCreated = page.waitForResponse(isPath('POST', /^\/api\/calls$/))
  await trackRow.locator('[data-test=call-create]').click()
  const created = await callCreated
  await expectStatus(created, 201, 'creating the call')
  story.callId = (await created.json()).id
  await waitForPath(page, `/workbench/calls/${story.callId}/edit`)
  await page.locator('[data-test=call-edit-status]').getByText('草稿').waitFor()

  // 基本设置: the window the call starts with is the track's (it includes now).
  const windowInputs = page.locator('[data-test=call-window] input.el-range-input')
  assert.equal(await windowInputs.first().inputValue(), opens)
  // 是否需要区县审核: 需要, the districts closing when the applicants do (the story goes district → city → province).
  await formItem(page, page.locator('.call-edit__form').first(), '是否需要区县审核').locator('.el-radio', { hasText: '需要' }).filter({ hasNotText: '不需要' }).click()
  const deadline = formItem(page, page.locator('.call-edit__form').first(), '区县审核截止时间').locator('input')
  await deadline.click()
  await deadline.fill(closes)
  await deadline.press('Enter')
  await page.waitForFunction(([el, v]) => el.value === v, [await deadline.elementHandle(), closes])

  // 申报通知: some of the notice's metadata.
  await page.getByRole('tab', { name: '申报通知' }).click()
  await page.locator('[data-test=notice-policy_level]').fill('市级')
  await page.locator('[data-test=notice-region]').fill('惠州市')
  await page.locator('[data-test=notice-department]').fill('惠州市工业和信息化局')
  await page.locator('[data-test=notice-basis]').fill(`关于组织申报${PROGRAM}的通知`)
  await page.locator('textarea[data-test=notice-conditions]').fill('在惠州市行政区域内依法注册、具有独立法人资格的工业企业。')
  const settingsSaved = page.waitForResponse(isPath('PUT', new RegExp(`^/api/calls/${story.callId}$`)))
  await page.locator('[data-test=settings-save]').click()
  await expectStatus(await settingsSaved, 200, 'saving the settings')

  // 申报表: the designer, starting from the starter form (申报单位名称, 统一社会信用代码, 项目名称).
  await page.getByRole('tab', { name: '申报表' }).click()
  await page.locator('[data-test=form-version]').getByText('第1版').waitFor()
  const settings = page.locator('.form-designer__settings')
  await page.locator('[data-test=fd-add-yes_no]').click()
  await settings.locator('[data-test=fs-label]').fill('是否拥有自主知识产权')
  await page.locator('[data-test=fd-add-text]').click()
  await settings.locator('[data-test=fs-label]').fill('知识产权名称')
  await formItem(page, settings, '必填').locator('.el-switch').click()
  await settings.locator('[data-test=fs-when]').click() // shown when the 是/否 just above is 是
  await settings.locator('.field-settings__when').getByText('时显示', { exact: true }).waitFor()
  await page.locator('[data-test=fd-add-table]').click()
  await settings.locator('[data-test=fs-label]').fill('主要产品')
  await settings.getByLabel('第1列名称').fill('产品名称')
  await settings.locator('[data-test=fs-add-column]').click()
  await settings.getByLabel('第2列名称').fill('规格型号')
  await page.locator('[data-test=fd-check-ok]').waitFor()

  const formSaved = page.waitForResponse(isPath('PUT', new RegExp(`^/api/calls/${story.callId}/form$`)))
  await page.locator('[data-test=form-save]').click()
  const savedForm = await formSaved
  await expectStatus(savedForm, 200, 'saving the form')
  const { schema, version } = await savedForm.json()
  assert.equal(version, 2)
  await page.locator('[data-test=form-version]').getByText('第2版').waitFor()
  const fields = schema.sections.flatMap((s) => s.fields)
  const yesNo = fields.find((f) => f.type === 'yes_no')
  const conditional = fields.find((f) => f.label === '知识产权名称')
  const table = fields.find((f) => f.type === 'table')
  assert.deepEqual(conditional.when, { field: yesNo.key, equals: true })
  assert.equal(conditional.required, true)
  assert.equal(table.fixed_rows, undefined)
  story.keys = { yesNo: yesNo.key, conditional: conditional.key, table: table.key, columns: table.columns.map((c) => c.key) }

  // 发布
  await page.getByRole('tab', { name: '发布' }).click()
  await page.locator('[data-test=publish-checklist]').getByText('第2版').waitFor()
  await page.locator('[data-test=call-publish]').click()
  const published = page.waitForResponse(isPath('POST', new RegExp(`^/api/calls/${story.callId}/publish$`)))
  await page.locator('.el-message-box').getByRole('button', { name: '发布' }).click()
  await expectStatus(await published, 200, 'publishing')
  await page.locator('[data-test=call-edit-status]').getByText('已发布').waitFor()

  // The list shows it published with its form version; the portal (from its home page) lists it as 申报中.
  await page.goto(`${url}/workbench/calls/manage`)
  const callRow = page.locator('[data-test=calls-table] .el-table__body tr', { hasText: TRACK })
  await callRow.locator('[data-test=call-status]').getByText('已发布').waitFor()
  await callRow.getByText('第2版').waitFor()
  await page.goto(url)
  await page.locator('[data-test=home-calls-link]').click()
  await waitForPath(page, '/calls')
  await page.locator('[data-test=notices-phase]').getByText('申报中').click()
  const item = page.locator('[data-test=notice-item]', { hasText: TRACK })
  await item.locator('[data-test=notice-phase]').getByText('申报中').waitFor()
  await item.getByRole('link').click()
  await waitForPath(page, `/calls/${story.callId}`)
  const meta = page.locator('[data-test=notice-meta]')
  for (const text of ['政策层级', '市级', '发布地区', '惠州市', '主管部门', '文件依据', '申报时间']) await meta.getByText(text).first().waitFor()
  await page.locator('[data-test=notice-conditions]').getByText('依法注册').waitFor()
  end(1)
})

// ---------------------------------------------------------------------------------------------
// 2. The enterprise: 我要申报, fill, leave and come back, 申报书, stamped copy, 提交, 我的项目
// ---------------------------------------------------------------------------------------------

browserTest('calls-enterprise-applies', async ({ page, url }) => {
  begin(2)
  await loginViaUi(page, url, ENTERPRISE)
  await page.locator('[data-test=module-calls]').click()
  await waitForPath(page, '/workbench/calls')
  const row = page.locator('[data-test=open-calls-table] .el-table__body tr', { hasText: TRACK })
  await row.getByText(PROGRAM).waitFor()
  const applied = page.waitForResponse(isPath('POST', new RegExp(`^/api/calls/${story.callId}/apply$`)))
  await row.locator('[data-test=call-apply]').click()
  await expectStatus(await applied, 200, 'applying')
  await page.waitForURL((u) => u.pathname.startsWith('/workbench/calls/applications/'))
  const applicationPath = new URL(page.url()).pathname

  // The deadline and a countdown by the server's clock (a month ahead: not red).
  await page.locator('[data-test=countdown]').getByText(/^\d+天 \d+时 \d+分 \d+秒$/).waitFor()
  assert.equal(await page.locator('[data-test=countdown]').getAttribute('data-state'), 'open')

  // 申报表: the project, 是 and the field it reveals, two rows.
  const form = page.locator('.form-renderer')
  await form.locator('[data-field=project_name] input').fill(PROJECT)
  assert.equal(await form.locator(`[data-field=${story.keys.conditional}]`).count(), 0, 'hidden until 是')
  await form.locator(`[data-field=${story.keys.yesNo}] .el-radio`, { hasText: '是' }).click()
  await form.locator(`[data-field=${story.keys.conditional}] input`).fill('一种注塑模具温控装置（ZL2023XXXXXXXX.X）')
  const add = form.locator(`[data-field=${story.keys.table}] [data-test=form-table-add]`)
  await add.click()
  await add.click()
  const [c1, c2] = story.keys.columns
  const cell = (i, c) => form.locator(`[data-field="${story.keys.table}[${i}].${c}"] input`)
  await cell(0, c1).fill('精密注塑件')
  await cell(0, c2).fill('JZ-100')
  await cell(1, c1).fill('汽车内饰件')
  await cell(1, c2).fill('QN-200')

  // Saved 3 s after the last change.
  const autosaved = page.waitForResponse(isPath('PUT', /^\/api\/calls\/applications\/[^/]+$/), { timeout: 15_000 })
  await expectStatus(await autosaved, 200, 'the autosave')
  await page.locator('[data-test=save-state]').getByText(/^已保存 \d\d:\d\d$/).waitFor()

  // Leave the page; the draft is in 我的项目 and comes back as it was.
  await page.locator('[data-test=menu-calls-mine]').click()
  await waitForPath(page, '/workbench/calls/mine')
  const project = page.locator('[data-test=my-projects-table] .el-table__body tr', { hasText: TRACK })
  await project.locator('[data-test=my-project-stage]').getByText('待提交').waitFor()
  await project.locator('[data-test=my-project-continue]').click()
  await waitForPath(page, applicationPath)
  await page.waitForFunction((v) => document.querySelector('[data-field=project_name] input')?.value === v, PROJECT)
  assert.equal(await cell(1, c2).inputValue(), 'QN-200')
  assert.equal(await form.locator(`[data-field=${story.keys.conditional}] input`).inputValue(), '一种注塑模具温控装置（ZL2023XXXXXXXX.X）')

  // 提交 too early: the server names what is missing (the stamped 申报书) and the page opens its tab.
  const early = page.waitForResponse(isPath('POST', /\/submit$/))
  await page.locator('[data-test=application-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await early, 422, 'the early submit')
  await page.locator('[data-test=form-summary]').getByText('盖章申报书').waitFor()
  await page.locator('[data-test=documents-panel]').waitFor()

  // 生成申报书 and wait for it.
  const generated = page.waitForResponse(isPath('POST', /\/documents$/))
  await page.locator('[data-test=document-generate]').click()
  await expectStatus(await generated, 200, 'generating the 申报书')
  await page.locator('[data-test=documents-table] [data-test=document-status]').getByText('已生成').first().waitFor({ timeout: 30_000 })
  await page.locator('[data-test=document-latest]').waitFor()

  // Upload the stamped copy; it is saved with the application.
  const uploaded = page.waitForResponse(isPath('POST', /^\/api\/files$/))
  await page.locator('[data-test=stamped-upload] input[type=file]').setInputFiles({ name: '申报书（盖章）.pdf', mimeType: 'application/pdf', buffer: PDF })
  await expectStatus(await uploaded, 201, 'uploading the stamped 申报书')
  await page.locator('[data-test=stamped-file]').getByText('申报书（盖章）.pdf').waitFor()

  // 提交: saved first, then submitted; the page turns read-only.
  const submitted = page.waitForResponse(isPath('POST', /\/submit$/))
  await page.locator('[data-test=application-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await submitted, 200, 'submitting')
  await page.locator('[data-test=application-readonly]').waitFor()
  await page.locator('.form-view').getByText(PROJECT).waitFor()

  // 我的项目: submitted, with its 申报时间 and 查看 / 下载申报表.
  await page.goto(`${url}/workbench/calls/mine`)
  const done = page.locator('[data-test=my-projects-table] .el-table__body tr', { hasText: TRACK })
  await done.locator('[data-test=my-project-view]').waitFor()
  await done.locator('[data-test=my-project-download]').waitFor()
  assert.notEqual(await done.locator('[data-test=my-project-stage]').innerText(), '待提交')
  // 我的申报书 lists the document.
  await page.locator('[data-test=menu-calls-documents]').click()
  await page.locator('[data-test=my-documents-table] .el-table__body tr', { hasText: TRACK }).locator('[data-test=my-document-download]').waitFor()
  end(2)
})

// ---------------------------------------------------------------------------------------------
// 3. The seeded Xiamen pilot call (004), from the portal notice
// ---------------------------------------------------------------------------------------------

browserTest('calls-xiamen-pilot-application', async ({ page, url }) => {
  begin(3)
  // The call asks for a finished self-assessment: the enterprise takes one (the manual's example answers).
  const api = apiClient(url)
  await api.login(XIAMEN_ENTERPRISE.username, XIAMEN_ENTERPRISE.password)
  await api.assessWithManualExample()

  // The portal notice (004 图3) with every item of its metadata.
  await page.goto(`${url}/calls`)
  const item = page.locator('[data-test=notice-item]', { hasText: '厦门市第一批中小企业数字化转型试点企业' })
  await item.getByRole('link').click()
  await page.waitForURL((u) => u.pathname.startsWith('/calls/'))
  const meta = page.locator('[data-test=notice-meta]')
  for (const text of ['政策层级', '市级', '发布地区', '厦门市', '政策批次', '主管部门', '申请对象', '补贴对象', '行业类别', '企业规模', '中型企业、小型企业', '申报类型', '试点企业', '支持方式', '资金支持', '文件依据', '申报时间']) {
    await meta.getByText(text, { exact: true }).first().waitFor()
  }
  // 立即申报 signed out: the login page, then straight back to the application.
  await page.locator('[data-test=notice-apply]').click()
  await waitForPath(page, '/login')
  await loginViaUi(page, url, XIAMEN_ENTERPRISE, { expectPath: null })
  await page.waitForURL((u) => u.pathname.startsWith('/workbench/calls/applications/'), { timeout: 20_000 })

  // 申报材料真实性声明 first (004 图8).
  const declaration = page.locator('[data-test=declaration-panel]')
  await declaration.getByText('本企业郑重声明').waitFor()
  assert.equal(await page.locator('.form-renderer').count(), 0, 'the form waits for the declaration')
  await declaration.locator('[data-test=declaration-confirm]').click()
  await declaration.waitFor({ state: 'detached' })

  // The self-assessment (数字化水平测评等级为必选项).
  await page.locator('[data-test=assessment-select]').click()
  await page.locator('.el-select-dropdown__item').filter({ visible: true }).first().click()

  // 申报书: 基本信息 comes from the profile; the rest is typed or ticked.
  const form = page.locator('.form-renderer')
  await form.locator('[data-field=contact_phone] input').fill('0592-5116871')
  await form.locator('[data-test=form-tab-needs]').click()
  await form.locator('[data-field=diagnosis_willingness] .el-radio', { hasText: '已接受过数字化转型诊断咨询服务' }).click()
  await form.locator('[data-field=diagnosis_provider] input').fill('厦门某数字化服务有限公司')
  for (const [key, option] of [
    ['urgent_needs', '打通生产制造环节数据要素'],
    ['transformation_links', '生产制造'],
  ]) {
    const field = form.locator(`[data-field=${key}]`)
    if (await field.locator('.el-checkbox').count()) await field.locator('.el-checkbox', { hasText: option }).click()
    else {
      await field.locator('.el-select__wrapper').click()
      await page.locator('.el-select-dropdown__item').filter({ visible: true }).filter({ hasText: option }).first().click()
      await page.keyboard.press('Escape')
    }
  }
  await form.locator('[data-field=last_year_investment] .el-radio', { hasText: '50万元以内' }).click()
  await form.locator('[data-test=form-tab-support]').click()
  for (const [key, option] of [
    ['provider_support', '服务快速响应，本地化服务'],
    ['government_support', '加大对企业数字化改造的补贴政策'],
    ['subsidy_methods', '数字人民币'],
  ]) {
    await form.locator(`[data-field=${key}] .el-checkbox`, { hasText: option }).click()
  }

  // 附件材料: the two required items.
  await page.locator('[data-test=tab-attachments]').click()
  for (const [key, name] of [
    ['financials_2022', '2022年度财务报表.pdf'],
    ['assessment_result', '数字化水平评测结果.pdf'],
  ]) {
    const itemBox = page.locator(`[data-test=attachment-item-${key}]`)
    const up = page.waitForResponse(isPath('POST', /^\/api\/files$/))
    await itemBox.locator('input[type=file]').setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF })
    await expectStatus(await up, 201, `uploading ${name}`)
    await itemBox.getByText(name).waitFor()
  }

  // 申报书, the stamped copy, 提交.
  await page.locator('[data-test=tab-document]').click()
  await page.locator('[data-test=document-generate]').click()
  await page.locator('[data-test=documents-table] [data-test=document-status]').getByText('已生成').first().waitFor({ timeout: 30_000 })
  await page.locator('[data-test=stamped-upload] input[type=file]').setInputFiles({ name: '试点企业申报书（盖章）.pdf', mimeType: 'application/pdf', buffer: PDF })
  await page.locator('[data-test=stamped-file]').getByText('试点企业申报书（盖章）.pdf').waitFor()
  const submitted = page.waitForResponse(isPath('POST', /\/submit$/))
  await page.locator('[data-test=application-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await submitted, 200, 'submitting the Xiamen application')
  await page.locator('[data-test=application-readonly]').waitFor()

  await page.goto(`${url}/workbench/calls/mine`)
  await page.locator('[data-test=my-projects-table] .el-table__body tr', { hasText: '试点企业' }).locator('[data-test=my-project-view]').waitFor()
  await logout(page)
  end(3)
})

// ---------------------------------------------------------------------------------------------
// 4. District → city → province, 项目中心 and 导出汇总表
// ---------------------------------------------------------------------------------------------

const shot = (page, name) =>
  process.env.SHUZHUAN_E2E_SHOTS ? page.screenshot({ path: `${process.env.SHUZHUAN_E2E_SHOTS}/${name}.png`, fullPage: true }) : undefined

/** Open the application from 待办审核 and take `action` through the opinion dialog. */
async function reviewFromTodo(page, url, who, opinion) {
  await loginViaUi(page, url, { username: who, password: DEMO_PASSWORD })
  await page.goto(`${url}/workbench/review/todo`)
  const row = page.locator('[data-test=todo-table] .el-table__body tr', { hasText: TRACK })
  await row.waitFor()
  await row.locator('[data-test=todo-review]').click()
  await page.waitForURL((u) => u.pathname.startsWith('/workbench/review/cases/'))
  await page.locator('[data-test=case-fields]').getByText(PROJECT).first().waitFor()
  await page.locator('[data-test=action-approve]').click()
  const dialog = page.locator('[data-test=opinion-dialog]')
  await dialog.waitFor()
  // 推荐 needs an opinion (003: 处室审核后需填写相应的审核意见).
  await dialog.locator('[data-test=opinion-confirm]').click()
  await dialog.getByText('请填写审核意见').waitFor()
  await dialog.locator('textarea[data-test=opinion-input]').fill(opinion)
  const done = page.waitForResponse(isPath('POST', /\/api\/review\/cases\/[^/]+\/actions$/))
  await dialog.locator('[data-test=opinion-confirm]').click()
  await expectStatus(await done, 200, `${who} recommends`)
  await dialog.waitFor({ state: 'hidden' })
  await page.locator('[data-test=trail-table]').getByText(opinion).waitFor()
  await logout(page)
}

/** 申报审核 → 推荐函 of the story's track, as `who`: the track's row and the letters dialog. */
async function openLetters(page, url, who) {
  await loginViaUi(page, url, { username: who, password: DEMO_PASSWORD })
  await page.locator('[data-test=module-calls-reviewing]').click()
  await waitForPath(page, '/workbench/calls/reviewing')
  const row = page.locator('[data-test=reviewing-table] .el-table__body tr', { hasText: TRACK })
  await row.waitFor()
  await row.locator('[data-test=reviewing-letters-open]').click()
  const dialog = page.locator('[data-test=letters-dialog]')
  await dialog.waitFor()
  return { row, dialog }
}

/** 上传区推荐函 / 上传市推荐函 in the letters dialog; the letter is listed as the bureau's own. */
async function uploadLetter(page, dialog, name) {
  const done = page.waitForResponse(isPath('POST', /^\/api\/calls\/letters$/))
  await dialog.locator('input[type=file]').setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF })
  await expectStatus(await done, 201, `uploading ${name}`)
  await dialog.locator('[data-test=letters-own]').getByText(name).waitFor()
}

async function closeLetters(page, dialog) {
  await page.locator('[data-test=letters-close]').click()
  await dialog.waitFor({ state: 'hidden' })
}

/** The cells of the first sheet of an .xlsx, row by row (inline and shared strings, numbers). */
function sheetRows(bytes) {
  const files = unzipSync(new Uint8Array(bytes))
  const workbook = strFromU8(files['xl/workbook.xml'])
  const names = [...workbook.matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) => m[1])
  const shared = files['xl/sharedStrings.xml'] ? [...strFromU8(files['xl/sharedStrings.xml']).matchAll(/<si>(.*?)<\/si>/gs)].map((m) => m[1].replace(/<[^>]+>/g, '')) : []
  const sheet = strFromU8(files['xl/worksheets/sheet1.xml'])
  const rows = [...sheet.matchAll(/<row [^>]*>(.*?)<\/row>/gs)].map((r) =>
    [...r[1].matchAll(/<c ([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)].map((c) => {
      const body = c[2] ?? ''
      if (/t="s"/.test(c[1])) return shared[Number(/<v>(.*?)<\/v>/.exec(body)?.[1])] ?? ''
      return (/<t[^>]*>(.*?)<\/t>/s.exec(body)?.[1] ?? /<v>(.*?)<\/v>/.exec(body)?.[1] ?? '').replace(/&amp;/g, '&')
    }),
  )
  const frozen = Number(/<pane [^>]*ySplit="(\d+)"[^>]*state="frozen"/.exec(sheet)?.[1] ?? 0)
  return { names, rows, frozen }
}

browserTest('calls-district-city-province-review', async ({ page, url }) => {
  begin(4)
  // 设置责任科室: 惠城区's administrator gives the new track to 经济信息化股.
  await loginViaUi(page, url, { username: 'huicheng_admin', password: DEMO_PASSWORD })
  await page.goto(`${url}/workbench/calls/sections`)
  const trackRow = page.locator('[data-test=sections-table] .el-table__body tr', { hasText: TRACK })
  await trackRow.locator('[data-test=section-name]').getByText('未设置').waitFor()
  await trackRow.locator('[data-test=section-set]').click()
  await page.locator('[data-test=section-select]').click()
  await page.locator('.el-select-dropdown__item', { hasText: '经济信息化股' }).click()
  const assigned = page.waitForResponse(isPath('PUT', /^\/api\/calls\/sections$/))
  await page.locator('[data-test=section-save]').click()
  await expectStatus(await assigned, 200, 'setting the responsible section')
  await trackRow.locator('[data-test=section-name]').getByText('经济信息化股').waitFor()
  await shot(page, 'calls-sections')
  await logout(page)

  // District → city section → section leader → province, each bureau's recommendation letter going up with it.
  await reviewFromTodo(page, url, 'huicheng_handler', '经审核，材料齐全，同意推荐。')
  // 申报审核: the district's recommendation is counted; it uploads its 区推荐函.
  let { row: track, dialog } = await openLetters(page, url, 'huicheng_handler')
  await track.locator('[data-test=reviewing-recommended]').getByText('1').waitFor()
  await uploadLetter(page, dialog, '惠城区推荐函.pdf')
  await shot(page, 'calls-letters')
  await closeLetters(page, dialog)
  await track.locator('[data-test=reviewing-letters]').getByText('本单位 1 份').waitFor()
  await shot(page, 'calls-reviewing')
  await logout(page)
  await reviewFromTodo(page, url, 'huizhou_handler', '市处室审核通过，提请科室领导推荐。')
  await reviewFromTodo(page, url, 'huizhou_leader', '同意推荐至省工业和信息化厅。')
  // The section leader reads the 区推荐函 (查看区推荐函) and uploads the 市推荐函.
  ;({ dialog } = await openLetters(page, url, 'huizhou_leader'))
  const below = dialog.locator('[data-test=letters-below]')
  await below.getByText('惠城区推荐函.pdf').waitFor()
  await below.getByText('惠州市惠城区工业和信息化局').waitFor()
  await uploadLetter(page, dialog, '惠州市推荐函.pdf')
  await closeLetters(page, dialog)
  await logout(page)
  await reviewFromTodo(page, url, 'guangdong_admin', '同意。')
  // The province reads both letters and opens the city's.
  ;({ dialog } = await openLetters(page, url, 'guangdong_admin'))
  await dialog.locator('[data-test=letters-below]').getByText('惠城区推荐函.pdf').waitFor()
  const cityLetter = dialog.locator('[data-test=letters-below] a', { hasText: '惠州市推荐函.pdf' })
  const letterResponse = await page.request.get(`${url}${await cityLetter.getAttribute('href')}`)
  await expectStatus(letterResponse, 200, 'the province downloads the city letter')
  assert.ok((await letterResponse.body()).subarray(0, 5).toString() === '%PDF-', 'the letter is the PDF uploaded')
  await closeLetters(page, dialog)
  await logout(page)

  // 项目中心: the city handler's 已推荐 tab, 办理记录, and the 汇总表.
  await loginViaUi(page, url, { username: 'huizhou_handler', password: DEMO_PASSWORD })
  await page.locator('[data-test=module-project-center]').click()
  await waitForPath(page, '/workbench/calls/projects')
  await page.getByRole('tab', { name: '已推荐' }).click()
  const row = page.locator('[data-test=projects-table] .el-table__body tr', { hasText: TRACK })
  await row.waitFor()
  await row.locator('[data-test=project-document]').waitFor()
  await shot(page, 'calls-project-center')
  const { bytes: xlsx } = await downloadedBy(page, () => page.locator('[data-test=projects-export]').click())
  const { names, rows, frozen } = sheetRows(xlsx)
  assert.deepEqual(names, ['申报项目汇总表'])
  assert.deepEqual(rows[0].slice(0, 6), ['序号', '年度', '项目认定评定名称', '方向', '项目性质', '申报单位'])
  assert.equal(rows.length, 2, `the header and the one application: ${JSON.stringify(rows)}`)
  assert.equal(rows[1][3], TRACK)
  assert.equal(frozen, 1, 'the header row is frozen')
  await row.locator('[data-test=project-trail]').click()
  await page.waitForURL((u) => u.pathname.startsWith('/workbench/review/cases/'))
  for (const opinion of ['经审核，材料齐全，同意推荐。', '同意推荐至省工业和信息化厅。']) {
    await page.locator('[data-test=trail-table]').getByText(opinion).waitFor()
  }
  await logout(page)

  // The enterprise: 我的项目 shows the outcome.
  await loginViaUi(page, url, ENTERPRISE)
  await page.goto(`${url}/workbench/calls/mine`)
  const mine = page.locator('[data-test=my-projects-table] .el-table__body tr', { hasText: TRACK })
  await mine.locator('[data-test=my-project-stage]').getByText('审核通过').waitFor()
  await logout(page)

  // 推荐汇总与公示: the program's owner downloads its 推荐汇总表 (附件3's layout) and publishes the result.
  await loginViaUi(page, url, HUIZHOU)
  await page.locator('[data-test=module-calls-results]').click()
  await waitForPath(page, '/workbench/calls/results')
  const program = page.locator('[data-test=results-table] .el-table__body tr', { hasText: PROGRAM })
  await program.locator('[data-test=results-approved]').getByText('1').waitFor()
  const { bytes: summary } = await downloadedBy(page, () => program.locator('[data-test=results-summary]').click())
  const sheet = sheetRows(summary)
  // The story's form does not ask 申报方式, so the units are one list.
  assert.deepEqual(sheet.names, ['推荐汇总表'])
  assert.equal(sheet.rows[0][0], `${PROGRAM}推荐汇总表`)
  assert.match(sheet.rows[1][0], /^汇总单位：惠州市工业和信息化局/)
  assert.deepEqual(sheet.rows[2], ['序号', '推荐单位', '申报单位名称', '申报领域', '企业联系人', '联系电话'])
  assert.equal(sheet.rows.length, 4, `title, unit, header and the one application: ${JSON.stringify(sheet.rows)}`)
  assert.deepEqual(sheet.rows[3].slice(0, 4), ['1', '惠州市工业和信息化局', '惠州市华阳精机有限公司', TRACK])
  assert.equal(sheet.frozen, 3, 'the heading rows stay in view')
  await program.locator('[data-test=results-publish]').click()
  const publishForm = page.locator('[data-test=results-publish-form]')
  await publishForm.waitFor()
  assert.equal(await publishForm.locator('input[data-test=results-title]').inputValue(), `${PROGRAM}拟入选名单公示`)
  await shot(page, 'calls-results-publish')
  const published = page.waitForResponse(isPath('POST', /^\/api\/calls\/results$/))
  await page.locator('[data-test=results-publish-confirm]').click()
  await expectStatus(await published, 201, 'publishing the result')
  await program.locator('[data-test=results-notice]').getByText(`${PROGRAM}拟入选名单公示`).waitFor()
  await shot(page, 'calls-results')
  await logout(page)

  // 结果公示 on the portal, for anyone: the list (searched by name) and the notice with the unit.
  await page.goto(`${url}/`)
  await page.locator('.app-header').getByRole('link', { name: '结果公示' }).click()
  await waitForPath(page, '/calls/results')
  await page.locator('input[data-test=results-search]').fill(PROGRAM)
  await page.locator('#main').getByRole('button', { name: '搜索' }).click()  // the header's 站内搜索 has one too
  const item = page.locator('[data-test=result-item]', { hasText: PROGRAM })
  await item.getByText('公示中').waitFor()
  await item.getByRole('link').click()
  const entries = page.locator('[data-test=result-entries]')
  await entries.getByText('惠州市华阳精机有限公司').waitFor()
  await entries.getByText(TRACK).waitFor()
  await page.locator('[data-test=result-in-period]').getByText('公示中').waitFor()
  await shot(page, 'calls-result-notice')
  end(4)
})
