// (c) A wrong password shows the server's Chinese message and stays on the login page.
import assert from 'node:assert/strict'
import { DEMO_USER, useServer, waitForPath } from '../harness.mjs'

const browserTest = useServer()

browserTest('login-wrong-password-shows-server-message', async ({ page, url }) => {
  await page.goto(`${url}/login`)
  await page.locator('input[name=username]').fill(DEMO_USER.username)
  await page.locator('input[name=password]').fill('Wrong-password-1')

  const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'))
  await page.locator('button[type=submit]').click()
  const res = await answered
  assert.equal(res.status(), 401)
  const body = await res.json()
  assert.equal(body.error.code, 'invalid_credentials')
  const message = body.error.message
  assert.match(message, /[\u4e00-\u9fff]/, `server message should be Chinese: ${message}`)

  const shown = page.locator('[data-test=login-error]')
  await shown.getByText(message, { exact: true }).waitFor()
  await waitForPath(page, '/login')

  // The form is usable again right away: the right password gets in.
  await page.locator('input[name=password]').fill(DEMO_USER.password)
  await page.locator('button[type=submit]').click()
  await waitForPath(page, '/workbench')
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
  assert.equal(sent, false)
})
