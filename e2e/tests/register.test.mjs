// (d) Register an enterprise: the company-name search fills the form from the company registry
//     (a Huizhou partner), the SMS code comes from the development outbox, and the new account lands
//     on the login page, where it can log in. A half-filled form survives a reload.
import assert from 'node:assert/strict'
import { expectStatus, fillCaptcha, loginViaUi, randomPhone, smsCode, useServer, waitForPath } from '../harness.mjs'

const browserTest = useServer()
const DRAFT_KEY = 'shuzhuan.register.draft.v1'

browserTest('register-enterprise-with-company-search-and-sms', async ({ page, url }) => {
  await page.goto(`${url}/register`)
  await page.getByRole('heading', { name: '企业用户注册' }).waitFor()
  // The password rules come from the server.
  const policy = await (await fetch(`${url}/api/auth/password-policy`)).json()
  await page.locator('[data-test=password-policy]').getByText(policy.description).waitFor()

  const phone = randomPhone()
  const password = `Qiye#${Date.now() % 100000}a`
  await page.locator('input[name=phone]').fill(phone)

  // 获取验证码 needs the graphical captcha; the code is read from the log gateway's outbox.
  await fillCaptcha(page)
  const sent = page.waitForResponse((r) => r.url().endsWith('/api/sms/send'))
  await page.locator('[data-test=sms-send]').click()
  const sentResponse = await sent
  await expectStatus(sentResponse, 200)
  await page.locator('[data-test=sms-send]').getByText(/\d+秒后重新获取/).waitFor()
  await page.locator('input[name=sms_code]').fill(await smsCode(url, phone))

  await page.locator('input[name=password]').fill(password)
  await page.locator('input[name=confirm_password]').fill(password)

  // Fuzzy company search: type part of a name, choose a Huizhou company from the suggestions.
  const searched = page.waitForResponse((r) => r.url().includes('/api/companies/search'))
  await page.locator('[data-test=company-name] input').fill('惠州')
  const hits = (await (await searched).json()).items
  assert.ok(hits.length > 0, 'the registry has companies matching 惠州')
  // Take the last suggestion (the demo accounts use the first companies of the registry).
  const company = hits[hits.length - 1]
  await page.locator('.company-name__popper li', { hasText: company.name }).first().click()
  await page.getByText(`已根据“${company.name}”带出`).waitFor()

  // The form is filled from the registry, and stays editable.
  assert.equal(await page.locator('input[name=uscc]').inputValue(), company.uscc)
  const regionInput = page.locator('[data-test=register-region] input')
  await page.waitForFunction((el) => el.value.startsWith('广东省 / 惠州市'), await regionInput.elementHandle())
  if (company.region_code) {
    const region = await (await fetch(`${url}/api/regions/${company.region_code}`)).json()
    assert.equal(await regionInput.inputValue(), region.path.map((p) => p.name).join(' / '))
  }
  if (company.address) assert.equal(await page.locator('input[name=address]').inputValue(), company.address)
  else await page.locator('input[name=address]').fill('惠州市惠城区测试路1号')
  if (!company.industry_code) {
    await page.locator('[data-test=register-industry]').click()
    // IndustrySelect is a cascader: clicking a row chooses it (any level), Escape closes the menu.
    await page.locator('.industry-select__popper .el-cascader-node', { hasText: /^C 制造业$/ }).click()
    await page.waitForFunction((el) => el.value === 'C 制造业', await page.locator('[data-test=register-industry] input').elementHandle())
    await page.keyboard.press('Escape')
  }
  await page.locator('input[name=contact_name]').fill('注册测试员')

  const registered = page.waitForResponse((r) => r.url().endsWith('/api/register'))
  await page.locator('[data-test=register-submit]').click()
  const res = await registered
  await expectStatus(res, 201)

  // Lands on the login page with a success message and the phone filled in; the draft is gone.
  await waitForPath(page, '/login')
  await page.locator('[data-test=login-notice]').getByText('注册成功').waitFor()
  assert.equal(await page.locator('input[name=username]').inputValue(), phone)
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), DRAFT_KEY), null)

  // The new account works.
  await loginViaUi(page, url, { username: phone, password })
  await page.locator('[data-test=org-card]').getByText(company.name, { exact: true }).waitFor()
})

browserTest('register-half-filled-form-survives-reload', async ({ page, url }) => {
  await page.goto(`${url}/register`)
  await page.getByRole('tab', { name: /服务商/ }).click()
  await page.getByRole('heading', { name: '服务商用户注册' }).waitFor()
  await page.locator('input[name=phone]').fill('13912345678')
  await page.locator('input[name=contact_name]').fill('草稿联系人')
  await page.locator('input[name=password]').fill('NotKept#2026')
  // Provider service scopes come from the server.
  await page.locator('[data-test=register-scopes]').click()
  const scopes = (await (await fetch(`${url}/api/providers/service-scopes`)).json()).items
  assert.ok(scopes.length > 0)
  await page.locator('.el-select-dropdown__item', { hasText: scopes[0].label }).click()
  await page.keyboard.press('Escape')
  await page.waitForTimeout(600) // the draft is saved 400 ms after the last change

  await page.reload()
  await page.locator('[data-test=draft-restored]').waitFor()
  await page.getByRole('heading', { name: '服务商用户注册' }).waitFor()
  assert.equal(await page.locator('input[name=phone]').inputValue(), '13912345678')
  assert.equal(await page.locator('input[name=contact_name]').inputValue(), '草稿联系人')
  assert.equal(await page.locator('input[name=password]').inputValue(), '', 'passwords are never kept')
  await page.locator('[data-test=register-scopes]').getByText(scopes[0].label).waitFor()

  // Submitting the incomplete form lists what is missing and sends nothing.
  let sent = false
  page.on('request', (r) => {
    if (r.url().endsWith('/api/register')) sent = true
  })
  await page.locator('[data-test=register-submit]').click()
  const summary = page.locator('[data-test=form-summary]')
  for (const label of ['短信验证码', '密码', '服务商企业名称', '统一社会信用代码', '所属地区']) {
    await summary.getByText(label, { exact: true }).waitFor()
  }
  assert.equal(sent, false)

  // 清空重填 forgets the draft.
  await page.getByRole('button', { name: '清空重填' }).click()
  assert.equal(await page.locator('input[name=phone]').inputValue(), '')
  await page.waitForTimeout(600)
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), DRAFT_KEY), null)
})
