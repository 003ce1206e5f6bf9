// (e) Change the password from the workbench: the server ends the session, the page goes to the login
//     page with "密码已修改，请重新登录", the new password works and the old one no longer does.
//     Change the bound phone with an SMS code sent to the new number.
import assert from 'node:assert/strict'
import { DEMO_ENTERPRISE, DEMO_USER, apiClient, expectStatus, fillCaptcha, loginViaUi, randomPhone, smsCode, useServer, waitForPath } from '../harness.mjs'

const browserTest = useServer()

browserTest('change-password-then-log-in-with-the-new-one', async ({ page, url }) => {
  const newPassword = 'Gaimi#2026new'
  await loginViaUi(page, url, DEMO_USER)

  await page.locator('[data-test=org-card]').getByRole('button', { name: '修改密码' }).click()
  const dialog = page.locator('[data-test=change-password-dialog]')
  await dialog.getByText('修改密码', { exact: true }).first().waitFor()

  // Checked before sending: the confirmation must match.
  await dialog.locator('input[name=old_password]').fill(DEMO_USER.password)
  await dialog.locator('input[name=new_password]').fill(newPassword)
  await dialog.locator('input[name=confirm_password]').fill(`${newPassword}x`)
  await dialog.locator('[data-test=change-password-submit]').click()
  await dialog.getByText('两次输入的新密码不一致').first().waitFor()

  await dialog.locator('input[name=confirm_password]').fill(newPassword)
  const changed = page.waitForResponse((r) => r.url().endsWith('/api/auth/password') && r.request().method() === 'POST')
  await dialog.locator('[data-test=change-password-submit]').click()
  const res = await changed
  await expectStatus(res, 204)

  await waitForPath(page, '/login')
  await page.locator('[data-test=login-notice]').getByText('密码已修改，请重新登录').waitFor()
  // The session is over on the server too.
  assert.equal((await page.request.get(`${url}/api/auth/me`)).status(), 401)

  // The old password is refused, the new one works.
  const api = apiClient(url)
  await assert.rejects(api.login(DEMO_USER.username, DEMO_USER.password), /401/)
  await loginViaUi(page, url, { username: DEMO_USER.username, password: newPassword })
  await page.locator('[data-test=org-card]').waitFor()
})

browserTest('change-bound-phone-with-the-password-and-sms-to-the-new-number', async ({ page, url }) => {
  await loginViaUi(page, url, DEMO_ENTERPRISE)
  const card = page.locator('[data-test=org-card]')
  await card.getByRole('button', { name: '修改绑定手机号' }).click()
  const dialog = page.locator('[data-test=change-phone-dialog]')
  await dialog.locator('[data-test=current-phone]').getByText('138****0001').waitFor()

  const newPhone = randomPhone()
  await dialog.locator('input[name=current_password]').fill(DEMO_ENTERPRISE.password)
  await dialog.locator('input[name=new_phone]').fill(newPhone)
  await fillCaptcha(page, dialog)
  const sent = page.waitForResponse((r) => r.url().endsWith('/api/sms/send'))
  await dialog.locator('[data-test=sms-send]').click()
  await expectStatus(await sent, 200)
  await dialog.locator('input[name=sms_code]').fill(await smsCode(url, newPhone))
  const changed = page.waitForResponse((r) => r.url().endsWith('/api/auth/phone'))
  await dialog.getByRole('button', { name: '提交' }).click()
  await expectStatus(await changed, 200)
  await dialog.waitFor({ state: 'hidden' })
  const masked = `${newPhone.slice(0, 3)}****${newPhone.slice(7)}`
  await card.locator('[data-test=org-card-phone]').getByText(masked).waitFor()

  // The new number logs in.
  const api = apiClient(url)
  const user = await api.login(newPhone, DEMO_ENTERPRISE.password)
  assert.equal(user.username, DEMO_ENTERPRISE.username)
})
