// (h) The review engine end to end, on a provider's certification (认证审核, seed 001):
//     a provider registers and sees the pending notice; the operator opens 待办审核, opens the case and
//     returns it with an opinion; the provider sees the 审核通知 and the returned case, edits its
//     introduction and resubmits; the operator sees the changed row in 与上一轮比较 and approves; the
//     provider sees 审核进度 with both rounds and 已通过, its notifications, and leaves a 留言板 message
//     that the operator sees on its workbench.
//
// The steps share one server (one file = one server) and run in order; each logs in afresh.
import assert from 'node:assert/strict'
import { confirmSubmit, expectStatus, loginViaUi, startProviderRegistration, useServer, waitForPath } from '../harness.mjs'

const browserTest = useServer()

const OPERATOR = { username: 'operator_admin', password: 'Shuzhuan@2026' }
const RETURN_OPINION = '请补充企业简介，说明主营业务与典型服务案例。'
const NEW_INTRODUCTION = '本公司专注中小企业数字化转型咨询与实施，已服务惠州市制造企业50余家。'
const MESSAGE = `请问认证证书何时可以下载？（e2e ${Date.now() % 100000}）`
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Filled by the first step, used by the others. */
const provider = { phone: '', password: '', company: '' }
let caseId = ''

const isAction = (r) => /\/api\/review\/cases\/[^/]+\/actions$/.test(new URL(r.url()).pathname) && r.request().method() === 'POST'

async function logout(page) {
  await page.getByRole('navigation', { name: '主导航' }).getByText('退出登录').click()
  await waitForPath(page, '/login')
}

/** Open the case of this test from 待办审核 (the operator's workbench module). */
async function openFromTodo(page) {
  await page.locator('[data-test=module-review-todo]').click()
  await waitForPath(page, '/workbench/review/todo')
  const row = page.locator('[data-test=todo-table] .el-table__body tr', { hasText: provider.company })
  await row.waitFor()
  await row.locator('[data-test=todo-review]').click()
  await page.waitForURL((u) => u.pathname.startsWith('/workbench/review/cases/'))
  const id = new URL(page.url()).pathname.split('/').pop()
  if (caseId) assert.equal(id, caseId, 'the same case is reviewed in both rounds')
  caseId = id
  await page.locator('[data-test=case-fields]').getByText(provider.company).first().waitFor()
}

/** Take a review action through its opinion dialog; returns the action's response. */
async function act(page, action, opinion) {
  await page.locator(`[data-test=action-${action}]`).click()
  const dialog = page.locator('[data-test=opinion-dialog]')
  await dialog.waitFor()
  if (opinion !== undefined) await dialog.locator('textarea[data-test=opinion-input]').fill(opinion)
  const done = page.waitForResponse(isAction)
  await dialog.locator('[data-test=opinion-confirm]').click()
  const res = await done
  await expectStatus(res, 200, `${action} of the case`)
  assert.match(res.request().headers()['idempotency-key'] ?? '', UUID, 'every action carries an Idempotency-Key')
  await dialog.waitFor({ state: 'hidden' })
  return res
}

browserTest('provider-registers-and-sees-the-pending-notice', async ({ page, url }) => {
  // A Huizhou company from the registry.
  const { phone, password, company } = await startProviderRegistration(page, url, { password: `Fuwu#${Date.now() % 100000}a` })
  Object.assign(provider, { phone, password, company: company.name })
  const regionInput = page.locator('[data-test=register-region] input')
  await page.waitForFunction((el) => el.value.startsWith('广东省 / 惠州市'), await regionInput.elementHandle())
  if (!company.address) await page.locator('input[name=address]').fill('惠州市惠城区测试路1号')
  if (!company.industry_code) {
    await page.locator('[data-test=register-industry]').click()
    // IndustrySelect is a cascader: clicking a row chooses it (any level), Escape closes the menu.
    await page.locator('.industry-select__popper .el-cascader-node', { hasText: /^C 制造业$/ }).click()
    await page.waitForFunction((el) => el.value === 'C 制造业', await page.locator('[data-test=register-industry] input').elementHandle())
    await page.keyboard.press('Escape')
  }
  await page.locator('input[name=contact_name]').fill('认证测试员')
  const scopes = (await (await fetch(`${url}/api/providers/service-scopes`)).json()).items
  await page.locator('[data-test=register-scopes]').click()
  await page.locator('.el-select-dropdown__item', { hasText: scopes[0].label }).click()
  await page.keyboard.press('Escape')

  const registered = page.waitForResponse((r) => r.url().endsWith('/api/register'))
  await page.locator('[data-test=register-submit]').click()
  await expectStatus(await registered, 201)
  await waitForPath(page, '/login')

  // Logged in while the operator reviews: the pending notice.
  await loginViaUi(page, url, { username: provider.phone, password: provider.password })
  await page.locator('[data-test=certification-pending]').getByText('您的企业认证正在审批中').waitFor()
  // 我的申请 lists the certification as 审核中.
  await page.locator('[data-test=module-my-cases]').click()
  await waitForPath(page, '/workbench/review/cases')
  const row = page.locator('[data-test=my-cases-table] .el-table__body tr', { hasText: company.name })
  await row.locator('[data-test=case-status]').getByText('审核中').waitFor()
})

browserTest('operator-returns-the-certification-with-an-opinion', async ({ page, url }) => {
  assert.ok(provider.company, 'the provider registered in the previous step')
  await loginViaUi(page, url, OPERATOR)
  await openFromTodo(page)
  await page.locator('[data-test=review-timeline] [data-test=timeline-state]').getByText('审核中').waitFor()

  // 退回 needs an opinion: an empty one is refused in the dialog, nothing is sent.
  await page.locator('[data-test=action-return]').click()
  const dialog = page.locator('[data-test=opinion-dialog]')
  await dialog.locator('[data-test=opinion-confirm]').click()
  await dialog.getByText('请填写审核意见').waitFor()
  await dialog.getByRole('button', { name: '取消' }).click()
  await dialog.waitFor({ state: 'hidden' })

  const res = await act(page, 'return', RETURN_OPINION)
  assert.equal((await res.json()).status, 'returned')
  await page.locator('[data-test=case-status]').getByText('已退回').waitFor()
  await page.locator('[data-test=trail-table]').getByText(RETURN_OPINION).waitFor()
  // The reviewer has no more actions on a returned case.
  assert.equal(await page.locator('[data-test=action-approve]').count(), 0)
})

browserTest('provider-sees-the-return-edits-and-resubmits', async ({ page, url }) => {
  assert.ok(caseId, 'the operator returned the case in the previous step')
  await loginViaUi(page, url, { username: provider.phone, password: provider.password })

  // The bell counts the unread notification; 审核通知 lists it; the certification notice links to the case.
  await page.locator('[data-test=notification-badge] .el-badge__content').getByText(/^[1-9]\d*\+?$/).waitFor()
  await page.locator('[data-test=certification-returned]').getByText(RETURN_OPINION, { exact: false }).waitFor()
  await page.getByRole('tab', { name: '审核通知' }).click()
  await page.locator('[data-test=home-notice]', { hasText: '审核退回通知' }).waitFor()

  // 待办事项: the returned case, straight into 修改并重新提交.
  await page.getByRole('tab', { name: '待办事项' }).click()
  await page.locator('[data-test=home-returned]', { hasText: provider.company }).click()
  await waitForPath(page, `/workbench/review/cases/${caseId}`)
  await page.locator('[data-test=case-decision]').getByText(RETURN_OPINION, { exact: false }).waitFor()
  const edit = page.locator('[data-test=case-edit]')
  await edit.waitFor()
  await edit.locator('textarea[data-test=edit-introduction]').fill(NEW_INTRODUCTION)

  // Unsaved edits survive a reload (kept in this browser until saved).
  await page.waitForTimeout(500)
  await page.reload()
  await page.locator('[data-test=edit-restored]').waitFor()
  assert.equal(await edit.locator('textarea[data-test=edit-introduction]').inputValue(), NEW_INTRODUCTION)

  const saved = page.waitForResponse((r) => r.url().endsWith(`/api/review/cases/${caseId}/form`) && r.request().method() === 'PUT')
  const resubmitted = page.waitForResponse(isAction)
  await edit.locator('[data-test=edit-submit]').click()
  await confirmSubmit(page)
  await expectStatus(await saved, 200, 'saving the form')
  const res = await resubmitted
  await expectStatus(res, 200, 'resubmitting')
  assert.equal(JSON.parse(res.request().postData() ?? '{}').action, 'resubmit')
  assert.match(res.request().headers()['idempotency-key'] ?? '', UUID)
  await page.locator('[data-test=case-status]').getByText('审核中').waitFor()
  await edit.waitFor({ state: 'detached' })
  await page.locator('[data-test=case-fields]').getByText(NEW_INTRODUCTION).waitFor()
  assert.equal(await page.evaluate((id) => localStorage.getItem(`shuzhuan.review.edit.${id}.v1`), caseId), null)
})

browserTest('operator-sees-what-changed-and-approves', async ({ page, url }) => {
  assert.ok(caseId)
  await loginViaUi(page, url, OPERATOR)
  await openFromTodo(page)

  // 与上一轮比较: the introduction row is highlighted, before → after.
  const diff = page.locator('[data-test=round-diff]')
  await diff.getByText('第1轮 → 第2轮').waitFor()
  const changed = diff.locator('[data-test=diff-table] tr.is-changed', { hasText: '企业简介' })
  await changed.locator('[data-test=diff-changed]').getByText(NEW_INTRODUCTION).waitFor()
  await page.locator('[data-test=case-fields]').getByText('已修改').first().waitFor()

  const res = await act(page, 'approve', '材料齐全，同意认证。')
  assert.equal((await res.json()).status, 'approved')
  await page.locator('[data-test=case-status]').getByText('审核通过').waitFor()
})

browserTest('provider-sees-the-timeline-notifications-and-leaves-a-message', async ({ page, url }) => {
  assert.ok(caseId)
  await loginViaUi(page, url, { username: provider.phone, password: provider.password })
  await page.locator('[data-test=certification-status]').getByText('已认证').waitFor()
  assert.equal(await page.locator('[data-test=certification-pending]').count(), 0)

  // 我的申请 → 查看详情.
  await page.locator('[data-test=module-my-cases]').click()
  const row = page.locator('[data-test=my-cases-table] .el-table__body tr', { hasText: provider.company })
  await row.locator('[data-test=case-status]').getByText('审核通过').waitFor()
  await row.locator('[data-test=case-view]').click()
  await waitForPath(page, `/workbench/review/cases/${caseId}`)

  // 审核进度: both rounds, the return in the first, 已通过 in the second; exportable as PDF.
  const timeline = page.locator('[data-test=review-timeline]')
  await timeline.getByText('第1轮').first().waitFor()
  await timeline.getByText('第2轮').first().waitFor()
  await timeline.locator('[data-test=timeline-state]').getByText('驳回').waitFor()
  await timeline.locator('[data-test=timeline-state]').getByText('已通过').waitFor()
  await timeline.getByText(RETURN_OPINION).waitFor()
  const pdf = page.waitForResponse((r) => r.url().endsWith(`/api/review/cases/${caseId}/timeline.pdf`))
  await page.locator('[data-test=timeline-pdf]').click()
  await expectStatus(await pdf, 200, 'the timeline PDF')
  // The page saved the body as a file; fetch it again (same session) to look at it.
  const again = await page.request.get(`${url}/api/review/cases/${caseId}/timeline.pdf`)
  assert.equal(again.status(), 200)
  assert.match(again.headers()['content-type'] ?? '', /application\/pdf/)
  assert.equal((await again.body()).subarray(0, 5).toString('latin1'), '%PDF-', 'the timeline is a PDF')

  // 留言板: post a message on the case.
  const board = page.locator('[data-test=message-board]')
  await board.locator('textarea[data-test=message-input]').fill(MESSAGE)
  const posted = page.waitForResponse((r) => r.url().endsWith(`/api/review/cases/${caseId}/messages`) && r.request().method() === 'POST')
  await board.locator('[data-test=message-send]').click()
  await expectStatus(await posted, 201, 'posting the message')
  await board.locator('[data-test=message-item]', { hasText: MESSAGE }).waitFor()

  // Notifications: the return and the approval; 全部已读 clears the badge.
  await page.locator('[data-test=notification-bell]').click()
  await waitForPath(page, '/workbench/notifications')
  const list = page.locator('[data-test=notification-list]')
  await list.locator('[data-test=notification-item]', { hasText: '审核通过通知' }).waitFor()
  await list.locator('[data-test=notification-item]', { hasText: '审核退回通知' }).waitFor()
  const readAll = page.waitForResponse((r) => r.url().endsWith('/api/notifications/read-all'))
  await page.locator('[data-test=notifications-read-all]').click()
  assert.ok((await readAll).ok())
  await page.locator('[data-test=notification-badge] .el-badge__content').waitFor({ state: 'hidden' })

  // The operator sees the message on its workbench (留言板) and on the case.
  await logout(page)
  await loginViaUi(page, url, OPERATOR)
  await page.getByRole('tab', { name: '留言板' }).click()
  await page.locator('[data-test=home-message]', { hasText: MESSAGE }).click()
  await waitForPath(page, `/workbench/review/cases/${caseId}`)
  await page.locator('[data-test=message-board] [data-test=message-item]', { hasText: MESSAGE }).waitFor()
})
