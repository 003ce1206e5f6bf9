// The case page built for reviewing (issue 14), at 1366×768: two enterprises of 惠州 ask for 信息变更 (one with a
// PDF and a picture attached); the city bureau opens the first from 待办审核 and finds the form in sections with
// an anchor nav, 审核进度 beside the form, the region code with its name, the attachments by name with 预览, and
// the action bar in reach after scrolling to the bottom; it steps 下一件 / 上一件 between the two cases and returns
// the first, after which the page moves on to the second by itself. The applicant is asked
// 「提交后将不能修改，确认提交？」 before resubmitting, and the bureau sees only the changed row in the round diff.
// A provider's certification shows its industry as 「C 制造业」 (code and name) and its service scopes by name.
//
// The steps share one server (one file = one server) and run in order; each logs in afresh.
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import {
  ARTIFACTS_DIR,
  DEMO_ENTERPRISE,
  confirmSubmit,
  expectStatus,
  loginViaUi,
  registerEnterpriseViaApi,
  samplePdf,
  useServer,
  waitForPath,
} from '../harness.mjs'

const browserTest = useServer()

const CITY = { username: 'huizhou_admin', password: 'Shuzhuan@2026' }
const OPERATOR = { username: 'operator_admin', password: 'Shuzhuan@2026' }
const RETURN_OPINION = '联系人信息请与营业执照登记信息核对后重新提交。'
const NEW_CONTACT = '钱主任'
const VIEWPORT = { width: 1366, height: 768 }

/** Filled by the first step: the two cases and who applied for each. */
const cases = new Map() // case id -> { title, login: { username, password } }
let returnedId = ''
let shots = 0

const isAction = (r) => /\/api\/review\/cases\/[^/]+\/actions$/.test(new URL(r.url()).pathname) && r.request().method() === 'POST'

async function shot(page, name, fullPage = false) {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true })
  const file = path.join(ARTIFACTS_DIR, `casepage-${String(++shots).padStart(2, '0')}-${name}.png`)
  await page.screenshot({ path: file, fullPage })
  return file
}

/** Sign in through the API in the page's own cookie jar (page.request shares the browser's cookies). */
async function apiLogin(page, url, { username, password }) {
  const captcha = await (await page.request.get(`${url}/api/captcha`)).json()
  const res = await page.request.post(`${url}/api/auth/login`, {
    headers: { 'X-Requested-With': 'shuzhuan' },
    data: { username, password, captcha_id: captcha.id, captcha_answer: captcha.answer },
  })
  await expectStatus(res, 200, `login of ${username}`)
}

async function upload(page, url, name, mimeType, buffer) {
  const res = await page.request.post(`${url}/api/files`, {
    headers: { 'X-Requested-With': 'shuzhuan' },
    multipart: { purpose: 'attachment', file: { name, mimeType, buffer } },
  })
  await expectStatus(res, 201, `uploading ${name}`)
  return (await res.json()).id
}

async function askForChange(page, url, body) {
  const res = await page.request.post(`${url}/api/orgs/me/change-requests`, { headers: { 'X-Requested-With': 'shuzhuan' }, data: body })
  await expectStatus(res, 201, 'the change request')
  return (await res.json()).id
}

/** The box of an element, asserted present. */
async function box(locator) {
  const b = await locator.boundingBox()
  assert.ok(b, 'the element is laid out')
  return b
}

browserTest('casepage-two-enterprises-ask-for-info-changes', async ({ page, url }) => {
  // The demo enterprise (惠城区), with a PDF and a picture (a screenshot is a real PNG).
  await page.setViewportSize({ width: 80, height: 60 })
  await page.setContent('<body style="margin:0;background:#1f4e8c"></body>')
  const png = await page.screenshot()
  await page.setViewportSize(VIEWPORT)
  await apiLogin(page, url, DEMO_ENTERPRISE)
  const pdfId = await upload(page, url, '营业执照副本.pdf', 'application/pdf', samplePdf())
  const pngId = await upload(page, url, '经营场所照片.png', 'image/png', png)
  const a = await askForChange(page, url, {
    name: '惠州市华阳精机有限公司',
    uscc: '91440300708461136T',
    region_code: '441302',
    sub_industry: '模具制造',
    contact_name: '赵经理',
    contact_phone: '13500001111',
    attachment_ids: [pdfId, pngId],
  })
  cases.set(a, { company: '惠州市华阳精机有限公司', login: DEMO_ENTERPRISE })

  // A second 惠州 enterprise, registered now.
  const b = await registerEnterpriseViaApi(url, { query: '惠州' })
  await page.context().clearCookies()
  await apiLogin(page, url, { username: b.phone, password: b.password })
  const id = await askForChange(page, url, {
    name: b.company.name,
    uscc: b.company.uscc,
    region_code: b.company.region_code,
    sub_industry: '电子元件',
    contact_name: '孙经理',
    contact_phone: '13500002222',
    attachment_ids: [],
  })
  cases.set(id, { company: b.company.name, login: { username: b.phone, password: b.password } })
})

browserTest('casepage-reviewer-reads-the-case-in-sections-and-steps-between-cases', async ({ page, url }) => {
  assert.equal(cases.size, 2, 'the first step asked for two changes')
  await loginViaUi(page, url, CITY)
  await page.locator('[data-test=module-review-todo]').click()
  await waitForPath(page, '/workbench/review/todo')
  const rows = page.locator('[data-test=todo-table] .el-table__body tr', { hasText: '信息变更' })
  for (const c of cases.values()) await page.locator('[data-test=todo-table] .el-table__body tr', { hasText: c.company }).first().waitFor()
  assert.equal(await rows.count(), 2, 'both changes are on the to-do list')
  await rows.first().locator('[data-test=todo-review]').click()
  await page.waitForURL((u) => u.pathname.startsWith('/workbench/review/cases/'))
  const firstId = new URL(page.url()).pathname.split('/').pop()
  const secondId = [...cases.keys()].find((k) => k !== firstId)
  assert.ok(cases.has(firstId), 'the first row opened one of the two cases')
  await page.locator('[data-test=case-fields]').getByText(cases.get(firstId).company).first().waitFor()

  // Sections with anchors.
  const sections = page.locator('[data-test=case-section] .sz-card__title')
  assert.deepEqual(await sections.allTextContents(), ['变更后的企业信息', '联系人'])
  const nav = page.locator('[data-test=case-nav]')
  const links = (await nav.locator('.el-anchor__link').allTextContents()).map((t) => t.trim())
  for (const t of ['变更后的企业信息', '联系人', '附件材料', '办理记录', '留言板']) assert.ok(links.includes(t), `the nav links ${t}: ${links}`)

  // 审核进度 beside the form (not below it) at 1366 wide.
  const fields = await box(page.locator('[data-test=case-fields]'))
  const timeline = await box(page.locator('[data-test=review-timeline]'))
  assert.ok(timeline.x >= fields.x + fields.width, `the timeline (x=${timeline.x}) is right of the form (ends at ${fields.x + fields.width})`)
  assert.ok(timeline.y < fields.y + fields.height, 'the timeline starts beside the form, not under it')
  await shot(page, 'first-case-1366x768')
  await shot(page, 'first-case-full', true)

  // A code with its name: 所属地区 as 「441302 广东省惠州市惠城区」, not 「441302」.
  await page.locator('[data-test=case-fields]').getByText(/^\d{6}(?:\d{3})? 广东省惠州市\S*$/).first().waitFor()

  // Following an anchor brings its section under the sticky nav.
  await nav.locator('.el-anchor__link', { hasText: '办理记录' }).click()
  await page.waitForFunction(() => {
    const top = document.getElementById('case-trail')?.getBoundingClientRect().top ?? -1
    return top >= 0 && top < 140
  })
  assert.ok(!new URL(page.url()).hash, 'the address keeps no anchor (the router owns it)')
  await page.waitForTimeout(500) // the anchor's scrolling animation (300 ms) is over

  // The action bar stays in reach: at the bottom of the window mid-page, and still there at the end.
  await page.evaluate(() => window.scrollTo(0, 300))
  const bar = page.locator('[data-test=case-bar]')
  let b = await box(bar)
  assert.ok(Math.abs(b.y + b.height - VIEWPORT.height) <= 2, `the bar sits on the window's bottom edge (bottom at ${b.y + b.height})`)
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
  await page.waitForTimeout(200)
  b = await box(bar)
  assert.ok(b.y >= 0 && b.y + b.height <= VIEWPORT.height, 'the bar is on screen at the end of the page')
  assert.ok(await page.locator('[data-test=action-return]').isVisible(), '退回 is in reach at the end of the page')
  await shot(page, 'scrolled-to-the-bottom')
  await page.evaluate(() => window.scrollTo(0, 0))

  // 下一件 / 上一件 between the two cases of the list.
  const position = page.locator('[data-test=case-position]')
  await position.getByText('第 1 件 / 共 2 件').waitFor()
  assert.equal(await page.locator('[data-test=case-prev]').isDisabled(), true, 'no 上一件 before the first case')
  await page.locator('[data-test=case-next]').click()
  await waitForPath(page, `/workbench/review/cases/${secondId}`)
  await page.locator('[data-test=case-fields]').getByText(cases.get(secondId).company).first().waitFor()
  await position.getByText('第 2 件 / 共 2 件').waitFor()
  await page.locator('[data-test=case-prev]').click()
  await waitForPath(page, `/workbench/review/cases/${firstId}`)
  await position.getByText('第 1 件 / 共 2 件').waitFor()

  // After a decision the next case opens by itself.
  await page.locator('[data-test=action-return]').click()
  const dialog = page.locator('[data-test=opinion-dialog]')
  await dialog.locator('textarea[data-test=opinion-input]').fill(RETURN_OPINION)
  const done = page.waitForResponse(isAction)
  await dialog.locator('[data-test=opinion-confirm]').click()
  await expectStatus(await done, 200, 'returning the first case')
  returnedId = firstId
  await waitForPath(page, `/workbench/review/cases/${secondId}`)
  await page.getByText('已退回申请单位，已打开下一件').waitFor()
  await position.getByText('第 2 件 / 共 2 件').waitFor()
  await page.locator('[data-test=case-fields]').getByText(cases.get(secondId).company).first().waitFor()

  // 返回待办 leads back to the list the cases came from.
  await page.getByRole('link', { name: '返回待办' }).click()
  await waitForPath(page, '/workbench/review/todo')
})

browserTest('casepage-attachments-open-by-name-with-preview', async ({ page, url }) => {
  const demoId = [...cases.keys()][0]
  await loginViaUi(page, url, CITY)
  await page.goto(`${url}/workbench/review/cases/${demoId}`)
  await page.locator('[data-test=case-fields]').getByText('441302 广东省惠州市惠城区', { exact: true }).waitFor()
  const files = page.locator('[data-test=case-attachments] [data-test=attachment]')
  await files.first().waitFor()
  assert.deepEqual((await files.locator('a').allTextContents()).sort(), ['经营场所照片.png', '营业执照副本.pdf'])

  // The picture, in the page.
  await files.filter({ hasText: '经营场所照片.png' }).locator('[data-test=attachment-preview]').click()
  const preview = page.locator('[data-test=file-preview]')
  const img = preview.locator('[data-test=file-preview-image]')
  await img.waitFor()
  await page.waitForFunction((el) => el.complete && el.naturalWidth === 80, await img.elementHandle())
  await shot(page, 'preview-image')
  await preview.getByRole('button', { name: '关闭', exact: true }).click()
  await preview.waitFor({ state: 'hidden' })

  // The PDF: in the page where the site's CSP allows blob: frames (frame-src blob:), else in a new tab.
  const csp = (await page.request.get(`${url}/`)).headers()['content-security-policy'] ?? ''
  const framed = /frame-src[^;]*blob:/.test(csp)
  await files.filter({ hasText: '营业执照副本.pdf' }).locator('[data-test=attachment-preview]').click()
  if (framed) {
    const frame = preview.locator('[data-test=file-preview-pdf]')
    await frame.waitFor()
    assert.match((await frame.getAttribute('src')) ?? '', /^blob:/)
    await page.waitForFunction(() => window.frames.length > 0)
  } else {
    await preview.locator('[data-test=file-preview-blocked]').waitFor()
    const tab = page.context().waitForEvent('page')
    await preview.locator('[data-test=file-preview-tab]').click()
    const opened = await tab
    assert.match(opened.url(), /^blob:/, 'the PDF opens in a new tab from the fetched copy')
    await opened.close()
  }
  await shot(page, framed ? 'preview-pdf-inline' : 'preview-pdf-new-tab')
})

browserTest('casepage-applicant-confirms-before-resubmitting', async ({ page, url }) => {
  assert.ok(returnedId, 'the bureau returned a case in an earlier step')
  await loginViaUi(page, url, cases.get(returnedId).login)
  await page.goto(`${url}/workbench/review/cases/${returnedId}`)
  await page.locator('[data-test=case-decision]').getByText(RETURN_OPINION, { exact: false }).waitFor()
  await page.locator('[data-test=action-edit]').click()
  const edit = page.locator('[data-test=case-edit]')
  await edit.locator('input[name=contact_name]').fill(NEW_CONTACT)

  let sent = 0
  page.on('request', (r) => {
    if (/\/api\/review\/cases\/[^/]+\/actions$/.test(new URL(r.url()).pathname) && r.method() === 'POST') sent++
  })
  await edit.locator('[data-test=edit-submit]').click()
  const ask = page.locator('.el-message-box', { hasText: '提交后将不能修改，确认提交？' })
  await ask.waitFor()
  await shot(page, 'confirm-before-resubmitting')
  await ask.getByRole('button', { name: '取消' }).click()
  await ask.waitFor({ state: 'hidden' })
  await page.waitForTimeout(300)
  assert.equal(sent, 0, 'nothing is submitted when the applicant backs out')
  await edit.waitFor()

  const resubmitted = page.waitForResponse(isAction)
  await edit.locator('[data-test=edit-submit]').click()
  await confirmSubmit(page)
  const res = await resubmitted
  await expectStatus(res, 200, 'resubmitting')
  assert.equal(JSON.parse(res.request().postData() ?? '{}').action, 'resubmit')
  await page.locator('[data-test=case-status]').getByText('审核中').waitFor()
})

browserTest('casepage-round-diff-shows-the-changed-rows-first', async ({ page, url }) => {
  assert.ok(returnedId)
  await loginViaUi(page, url, CITY)
  await page.goto(`${url}/workbench/review/cases/${returnedId}`)
  const diff = page.locator('[data-test=round-diff]')
  await diff.getByText('第1轮 → 第2轮').waitFor()
  const rows = diff.locator('[data-test=diff-table] .el-table__body tr')
  await rows.first().waitFor()
  assert.equal(await rows.count(), 1, 'only the changed row is listed by default')
  await rows.filter({ hasText: '联系人' }).locator('[data-test=diff-changed]').getByText(NEW_CONTACT).waitFor()
  await diff.locator('[data-test=diff-only-changed]').click()
  await page.waitForFunction(() => document.querySelectorAll('[data-test=round-diff] [data-test=diff-table] .el-table__body tr').length > 1)
  await page.locator('[data-test=case-fields]').getByText('已修改').first().waitFor()
  await diff.scrollIntoViewIfNeeded()
  await shot(page, 'round-diff')
})

browserTest('casepage-industry-and-scopes-shown-with-their-names', async ({ page, url }) => {
  const scopes = (await (await fetch(`${url}/api/providers/service-scopes`)).json()).items
  const provider = await registerEnterpriseViaApi(url, { query: '惠州', kind: 'provider', serviceScope: [scopes[0].code] })
  const code = provider.company.industry_code || 'C'
  const industries = (await (await fetch(`${url}/api/industries`)).json()).items
  const find = (nodes) => nodes.flatMap((n) => (n.code === code ? [n] : find(n.children)))
  const industry = find(industries)[0]
  assert.ok(industry, `industry ${code} is in the reference data`)

  await loginViaUi(page, url, OPERATOR)
  await page.locator('[data-test=module-review-todo]').click()
  await waitForPath(page, '/workbench/review/todo')
  const row = page.locator('[data-test=todo-table] .el-table__body tr', { hasText: provider.company.name })
  await row.locator('[data-test=todo-review]').click()
  await page.waitForURL((u) => u.pathname.startsWith('/workbench/review/cases/'))
  const fields = page.locator('[data-test=case-fields]')
  await fields.getByText(`${industry.code} ${industry.name}`, { exact: true }).waitFor()
  await fields.getByText(scopes[0].label, { exact: true }).waitFor()
  assert.deepEqual(await page.locator('[data-test=case-section] .sz-card__title').allTextContents(), ['企业信息', '服务信息', '联系人'])
  await shot(page, 'certification-codes-named')
})
