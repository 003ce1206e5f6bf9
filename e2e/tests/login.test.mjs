// (c) Login with the graphical captcha: a wrong password shows the server's Chinese message and brings
//     a new captcha; the right one reaches the workbench; empty fields are checked before sending.
//     SMS login, and 忘记密码 (SMS code → new password → back to login).
import assert from 'node:assert/strict'
import { DEMO_ENTERPRISE, DEMO_PROVIDER, DEMO_USER, expectStatus, fillCaptcha, loginViaUi, smsCode, useServer, waitForPath } from '../harness.mjs'

const browserTest = useServer()

browserTest('login-wrong-password-shows-server-message', async ({ page, url }) => {
  await page.goto(`${url}/login`)
  await page.locator('input[name=username]').fill(DEMO_USER.username)
  await page.locator('input[name=password]').fill('Wrong-password-1')
  await fillCaptcha(page)

  const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'))
  // A failed attempt uses up the captcha: the page fetches a new one by itself.
  const newCaptcha = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/captcha')
  await page.locator('button[type=submit]').click()
  const res = await answered
  assert.equal(res.status(), 401)
  const body = await res.json()
  assert.equal(body.error.code, 'invalid_credentials')
  const message = body.error.message
  assert.match(message, /[\u4e00-\u9fff]/, `server message should be Chinese: ${message}`)
  await newCaptcha
  assert.equal(await page.locator('input[name=captcha]').inputValue(), '', 'the used answer is cleared')

  const shown = page.locator('[data-test=login-error]')
  await shown.getByText(message, { exact: true }).waitFor()
  await waitForPath(page, '/login')

  // The form is usable again right away: the right password (and the new captcha) gets in.
  await page.locator('input[name=password]').fill(DEMO_USER.password)
  await fillCaptcha(page)
  await page.locator('button[type=submit]').click()
  await waitForPath(page, '/workbench')
  await page.locator('[data-test=org-card]').waitFor()
})

browserTest('login-wrong-captcha-is-shown-on-the-captcha-field', async ({ page, url }) => {
  await page.goto(`${url}/login`)
  await page.locator('input[name=username]').fill(DEMO_USER.username)
  await page.locator('input[name=password]').fill(DEMO_USER.password)
  const answer = await fillCaptcha(page)
  await page.locator('input[name=captcha]').fill(answer === '0000' ? '1111' : '0000')
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'))
  await page.locator('button[type=submit]').click()
  const res = await answered
  assert.equal(res.status(), 422, `a wrong captcha answered ${res.status()}`)
  const field = (await res.json()).error.fields.find((f) => f.field === 'captcha_answer')
  assert.ok(field, 'the refusal names the captcha field')
  await page.locator('.el-form-item__error', { hasText: field.message }).waitFor()
  await waitForPath(page, '/login')
})

browserTest('login-empty-fields-are-checked-before-sending', async ({ page, url }) => {
  await page.goto(`${url}/login`)
  let sent = false
  page.on('request', (r) => {
    if (r.url().endsWith('/api/auth/login')) sent = true
  })
  await page.locator('button[type=submit]').click()
  await page.getByText('请输入手机号或用户名').waitFor()
  await page.getByText('请输入密码', { exact: true }).waitFor()
  await page.getByText('请输入图形验证码', { exact: true }).waitFor()
  assert.equal(sent, false)
})

browserTest('forgot-password-link-and-sms-login-tab', async ({ page, url }) => {
  await page.goto(`${url}/login`)
  await page.getByRole('tab', { name: '短信登录' }).click()
  await page.locator('input[name=phone]').waitFor()
  await page.locator('[data-test=sms-send]').waitFor()
  await page.locator('[data-test=forgot-password]').click()
  await waitForPath(page, '/forgot-password')
  await page.getByRole('heading', { name: '找回密码' }).waitFor()
})

browserTest('login-with-sms-code', async ({ page, url }) => {
  await page.goto(`${url}/login`)
  await page.getByRole('tab', { name: '短信登录' }).click()
  await page.locator('input[name=phone]').fill(DEMO_ENTERPRISE.phone)
  await fillCaptcha(page)
  const sent = page.waitForResponse((r) => r.url().endsWith('/api/sms/send'))
  await page.locator('[data-test=sms-send]').click()
  await expectStatus(await sent, 200)
  await page.locator('input[name=sms_code]').fill(await smsCode(url, DEMO_ENTERPRISE.phone))
  await page.locator('button[type=submit]').click()
  await waitForPath(page, '/workbench')
  await page.locator('[data-test=org-card]').getByText('138****0001').waitFor()
})

// Another number than the SMS login above: codes for one number are at least 60 s apart.
browserTest('forgot-password-resets-and-logs-in', async ({ page, url }) => {
  const newPassword = 'Zhaohui#2026'
  await page.goto(`${url}/login`)
  await page.locator('[data-test=forgot-password]').click()
  await waitForPath(page, '/forgot-password')
  await page.locator('input[name=phone]').fill(DEMO_PROVIDER.phone)
  await fillCaptcha(page)
  const sent = page.waitForResponse((r) => r.url().endsWith('/api/sms/send'))
  await page.locator('[data-test=sms-send]').click()
  await expectStatus(await sent, 200)
  await page.locator('input[name=sms_code]').fill(await smsCode(url, DEMO_PROVIDER.phone))
  await page.locator('input[name=new_password]').fill(newPassword)
  await page.locator('input[name=confirm_password]').fill(newPassword)
  const reset = page.waitForResponse((r) => r.url().endsWith('/api/auth/password/reset'))
  await page.getByRole('button', { name: '提交' }).click()
  await expectStatus(await reset, 204)
  await waitForPath(page, '/login')
  await page.locator('[data-test=login-notice]').getByText('密码已重置').waitFor()
  assert.equal(await page.locator('input[name=username]').inputValue(), DEMO_PROVIDER.phone)
  await loginViaUi(page, url, { username: DEMO_PROVIDER.username, password: newPassword })
})
