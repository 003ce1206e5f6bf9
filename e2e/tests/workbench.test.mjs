// (b) Log in with the demo account (captcha) and use the workbench; the developer page 参考数据 is the system
//     administrator's only: log in as that one, use it against the real API, log out, and be sent to the
//     login page when opening /workbench again.
// (b2) 工作台公告: the operator publishes an announcement to enterprises; an enterprise finds it under 平台公告,
//     unread, opens it (the text as written, line breaks kept) and the unread mark goes; a provider has none.
import assert from 'node:assert/strict'
import { DEMO_USER, loginViaUi, samplePdf, useServer, waitForPath } from '../harness.mjs'

const browserTest = useServer()

browserTest('workbench-login-region-upload-logout', async ({ page, url }) => {
  // Not logged in: the guard sends /workbench to the login page, remembering where to return.
  await page.goto(`${url}/workbench`)
  await waitForPath(page, '/login')
  assert.equal(new URL(page.url()).searchParams.get('redirect'), '/workbench')

  await loginViaUi(page, url, DEMO_USER)

  // Organization card and the three tabs. A government body has no 信息变更 (that is for companies).
  const card = page.locator('[data-test=org-card]')
  await card.getByText('江门市工业和信息化局', { exact: true }).waitFor()
  for (const action of ['修改密码', '修改绑定手机号']) {
    await card.getByRole('button', { name: action }).waitFor()
  }
  assert.equal(await card.getByRole('button', { name: '信息变更' }).count(), 0)
  for (const tab of ['待办事项', '审核通知', '留言板']) {
    await page.getByRole('tab', { name: tab }).waitFor()
  }
  await page.getByRole('tab', { name: '审核通知' }).click()
  await page.getByText('暂无审核通知').waitFor()

  // 修改绑定手机号 shows the current (masked) number and asks for the new one with an SMS code.
  await card.getByRole('button', { name: '修改绑定手机号' }).click()
  const dialog = page.locator('[data-test=change-phone-dialog]')
  await dialog.locator('input[name=new_phone]').waitFor()
  await dialog.locator('[data-test=captcha-image] img').waitFor()
  await dialog.getByRole('button', { name: '取消' }).click()
  await dialog.waitFor({ state: 'hidden' })
  // A module that is not built yet explains itself.
  await page.locator('[data-test=module-settings]').click()
  const soon = page.getByRole('dialog')
  await soon.getByText('该功能即将开放').waitFor()
  await soon.getByRole('button', { name: '知道了' }).click()
  await soon.waitFor({ state: 'hidden' })

  // 参考数据 (codes, SHA-256 of uploads) is not for a city bureau: no module, and its address leads back.
  assert.equal(await page.locator('[data-test=module-reference-data]').count(), 0)
  await page.goto(`${url}/workbench/reference-data`)
  await waitForPath(page, '/workbench')
  await page.getByText('您没有访问该功能的权限').waitFor()

  // The system administrator has it.
  await page.getByRole('navigation', { name: '主导航' }).getByText('退出登录').click()
  await waitForPath(page, '/login')
  await loginViaUi(page, url, { username: 'system_admin', password: DEMO_USER.password })
  await page.locator('[data-test=module-reference-data]').click()
  await waitForPath(page, '/workbench/reference-data')

  // Region cascader: 广东省 / 江门市 / 蓬江区, each level loaded from GET /api/regions?parent=.
  await page.locator('[data-test=region-cascader] .el-cascader').click()
  for (const name of ['广东省', '江门市', '蓬江区']) {
    await page.locator('.el-cascader-node', { has: page.locator('.el-cascader-node__label', { hasText: new RegExp(`^${name}$`) }) }).click()
  }
  const regionInput = page.locator('[data-test=region-cascader] input')
  await page.waitForFunction(
    (el) => el.value === '广东省 / 江门市 / 蓬江区',
    await regionInput.elementHandle(),
  )
  const regionCode = (await page.locator('[data-test=region-code]').innerText()).trim()
  assert.match(regionCode, /^\d{6,12}$/, `region code shown: ${regionCode}`)
  const region = await (await fetch(`${url}/api/regions/${regionCode}`)).json()
  assert.equal(region.name, '蓬江区')

  // Upload a small PDF and see it listed, with a working download link.
  const fileName = `江门e2e材料-${Date.now()}.pdf`
  await page.locator('[data-test=upload-hint]').getByText(/PDF/i).waitFor()
  const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/files') && r.request().method() === 'POST')
  await page.locator('[data-test=file-upload] input[type=file]').setInputFiles({
    name: fileName,
    mimeType: 'application/pdf',
    buffer: samplePdf(),
  })
  const uploadResponse = await uploaded
  assert.equal(uploadResponse.status(), 201, `upload answered ${uploadResponse.status()}: ${await uploadResponse.text()}`)
  const row = page.locator('[data-test=file-table] .el-table__row', { hasText: fileName })
  await row.waitFor()
  const href = await row.getByRole('link', { name: fileName }).getAttribute('href')
  assert.match(href ?? '', /^\/api\/files\/[^/]+$/)
  const download = await page.request.get(`${url}${href}`)
  assert.equal(download.status(), 200)
  assert.ok((await download.body()).subarray(0, 5).toString('latin1') === '%PDF-', 'download returns the PDF')

  // The list survives a reload (it comes from GET /api/files, not from memory).
  await page.reload()
  await page.locator('[data-test=file-table] .el-table__row', { hasText: fileName }).waitFor()

  // Log out; /workbench now leads to the login page.
  await page.getByRole('navigation', { name: '主导航' }).getByText('退出登录').click()
  await waitForPath(page, '/login')
  await page.goto(`${url}/workbench`)
  await waitForPath(page, '/login')
  await page.locator('input[name=username]').waitFor()
  const me = await page.request.get(`${url}/api/auth/me`)
  assert.equal(me.status(), 401)
})

browserTest('workbench-announcement-published-and-read', async ({ page, url }) => {
  const PASSWORD = 'Shuzhuan@2026'
  const logout = async () => {
    await page.getByRole('navigation', { name: '主导航' }).getByText('退出登录').click()
    await waitForPath(page, '/login')
  }
  await loginViaUi(page, url, { username: 'operator_admin', password: PASSWORD })
  await page.locator('[data-test=module-announcements]').click()
  await waitForPath(page, '/workbench/announcements')
  await page.locator('[data-test=announcement-publish]').click()
  await page.getByText('请填写公告标题').waitFor()
  await page.locator('[data-test=announcement-title]').fill('系统维护通知')
  await page.locator('[data-test=announcement-body]').fill('本周六 22:00 至 24:00 系统维护。\n请提前保存正在填写的内容。')
  await page.locator('[data-test=announcement-audience]').getByText('企业', { exact: true }).click()
  await page.locator('[data-test=announcement-publish]').click()
  await page.locator('[data-test=announcements-table] .el-table__row', { hasText: '系统维护通知' }).locator('[data-test=announcement-status]').getByText('已发布').waitFor()
  await logout()

  await loginViaUi(page, url, { username: 'enterprise_demo', password: PASSWORD })
  const tab = page.getByRole('tab', { name: /平台公告/ })
  await tab.locator('[data-test=home-announcements-unread]').waitFor()
  await tab.click()
  const item = page.locator('[data-test=home-announcement]', { hasText: '系统维护通知' })
  assert.match((await item.getAttribute('class')) ?? '', /is-unread/)
  await item.click()
  const dialog = page.locator('[data-test=announcement-dialog]')
  await dialog.getByText('请提前保存正在填写的内容。', { exact: false }).waitFor()
  assert.match(await dialog.locator('.home-feeds__announcement-body').innerText(), /系统维护。\n请提前保存/, 'line breaks kept')
  await page.keyboard.press('Escape')
  await page.locator('[data-test=home-announcements-unread]').waitFor({ state: 'detached' })
  assert.doesNotMatch((await item.getAttribute('class')) ?? '', /is-unread/)
  await logout()

  await loginViaUi(page, url, { username: 'provider_demo', password: PASSWORD })
  await page.getByRole('tab', { name: /平台公告/ }).click()
  await page.locator('[data-test=home-announcements]').getByText('暂无平台公告').waitFor()
})
