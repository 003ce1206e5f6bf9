// 企业管理 (issue 20, seed 003 §4.3.4): a city official opens the tile, filters the enterprise list (失信情况, name),
// opens an enterprise's profile (基本信息 / 用户信息 masked / 附件材料 / 资质, its history), then runs a batch credit
// check: downloads 信用查询模板, uploads a filled workbook, sees the row that could not be checked by its number,
// and downloads the result with a 失信 flag per row and the dishonest list's import date.
import assert from 'node:assert/strict'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { downloadedBy, loginViaUi, useServer, waitForPath } from '../harness.mjs'

const browserTest = useServer()
const DEMO_PASSWORD = 'Shuzhuan@2026'
/** The demo's made-up dishonest enterprise (data/dishonest-sample.csv, first row) and a valid code on no list. */
const FLAGGED = '91441302MA5X000911'
const CLEAN = '91350100M000100Y43'

const shot = (page, name) =>
  process.env.SHUZHUAN_E2E_SHOTS ? page.screenshot({ path: `${process.env.SHUZHUAN_E2E_SHOTS}/${name}.png`, fullPage: true }) : undefined

/** The cells of each sheet of an .xlsx, row by row (shared and inline strings, numbers). */
function sheets(bytes) {
  const files = unzipSync(new Uint8Array(bytes))
  const names = [...strFromU8(files['xl/workbook.xml']).matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) => m[1])
  const shared = files['xl/sharedStrings.xml'] ? [...strFromU8(files['xl/sharedStrings.xml']).matchAll(/<si>(.*?)<\/si>/gs)].map((m) => m[1].replace(/<[^>]+>/g, '')) : []
  return names.map((name, i) => {
    const sheet = strFromU8(files[`xl/worksheets/sheet${i + 1}.xml`])
    const rows = [...sheet.matchAll(/<row [^>]*>(.*?)<\/row>/gs)].map((r) =>
      [...r[1].matchAll(/<c ([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)].map((c) => {
        const body = c[2] ?? ''
        if (/t="s"/.test(c[1])) return shared[Number(/<v>(.*?)<\/v>/.exec(body)?.[1])] ?? ''
        return /<t[^>]*>(.*?)<\/t>/s.exec(body)?.[1] ?? /<v>(.*?)<\/v>/.exec(body)?.[1] ?? ''
      }),
    )
    return { name, rows }
  })
}

/** A minimal .xlsx (one sheet, inline strings), as an official would save the filled template. */
function workbook(rows) {
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')
  const col = (i) => String.fromCharCode(65 + i)
  const data = rows
    .map((r, y) => `<row r="${y + 1}">${r.map((v, x) => `<c r="${col(x)}${y + 1}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`).join('')}</row>`)
    .join('')
  return Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
      ),
      '_rels/.rels': strToU8(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
      ),
      'xl/workbook.xml': strToU8(
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="信用查询" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ),
      'xl/_rels/workbook.xml.rels': strToU8(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
      ),
      'xl/worksheets/sheet1.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${data}</sheetData></worksheet>`),
    }),
  )
}

browserTest('enterprises-list-profile-and-batch-credit-check', async ({ page, url }) => {
  await loginViaUi(page, url, { username: 'huizhou_admin', password: DEMO_PASSWORD })
  await page.locator('[data-test=module-enterprises]').click()
  await waitForPath(page, '/workbench/enterprises')
  const table = page.locator('[data-test=enterprises-table]')
  const rows = table.locator('.el-table__body tr')
  await rows.first().waitFor()
  await page.locator('[data-test=dishonest-list-info]', { hasText: 'dishonest-sample.csv' }).waitFor()

  // 失信情况 = 失信: only the demo's made-up dishonest enterprise, flagged.
  await page.locator('[data-test=filter-dishonest]').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: /^失信$/ }).click()
  await page.locator('[data-test=enterprises-search]').click()
  await rows.filter({ hasText: '惠州市诚信缺失演示制造有限公司（虚构）' }).waitFor()
  await page.locator('.el-pagination__total', { hasText: '共 1 条' }).waitFor()
  assert.equal(await rows.filter({ hasText: '有限公司' }).count(), 1)
  assert.equal(await rows.first().locator('[data-test=dishonest-flag]').innerText(), '是')
  await shot(page, 'enterprises-list-dishonest')

  // By name: 华阳精机, not flagged; its profile.
  await page.getByRole('button', { name: '重置' }).click()
  await page.locator('[data-test=filter-name]').fill('华阳精机')
  await page.locator('[data-test=enterprises-search]').click()
  const huayang = rows.filter({ hasText: '惠州市华阳精机有限公司' })
  await huayang.waitFor()
  await page.locator('.el-pagination__total', { hasText: '共 1 条' }).waitFor()
  assert.equal(await rows.filter({ hasText: '有限公司' }).count(), 1)
  assert.match(await huayang.innerText(), /惠州市\s+惠城区/)
  await huayang.locator('[data-test=enterprise-open]').click()
  await page.waitForURL((u) => /^\/workbench\/enterprises\/[^/]+$/.test(u.pathname))
  await page.locator('[data-test=enterprise-basics]', { hasText: '惠州市华阳精机有限公司' }).waitFor()
  assert.match(await page.locator('[data-test=enterprise-credit]').innerText(), /否/)
  await shot(page, 'enterprises-profile-basics')
  await page.getByRole('tab', { name: '用户信息' }).click()
  const account = page.locator('[data-test=enterprise-accounts] .el-table__body tr', { hasText: 'enterprise_demo' })
  await account.waitFor()
  assert.match(await account.innerText(), /138\*\*\*\*0001/, 'the phone masked')
  assert.doesNotMatch(await page.content(), /13800000001/, 'never in clear')
  await page.getByRole('tab', { name: '附件材料' }).click()
  await page.locator('[data-test=enterprise-materials]').waitFor()
  await page.getByRole('tab', { name: '资质' }).click()
  await page.locator('[data-test=enterprise-qualifications]').waitFor()
  await page.locator('[data-test=enterprise-history]').waitFor()
  await shot(page, 'enterprises-profile-qualifications')

  // 信用查询 → 批量核查: the template, a filled workbook uploaded, the result downloaded.
  await page.getByRole('link', { name: '返回企业管理' }).click().catch(async () => page.goto(`${url}/workbench/enterprises`))
  await waitForPath(page, '/workbench/enterprises')
  await page.locator('[data-test=credit-open]').click()
  const dialog = page.locator('.el-dialog', { hasText: '信用查询' })
  await dialog.getByRole('tab', { name: '单个查询' }).waitFor()
  await dialog.locator('[data-test=credit-uscc]').fill(FLAGGED)
  await dialog.locator('[data-test=credit-check]').click()
  await dialog.locator('[data-test=credit-answer]', { hasText: '在失信名单中' }).waitFor()
  assert.match(await dialog.locator('[data-test=credit-answer]').innerText(), /名单导入日期：\d{4}/)
  await dialog.getByRole('tab', { name: '批量核查' }).click()
  const { name: templateName, bytes: template } = await downloadedBy(page, () => dialog.locator('[data-test=credit-template]').click())
  assert.equal(templateName, '信用查询模板.xlsx')
  assert.deepEqual(sheets(template)[0].rows[0], ['企业名称', '*统一社会信用代码'])
  const filled = workbook([['企业名称', '*统一社会信用代码'], ['诚信缺失', FLAGGED], ['某某科技有限公司', CLEAN], ['代码写错了', '91350100M000100Y44']])
  await dialog.locator('[data-test=credit-file]').setInputFiles({ name: '待核查企业.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: filled })
  const summary = dialog.locator('[data-test=credit-batch-result]')
  await summary.getByText('已核查 2 家，其中失信 1 家；1 行未核查').waitFor()
  const problem = dialog.locator('[data-test=credit-problems] .el-table__body tr')
  assert.match(await problem.innerText(), /^4\s+代码写错了\s+统一社会信用代码校验位不正确/)
  await shot(page, 'enterprises-credit-batch')
  const { name: resultName, bytes } = await downloadedBy(page, () => dialog.locator('[data-test=credit-result]').click())
  assert.equal(resultName, '信用核查结果.xlsx')
  const [result, bad] = sheets(bytes)
  assert.equal(result.name, '核查结果')
  assert.deepEqual(result.rows.slice(1).map((r) => [r[0], r[2], r[3]]), [['2', FLAGGED, '是'], ['3', CLEAN, '否']])
  assert.match(result.rows[1][9], /^\d{4}-\d{2}-\d{2}/, 'the list import date on every row')
  assert.deepEqual(bad.rows.slice(1).map((r) => r[0]), ['4'])
})
