// (a) The portal loads with the platform name and the top menu; 评估评测 asks for an enterprise login; 上架产品 lists the approved
//     products (none yet on a fresh demo); 注册 opens the registration form.
import assert from 'node:assert/strict'
import { DEFAULT_SITE_NAME, useServer, waitForPath } from '../harness.mjs'

const browserTest = useServer()

browserTest('portal-home-menu-and-catalogue', async ({ page, url }) => {
  // The name shown is the server's setting, or the default when the server has none.
  const siteRes = await fetch(`${url}/api/site`)
  const siteName = siteRes.ok ? (await siteRes.json()).name || DEFAULT_SITE_NAME : DEFAULT_SITE_NAME

  await page.goto(`${url}/`)
  const header = page.locator('header.app-header')
  await header.getByText(siteName, { exact: true }).waitFor()
  await page.waitForFunction((name) => document.title.includes(name), siteName)

  const nav = page.getByRole('navigation', { name: '主导航' })
  for (const item of ['首页', '评估评测', '上架产品', '登录', '注册']) {
    await nav.getByRole('link', { name: item, exact: true }).waitFor()
  }

  // Content blocks with honest empty states, and the three login entries.
  for (const text of ['通知公告', '政策文件', '服务指南', '暂无通知公告']) {
    await page.getByText(text, { exact: true }).first().waitFor()
  }
  for (const entry of ['企业用户登录', '服务商登录', '政府用户登录']) {
    await page.getByRole('button', { name: new RegExp(entry) }).waitFor()
  }
  await page.getByText(/主办单位/).waitFor()

  // 评估评测 asks an anonymous visitor to sign in as an enterprise; 上架产品 is the public catalogue of approved products, with
  // its filters: on a fresh demo, the two products seed-demo took through review into the Zhongshan lead unit's pool.
  await nav.getByRole('link', { name: '评估评测', exact: true }).click()
  await waitForPath(page, '/assessment')
  await page.getByText('请使用企业账号登录后开展评测').first().waitFor()
  await nav.getByRole('link', { name: '上架产品', exact: true }).click()
  await waitForPath(page, '/products')
  await page.getByRole('heading', { name: '上架产品', exact: true }).waitFor()
  await page.locator('[data-test=catalogue-category]').waitFor()
  await page.locator('[data-test=catalogue-search]').waitFor()
  for (const name of ['五金件智能排产MES（演示）', '设备联网与能耗监测（演示）']) {
    await page.locator('[data-test=catalogue-card]', { hasText: name }).waitFor()
  }
  assert.equal(await page.locator('[data-test=catalogue-card]').count(), 2)
  await page.goBack()
  await waitForPath(page, '/assessment')
  await nav.getByRole('link', { name: '首页', exact: true }).click()
  await waitForPath(page, '/')
  await page.getByText('暂无通知公告').waitFor()

  // 注册 → the registration form (企业 / 服务商) → 首页.
  await nav.getByRole('link', { name: '注册', exact: true }).click()
  await waitForPath(page, '/register')
  await page.getByRole('heading', { name: '企业用户注册' }).waitFor()
  await page.getByRole('tab', { name: /服务商/ }).waitFor()
  await nav.getByRole('link', { name: '首页', exact: true }).click()
  await waitForPath(page, '/')

  // A login entry leads to the login page.
  await page.getByRole('button', { name: /企业用户登录/ }).click()
  await waitForPath(page, '/login')
  await page.getByRole('heading', { name: '企业用户登录' }).waitFor()

  // Unknown addresses get the 404 page inside the portal frame (history fallback serves index.html).
  const res = await page.goto(`${url}/no-such-page/here`)
  assert.ok(res && res.status() < 400, `history fallback should serve the app, got HTTP ${res?.status()}`)
  await page.getByText('您访问的页面不存在').waitFor()
  await page.getByRole('button', { name: '返回首页' }).click()
  await waitForPath(page, '/')
})
