// (a) The portal loads with the platform name and the top menu; 评估评测 asks for an enterprise login; 上架产品 lists the approved
//     products (none yet on a fresh demo); 注册 opens the registration form.
// (b) 门户内容 (issue 20): an official (the Huizhou bureau) publishes a 通知公告 with an attachment and a 结果公示; an enterprise
//     finds both by the header's site search, downloads the attachment, opens the 结果公示 and files a 公示异议; the official sees
//     it in 通知公告 (workbench) and answers it; the enterprise sees the answer.
import assert from 'node:assert/strict'
import { DEFAULT_SITE_NAME, DEMO_ENTERPRISE, loginViaUi, samplePdf, useServer, waitForPath, wallTime } from '../harness.mjs'

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

const shot = (page, name) =>
  process.env.SHUZHUAN_E2E_SHOTS ? page.screenshot({ path: `${process.env.SHUZHUAN_E2E_SHOTS}/${name}.png`, fullPage: true }) : undefined
const HUIZHOU = { username: 'huizhou_admin', password: DEMO_ENTERPRISE.password }
const NOTICE = '关于开展2026年数字化转型专项资金申报的通知'
const PUBLICITY = '2026年中小企业数字化转型试点企业名单公示'

async function switchUser(page, url, who) {
  await page.context().clearCookies()
  await page.goto(`${url}/login`)
  await loginViaUi(page, url, who)
}

/** Opens the editor, picks the kind, types title and body (through the formatting toolbar). */
async function newItem(page, kindLabel, title, text) {
  await page.locator('[data-test=portal-new]').click()
  const editor = page.locator('[data-test=portal-editor]')
  await editor.locator('[data-test=portal-title]').waitFor()
  if (kindLabel !== '通知公告') {
    await editor.locator('[data-test=portal-kind]').click()
    await page.locator('.el-select-dropdown__item').filter({ visible: true }).filter({ hasText: kindLabel }).first().click()
  }
  await editor.locator('[data-test=portal-title]').fill(title)
  const body = editor.locator('[data-test=portal-body]')
  await body.click()
  await editor.getByRole('button', { name: '段落', exact: true }).click()
  await body.fill(`<p>${text}</p><script>alert(1)</script>`)
  return editor
}

browserTest('portal-publish-search-object-answer', async ({ page, url }) => {
  // 1. The official publishes a 通知公告 with an attachment, and a 结果公示 for seven days.
  await loginViaUi(page, url, HUIZHOU)
  await page.locator('[data-test=module-notices]').click()
  await waitForPath(page, '/workbench/portal')
  let editor = await newItem(page, '通知公告', NOTICE, '各区县工信部门：现组织开展数字化转型专项资金申报工作，申报指南见附件。')
  await editor.locator('input.el-upload__input').setInputFiles({ name: '专项资金申报指南.pdf', mimeType: 'application/pdf', buffer: samplePdf() })
  await editor.getByText('专项资金申报指南.pdf').waitFor()
  await editor.locator('[data-test=portal-publish]').click()
  await editor.waitFor({ state: 'hidden' })
  const table = page.locator('[data-test=portal-table]')
  await table.locator('tr', { hasText: NOTICE }).getByText('已发布').waitFor()

  editor = await newItem(page, '结果公示', PUBLICITY, '经企业申报、区县推荐、市级评审，拟确定以下企业为试点企业，现予公示。')
  const period = editor.locator('input[aria-label=公示截止时间]')
  await period.click()
  await period.fill(wallTime(new Date(Date.now() + 7 * 86400e3)))
  await period.press('Enter')
  await editor.locator('[data-test=portal-title]').click()
  await editor.locator('[data-test=portal-publish]').click()
  await editor.waitFor({ state: 'hidden' })
  await table.locator('tr', { hasText: PUBLICITY }).getByText('已发布').waitFor()
  await shot(page, 'portal-manage-published')

  // 2. The enterprise finds them by the site search in the header.
  await switchUser(page, url, DEMO_ENTERPRISE)
  await page.goto(`${url}/`)
  const news = page.locator('[data-test=home-notices]')
  await news.getByText(NOTICE).waitFor()
  await page.locator('[data-test=site-search]').fill('专项资金')
  await page.locator('[data-test=site-search]').press('Enter')
  await waitForPath(page, '/search')
  const results = page.locator('[data-test=search-results]')
  await results.locator('[data-test=search-hit]', { hasText: NOTICE }).waitFor()
  assert.equal(await results.locator('[data-test=search-hit] mark', { hasText: '专项资金' }).count() >= 1, true, 'the hit is marked')
  await shot(page, 'portal-search-results')
  await results.locator('[data-test=search-hit]', { hasText: NOTICE }).click()
  await waitForPath(page, new URL((await page.url())).pathname)
  const item = page.locator('[data-test=portal-item]')
  await item.getByRole('heading', { name: NOTICE }).waitFor()
  assert.equal(await item.locator('script').count(), 0, 'the script was cleaned away on the server')
  const download = page.waitForEvent('download')
  await item.locator('[data-test=portal-attachment]', { hasText: '专项资金申报指南.pdf' }).click()
  assert.equal((await download).suggestedFilename(), '专项资金申报指南.pdf')

  await page.locator('[data-test=site-search]').fill('试点企业 名单')
  await page.locator('[data-test=site-search]').press('Enter')
  await results.locator('[data-test=search-hit]', { hasText: PUBLICITY }).click()
  await waitForPath(page, new URL(page.url()).pathname)
  await item.getByRole('heading', { name: PUBLICITY }).waitFor()
  const objections = page.locator('[data-test=objections]')
  await objections.locator('[data-test=objection-contact]').fill('李经理')
  await objections.locator('[data-test=objection-phone]').fill('0752-2345678')
  await objections.locator('[data-test=objection-content]').fill('名单中某企业上年度营业收入不符合申报条件，请核查。')
  await objections.locator('[data-test=objection-submit]').click()
  await objections.locator('[data-test=my-objection]').getByText('等待发布单位答复').waitFor()
  await shot(page, 'portal-objection-filed')
  const publicityPath = new URL(page.url()).pathname

  // The 通知公告 list with its filters shows the notice (申报状态 from its window: none set here).
  await page.goto(`${url}/notices`)
  await page.locator('[data-test=portal-list]').getByText(NOTICE).waitFor()
  await shot(page, 'portal-notices-list')

  // 3. The official sees the objection and answers it.
  await switchUser(page, url, HUIZHOU)
  await page.goto(`${url}/workbench/portal`)
  const row = page.locator('[data-test=portal-table] tr', { hasText: PUBLICITY })
  await row.locator('[data-test=portal-objections]').getByText('待答复 1', { exact: false }).waitFor()
  await row.locator('[data-test=portal-objections]').click()
  const dialog = page.locator('[data-test=objections-dialog]')
  await dialog.getByText('名单中某企业上年度营业收入不符合申报条件，请核查。').waitFor()
  await dialog.locator('[data-test=objection-answer-input]').fill('经核查，该企业上年度营业收入符合申报条件，维持公示结果。')
  await dialog.locator('[data-test=objection-answer-send]').click()
  await dialog.getByText(/已答复/).waitFor()
  await shot(page, 'portal-objection-answered')

  // 4. The enterprise sees the answer.
  await switchUser(page, url, DEMO_ENTERPRISE)
  await page.goto(`${url}${publicityPath}`)
  await page.locator('[data-test=objection-answer]').getByText('经核查，该企业上年度营业收入符合申报条件，维持公示结果。').waitFor()
  await shot(page, 'portal-objection-answer-seen')
})
