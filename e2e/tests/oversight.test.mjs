// The platform's own administrators (issue 14): the system and audit administrators' workbenches ask only
// for what they may see (no 403, no 「部分待办加载失败」, no 越权访问 entries of their own making); the audit
// administrator reads the log in words — people and organizations by name, actions in Chinese, a review
// action with its stage, opinion and status change, the case by title with a link — filters it by object and
// exports it. An anonymous visit to the portal asks nothing that answers with an error.
import assert from 'node:assert/strict'
import { ARTIFACTS_DIR, apiClient, loginViaUi, useServer, waitForPath } from '../harness.mjs'
import path from 'node:path'

const browserTest = useServer()

/** Responses of the page with a status of 400 or more, as "STATUS path". */
function collectErrors(page) {
  const errors = []
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`${res.status()} ${new URL(res.url()).pathname}`)
  })
  return errors
}

browserTest('anonymous-portal-asks-nothing-that-fails', async ({ page, url }) => {
  const errors = collectErrors(page)
  await page.goto(url)
  await page.getByRole('link', { name: /登录/ }).first().waitFor()
  await page.waitForLoadState('networkidle')
  assert.deepEqual(errors, [], 'no 401 for the session, no 404 for a missing draft')
})

browserTest('administrators-workbenches-and-a-readable-audit-log', async ({ page, url }) => {
  // A reviewer returns and then approves an information change, so the log holds review actions.
  const enterprise = apiClient(url)
  await enterprise.login('enterprise_demo', 'Shuzhuan@2026')
  const form = { name: '惠州市华阳精机股份有限公司', uscc: '91440300708461136T', region_code: '441302', sub_industry: '模具制造',
    contact_name: '赵经理', contact_phone: '13500001111', attachment_ids: [] }
  const created = await enterprise.post('/api/orgs/me/change-requests', form)
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const caseId = created.body.id
  const city = apiClient(url)
  await city.login('huizhou_admin', 'Shuzhuan@2026')
  const view = await city.get(`/api/review/cases/${caseId}`)
  const approved = await city.post(`/api/review/cases/${caseId}/actions`, { action: 'approve', version: view.body.version, opinion: '材料齐全，同意变更' })
  assert.equal(approved.status, 200, JSON.stringify(approved.body))

  for (const username of ['system_admin', 'audit_admin']) {
    const errors = collectErrors(page)
    await page.goto(`${url}/login`)
    await loginViaUi(page, url, { username, password: 'Shuzhuan@2026' })
    await page.getByRole('tab', { name: '待办事项' }).waitFor()
    await page.waitForLoadState('networkidle')
    assert.equal(await page.getByText('部分待办加载失败').count(), 0, `${username}: the to-do tab loads`)
    assert.deepEqual(errors.filter((e) => e.startsWith('403')), [], `${username} asks only for what it may see`)
    if (username === 'system_admin') await page.context().clearCookies()
  }

  // The audit administrator's log, in words.
  await page.goto(`${url}/workbench/audit`)
  await waitForPath(page, '/workbench/audit')
  const table = page.locator('[data-test=audit-table]')
  // The demo's own approvals (its pool filled through review) are in the log too: the row of this change.
  const row = table.locator('tr', { hasText: '审核通过' }).filter({ hasText: '华阳精机' }).first()
  await row.waitFor()
  await row.getByText('惠州市工业和信息化局').waitFor()
  await row.getByText('审核中 → 审核通过').waitFor()
  await row.getByText('材料齐全，同意变更').waitFor()
  // The case by its title (the applicant and the kind), linked to its page.
  const link = row.getByRole('link', { name: '惠州市华阳精机有限公司信息变更' })
  assert.equal(await link.getAttribute('href'), `/workbench/review/cases/${caseId}`)
  assert.equal(await table.getByText('越权访问').count(), 0, 'the administrators\' workbenches left no denials')
  // At 1366 no cell is cut without a tooltip: names, objects and contents wrap.
  const cut = await table.evaluate((el) =>
    [...el.querySelectorAll('.el-table__body-wrapper .cell')]
      .filter((c) => c.scrollWidth > c.clientWidth + 1 && !c.classList.contains('el-tooltip'))
      .map((c) => c.textContent.trim()),
  )
  assert.deepEqual(cut, [], 'audit cells cut without a tooltip')
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'audit-log.png'), fullPage: true })

  // Filter by action: only sign-ins.
  await page.locator('[data-test=audit-action]').click()
  await page.getByRole('option', { name: '登录', exact: true }).click()
  await page.getByRole('button', { name: '查询' }).click()
  await table.locator('tr', { hasText: '审核通过' }).first().waitFor({ state: 'detached' })
  await table.getByText('登录').first().waitFor()

  // Export: an Excel workbook.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=audit-export]').click()])
  assert.match(download.suggestedFilename(), /^审计日志-.*\.xlsx$/)
})
