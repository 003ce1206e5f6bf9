// (f) An enterprise administrator adds a sub-account, sees it listed with a masked phone (and the full
//     number on 查看), and deletes it again. Resetting a password shows a one-time password once; the
//     user must change it before anything else.
import assert from 'node:assert/strict'
import { apiClient, expectStatus, loginViaUi, randomPhone, registerEnterpriseViaApi, useServer, waitForPath } from '../harness.mjs'

const browserTest = useServer()

browserTest('sub-account-add-list-masked-phone-delete', async ({ page, url }) => {
  // A fresh enterprise (registered through the API), so the test does not depend on demo accounts.
  const owner = await registerEnterpriseViaApi(url)
  await loginViaUi(page, url, { username: owner.phone, password: owner.password })

  await page.locator('[data-test=module-accounts]').click()
  await waitForPath(page, '/workbench/accounts')
  const table = page.locator('[data-test=user-table]')
  await table.getByText(owner.phone.slice(0, 3) + '****' + owner.phone.slice(7)).waitFor()

  const username = `sub_${Date.now() % 1e8}`
  const phone = randomPhone()
  await page.locator('[data-test=user-add]').click()
  const dialog = page.locator('[data-test=user-dialog]')
  await dialog.locator('input[name=username]').fill(username)
  await dialog.locator('input[name=display_name]').fill('子账号测试')
  await dialog.locator('input[name=phone]').fill(phone)
  await dialog.locator('input[name=email]').fill('sub@example.cn')
  await dialog.locator('input[name=password]').fill('Zizhang#2026')
  await dialog.locator('input[name=confirm_password]').fill('Zizhang#2026')
  // Menu permissions come from GET /api/permissions: grant the first one.
  const firstPermission = dialog.locator('[data-test=user-permissions] .el-checkbox').first()
  await firstPermission.click()
  const created = page.waitForResponse((r) => r.url().endsWith('/api/users') && r.request().method() === 'POST')
  await dialog.locator('[data-test=user-save]').click()
  const res = await created
  await expectStatus(res, 201)
  const user = await res.json()
  assert.equal(user.permissions.length, 1)

  // Listed with the phone masked; 查看 shows the full number.
  const row = table.locator('.el-table__body tr', { hasText: username })
  await row.waitFor()
  const masked = `${phone.slice(0, 3)}****${phone.slice(7)}`
  assert.equal((await row.locator('[data-test=user-phone]').innerText()).trim(), masked)
  assert.ok(!(await row.innerText()).includes(phone), 'the full number is not on the page before 查看')
  await row.getByRole('button', { name: '查看' }).click()
  await row.locator('[data-test=user-phone]').getByText(phone, { exact: true }).waitFor()

  // Delete with confirmation.
  await row.locator('[data-test=user-delete]').click()
  const confirm = page.getByRole('dialog', { name: '删除用户' })
  await confirm.getByText(username, { exact: false }).waitFor()
  const deleted = page.waitForResponse((r) => r.url().includes(`/api/users/${user.id}`) && r.request().method() === 'DELETE')
  await confirm.getByRole('button', { name: '删除' }).click()
  assert.equal((await deleted).status(), 204)
  await row.waitFor({ state: 'detached' })
  await page.getByText('共 1 条').waitFor()
})

browserTest('reset-password-shows-one-time-password-and-forces-a-change', async ({ page, url }) => {
  const owner = await registerEnterpriseViaApi(url)
  const admin = apiClient(url)
  await admin.login(owner.phone, owner.password)
  const username = `otp_${Date.now() % 1e8}`
  const created = await admin.post('/api/users', {
    username,
    display_name: '重置测试',
    phone: randomPhone(),
    password: 'Chushi#2026',
    permissions: [],
  })
  assert.equal(created.status, 201, JSON.stringify(created.body))

  await loginViaUi(page, url, { username: owner.phone, password: owner.password })
  await page.goto(`${url}/workbench/accounts`)
  const row = page.locator('[data-test=user-table] .el-table__body tr', { hasText: username })
  await row.getByRole('button', { name: '重置密码' }).click()
  const reset = page.waitForResponse((r) => r.url().endsWith(`/api/users/${created.body.id}/reset-password`))
  await page.getByRole('dialog', { name: '重置密码' }).getByRole('button', { name: '重置' }).click()
  await expectStatus(await reset, 200)
  const shown = page.locator('[data-test=one-time-password]')
  const oneTime = (await shown.locator('[data-test=one-time-password-value]').innerText()).trim()
  assert.ok(oneTime.length >= 8, `one-time password shown: ${oneTime}`)
  await shown.getByText('只显示这一次').waitFor()
  await shown.getByRole('button', { name: '我已告知用户，关闭' }).click()

  // The user logs in with it and must choose a new password before anything else.
  await page.getByRole('navigation', { name: '主导航' }).getByText('退出登录').click()
  await waitForPath(page, '/login')
  await loginViaUi(page, url, { username, password: oneTime })
  const forced = page.locator('[data-test=change-password-dialog]')
  await forced.getByText('请先修改初始密码').waitFor()
  assert.equal(await forced.locator('.el-dialog__headerbtn').count(), 0, 'the forced dialog has no close button')
  await page.keyboard.press('Escape')
  await forced.getByText('请先修改初始密码').waitFor()

  const newPassword = 'Xinmima#2026'
  await forced.locator('input[name=old_password]').fill(oneTime)
  await forced.locator('input[name=new_password]').fill(newPassword)
  await forced.locator('input[name=confirm_password]').fill(newPassword)
  await forced.locator('[data-test=change-password-submit]').click()
  await waitForPath(page, '/login')
  await page.locator('[data-test=login-notice]').getByText('密码已修改，请重新登录').waitFor()
  await loginViaUi(page, url, { username, password: newPassword })
  await page.locator('[data-test=org-card]').waitFor()
  assert.equal(await page.locator('[data-test=change-password-dialog]').count(), 0)
})
