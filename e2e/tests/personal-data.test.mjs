// Personal data on a case page (issue 13): an enterprise's 信息变更 carries its contact's mobile number; the
// reviewing bureau sees it masked and reveals it with 查看 (each reveal is recorded in the audit log, which
// the audit administrator reads).
import assert from 'node:assert/strict'
import { DEMO_ENTERPRISE, apiClient, loginViaUi, useServer } from '../harness.mjs'

const browserTest = useServer()

browserTest('reviewer-reveals-a-masked-phone-and-the-reveal-is-audited', async ({ page, url }) => {
  // The enterprise asks in the 信息变更 dialog (the server's form schema drawn by the form engine). Its name
  // field searches the company registry: picking the company fills the credit code (cleared here first).
  await loginViaUi(page, url, DEMO_ENTERPRISE)
  await page.locator('[data-test=open-info-change]').click()
  const dialog = page.locator('[data-test=info-change-dialog]')
  const form = dialog.locator('[data-test=info-change-form]')
  await form.waitFor()
  await form.locator('[data-field=uscc] input').fill('')
  const searched = page.waitForResponse((r) => r.url().includes('/api/companies/search'))
  await form.locator('[data-field=name] [data-test=company-name] input').fill('华阳精机')
  const hits = (await (await searched).json()).items
  const company = hits.find((c) => c.name === '惠州市华阳精机有限公司')
  assert.ok(company, `the registry holds the demo company: ${JSON.stringify(hits)}`)
  await page.locator('.company-name__popper li', { hasText: company.name }).first().click()
  await page.waitForFunction((want) => document.querySelector('[data-test=info-change-form] [data-field=uscc] input')?.value === want, company.uscc)
  // The demo profile has no contact yet: 联系人 is required, and the server says so under the field.
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/orgs/me/change-requests') && r.request().method() === 'POST')
  await dialog.locator('[data-test=info-change-submit]').click()
  assert.equal((await refused).status(), 422)
  await form.locator('[data-field=contact_name].is-error').getByText('请填写「联系人」').waitFor()
  await form.locator('[data-field=contact_name] input').fill('赵经理')
  await form.locator('[data-field=contact_phone] input').fill('13500001111')
  if (process.env.SHUZHUAN_E2E_SHOTS) await page.screenshot({ path: `${process.env.SHUZHUAN_E2E_SHOTS}/info-change-dialog.png` })
  const sent = page.waitForResponse((r) => r.url().endsWith('/api/orgs/me/change-requests') && r.request().method() === 'POST')
  await dialog.locator('[data-test=info-change-submit]').click()
  const created = await sent
  assert.equal(created.status(), 201, await created.text())
  const caseId = (await created.json()).id
  const request = created.request().postDataJSON()
  assert.equal(request.uscc, company.uscc)
  assert.equal(request.region_code, company.region_code ?? request.region_code)
  await dialog.getByText('变更申请已提交').first().waitFor()

  await page.context().clearCookies()
  await loginViaUi(page, url, { username: 'huizhou_admin', password: 'Shuzhuan@2026' })
  await page.goto(`${url}/workbench/review/cases/${caseId}`)
  const fields = page.locator('[data-test=case-fields]')
  await fields.getByText('135****1111').waitFor()
  assert.equal(await fields.getByText('13500001111').count(), 0, 'the full number is not on the page')
  if (process.env.SHUZHUAN_E2E_SHOTS) await page.screenshot({ path: `${process.env.SHUZHUAN_E2E_SHOTS}/personal-data-masked.png`, fullPage: true })
  const revealed = page.waitForResponse((r) => r.url().includes(`/api/review/cases/${caseId}/personal-data`))
  await page.locator('[data-test=reveal-contact_phone]').click()
  assert.equal((await revealed).status(), 200)
  await fields.getByText('13500001111').waitFor()
  if (process.env.SHUZHUAN_E2E_SHOTS) await page.screenshot({ path: `${process.env.SHUZHUAN_E2E_SHOTS}/personal-data-revealed.png`, fullPage: true })

  const auditor = apiClient(url)
  await auditor.login('audit_admin', 'Shuzhuan@2026')
  const log = await auditor.get('/api/audit?action=unmask_personal_data')
  assert.equal(log.status, 200)
  assert.ok(JSON.stringify(log.body).includes('unmask_personal_data'), JSON.stringify(log.body).slice(0, 400))
})
