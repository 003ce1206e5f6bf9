// Personal data on a case page (issue 13): an enterprise's 信息变更 carries its contact's mobile number; the
// reviewing bureau sees it masked and reveals it with 查看 (each reveal is recorded in the audit log, which
// the audit administrator reads).
import assert from 'node:assert/strict'
import { DEMO_ENTERPRISE, apiClient, loginViaUi, useServer } from '../harness.mjs'

const browserTest = useServer()

browserTest('reviewer-reveals-a-masked-phone-and-the-reveal-is-audited', async ({ page, url }) => {
  const enterprise = apiClient(url)
  await enterprise.login(DEMO_ENTERPRISE.username, DEMO_ENTERPRISE.password)
  const created = await enterprise.post('/api/orgs/me/change-requests', {
    name: '惠州市华阳精机有限公司',
    uscc: '91440300708461136T',
    region_code: '441302',
    sub_industry: '模具制造',
    contact_name: '赵经理',
    contact_phone: '13500001111',
    attachment_ids: [],
  })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  const caseId = created.body.id

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
