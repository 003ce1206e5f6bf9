// 统计汇总 (issue 20): an official opens the dashboard from the workbench tile; the figures are its region's; a
// number and a bar each open the list behind them, whose 共 N 条 is the figure clicked; a table exports to Excel.
//   1. Through the API: the Huizhou demo enterprise (惠城区) asks for an information change, which the city
//      approves, and asks again (in review).
//   2. 惠州市工业和信息化局 opens 统计汇总 from its workbench: 信息变更 counts both; clicking 合计, 审核中 and the
//      信息变更 bar opens lists of as many cases; back on the dashboard it exports 各类事项数量 (.xlsx).
//   3. 江门市蓬江区's official sees none of Huizhou's cases.
import assert from 'node:assert/strict'
import path from 'node:path'
import fs from 'node:fs'
import { ARTIFACTS_DIR, apiClient, downloadedBy, loginViaUi, useServer, waitForPath } from '../harness.mjs'

const browserTest = useServer()
const PASSWORD = 'Shuzhuan@2026'
const SHOTS = process.env.SHUZHUAN_E2E_SHOTS || ARTIFACTS_DIR

async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })
}

/** The number in a cell of a table of the dashboard: the `column`-th of the row whose first cell is `label`. */
function figure(page, table, label, column) {
  return page.locator(`[data-test=table-${table}] .el-table__body tr`, { hasText: label }).first().locator('td').nth(column).locator('[data-test=figure]')
}

async function listTotal(page) {
  await waitForPath(page, '/workbench/dashboard/list')
  const total = page.locator('[data-test=list-total]')
  await page.locator('[data-test=list-table]').waitFor()
  await page.waitForLoadState('networkidle')
  return Number(await total.textContent())
}

browserTest('official-dashboard-counts-match-their-lists', async ({ page, url }) => {
  const enterprise = apiClient(url)
  await enterprise.login('enterprise_demo', PASSWORD)
  const form = { name: '惠州市华阳精机股份有限公司', uscc: '91440300708461136T', region_code: '441302', sub_industry: '模具制造',
    contact_name: '赵经理', contact_phone: '13500001111', attachment_ids: [] }
  const first = await enterprise.post('/api/orgs/me/change-requests', form)
  assert.equal(first.status, 201, JSON.stringify(first.body))
  const city = apiClient(url)
  await city.login('huizhou_admin', PASSWORD)
  const view = await city.get(`/api/review/cases/${first.body.id}`)
  const approved = await city.post(`/api/review/cases/${first.body.id}/actions`, { action: 'approve', version: view.body.version, opinion: '同意' })
  assert.equal(approved.status, 200, JSON.stringify(approved.body))
  const second = await enterprise.post('/api/orgs/me/change-requests', { ...form, name: '惠州市华阳精机集团股份有限公司' })
  assert.equal(second.status, 201, JSON.stringify(second.body))

  await page.goto(`${url}/login`)
  await loginViaUi(page, url, { username: 'huizhou_admin', password: PASSWORD })
  await page.locator('[data-test=module-summary]').click()
  await waitForPath(page, '/workbench/dashboard')
  const total = figure(page, 'kinds', '信息变更', 1)
  await total.waitFor()
  await page.waitForLoadState('networkidle')
  const n = Number(await total.textContent())
  const inReview = Number(await figure(page, 'kinds', '信息变更', 2).textContent())
  assert.ok(n >= 2 && inReview >= 1, `信息变更: ${n} in all, ${inReview} in review`)
  await shot(page, 'dashboard-city')

  // A number opens its list: as many cases as it says.
  await total.click()
  assert.equal(await listTotal(page), n, '合计 = its list')
  await page.getByText('惠州市华阳精机').first().waitFor()
  await shot(page, 'dashboard-list')
  await page.goBack()
  await waitForPath(page, '/workbench/dashboard')
  await figure(page, 'kinds', '信息变更', 2).click()
  assert.equal(await listTotal(page), inReview, '审核中 = its list')
  await page.goBack()
  await waitForPath(page, '/workbench/dashboard')

  // A bar opens its list too: 信息变更's bar in the chart of 各类事项.
  const kinds = await city.get('/api/dashboard')
  const index = kinds.body.kinds.findIndex((k) => k.kind === 'info_change')
  const bars = page.locator('[data-test=table-kinds] svg path[fill="#1f4e8c"], [data-test=table-kinds] svg path[fill="rgb(31,78,140)"]')
  await bars.nth(index).waitFor()
  await bars.nth(index).click({ force: true })
  assert.equal(await listTotal(page), n, 'the bar = its list')
  await page.goBack()
  await waitForPath(page, '/workbench/dashboard')

  // 导出Excel: the kinds table as an .xlsx file.
  await figure(page, 'kinds', '信息变更', 1).waitFor()
  const file = await downloadedBy(page, () => page.locator('[data-test=export-kinds]').click())
  assert.match(file.name, /^统计汇总-.*各类事项数量.*\.xlsx$/)
  assert.equal(file.bytes.subarray(0, 2).toString(), 'PK', 'an xlsx (zip) file')
  assert.ok(file.bytes.includes(Buffer.from('xl/worksheets/sheet1.xml')), 'with its sheet')

  // Another district's official: none of Huizhou's.
  await page.context().clearCookies()
  await page.goto(`${url}/login`)
  await loginViaUi(page, url, { username: 'pengjiang_admin', password: PASSWORD })
  await page.goto(`${url}/workbench/dashboard`)
  await waitForPath(page, '/workbench/dashboard')
  await page.locator('[data-test=table-kinds]').waitFor()
  await page.waitForLoadState('networkidle')
  assert.equal(await page.locator('[data-test=table-kinds] .el-table__body tr', { hasText: '信息变更' }).count(), 0, '蓬江区 sees no 惠城区 change')
  await shot(page, 'dashboard-district')
})
