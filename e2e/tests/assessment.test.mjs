// (c) 评估评测: an enterprise takes the whole self-assessment through the UI with the manual's example
//     answer set (crates/core/tests/fixtures/manual_example_answers.json), leaves halfway and resumes the
//     draft, submits, sees 49.34 / 二级（规范级） with its charts, downloads the PDF report (checked with
//     pdftotext) and finds the result in 评测记录. Other kinds of accounts are told the assessment is for
//     enterprises.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DEMO_ENTERPRISE, DEMO_USER, downloadedBy, loginViaUi, useServer, waitForPath } from '../harness.mjs'

const browserTest = useServer()

const FIXTURE = JSON.parse(
  fs.readFileSync(new URL('../../crates/core/tests/fixtures/manual_example_answers.json', import.meta.url), 'utf8'),
)
const ENTERPRISE_NAME = '惠州市华阳精机有限公司'
/** Question numbers per page (one page per dimension), as the 2024 edition has them. */
const PAGES = [
  [1, 2, 3, 4, 5, 6, 7],
  [8, 9, 10, 11],
  [12, 13, 14, 15],
]

const question = (page, no) => page.locator(`[data-test=question-${no}]`)
const option = (page, no, key) => page.locator(`[data-test=option-${no}-${key}]`)

/** The ticked options of question `no` become `keys` (waits for rendering and reactivity). */
async function expectChecked(page, no, keys, timeout = 5_000) {
  const card = question(page, no)
  await card.waitFor()
  const deadline = Date.now() + timeout
  for (;;) {
    const ticked = await card
      .locator('[data-test^=option-]')
      .evaluateAll((els) => els.filter((el) => el.classList.contains('is-checked')).map((el) => el.dataset.test.split('-').pop()))
    if (JSON.stringify(ticked) === JSON.stringify(keys) || Date.now() > deadline) {
      assert.deepEqual(ticked, keys, `question ${no}: ticked options`)
      return
    }
    await page.waitForTimeout(100)
  }
}

/** Fill a question's numbers and tick its options as in the fixture. */
async function answerQuestion(page, no) {
  const answer = FIXTURE.questions[String(no)]
  const card = question(page, no)
  await card.scrollIntoViewIfNeeded()
  for (const [key, value] of Object.entries(answer.fill_ins ?? {})) {
    await card.locator(`input[name=${key}]`).fill(String(value))
  }
  for (const key of answer.options ?? []) {
    await option(page, no, key).click()
  }
  await expectChecked(page, no, answer.options ?? (await derivedKeys(page, no)))
}

async function derivedKeys(page, no) {
  return question(page, no)
    .locator('[data-test^=option-].is-checked')
    .evaluateAll((els) => els.map((el) => el.dataset.test.split('-').pop()))
}

async function waitSaved(page) {
  await page.locator('[data-test=save-status]', { hasText: /已自动保存 \d{2}:\d{2}:\d{2}/ }).waitFor()
}

async function pageTitle(page) {
  return (await page.locator('[data-test=page-title]').innerText()).trim()
}

async function inViewport(page, id) {
  await page.waitForFunction((elId) => {
    const r = document.getElementById(elId)?.getBoundingClientRect()
    return !!r && r.top >= -2 && r.top < window.innerHeight / 2
  }, id)
}

browserTest('assessment-manual-example-resume-submit-report', async ({ page, url }) => {
  // Anonymous: the page explains itself and offers the enterprise login, coming back afterwards.
  await page.goto(`${url}/assessment`)
  await page.getByText('请使用企业账号登录后开展评测').waitFor()
  await page.locator('[data-test=assessment-login]').click()
  await waitForPath(page, '/login')
  assert.equal(new URL(page.url()).searchParams.get('redirect'), '/assessment')
  await loginViaUi(page, url, DEMO_ENTERPRISE, { expectPath: '/assessment' })

  // No draft yet: 开始评测.
  await page.locator('[data-test=assessment-start]').click()
  await waitForPath(page, '/assessment/fill')
  assert.match(await pageTitle(page), /数字化基础/)
  await page.getByText('作答将自动保存').waitFor()

  // --- Page 1 (数字化基础) ------------------------------------------------------------------
  await answerQuestion(page, 1)

  // Q2: counts, with the inline check; the rate and its band are computed, not picked.
  const q2 = question(page, 2)
  await q2.locator('input[name=q2_equipment_total]').fill('200')
  await q2.locator('input[name=q2_equipment_digitized]').fill('300')
  await q2.getByText('数字化设备数量不能大于设备总数').waitFor()
  await page.locator('[data-test=save-status]', { hasText: '第2题填写有误' }).waitFor()
  await q2.locator('input[name=q2_equipment_digitized]').fill('6.5')
  await q2.getByText('须为整数').waitFor()
  await q2.locator('input[name=q2_equipment_digitized]').fill('60')
  await page.locator('[data-test=rate-2]', { hasText: '30.00' }).waitFor()
  assert.equal(await q2.getByText('数字化设备数量不能大于设备总数').count(), 0)
  await expectChecked(page, 2, ['C'])
  assert.ok(await option(page, 2, 'B').locator('input').isDisabled(), 'the band cannot be picked by hand')

  // Q3 uses Q2's total.
  await answerQuestion(page, 3)
  await question(page, 3).locator('[data-test=derived-total]', { hasText: '200 台' }).waitFor()
  await page.locator('[data-test=rate-3]', { hasText: '15.00' }).waitFor()
  await expectChecked(page, 3, ['B'])

  await answerQuestion(page, 4)
  await answerQuestion(page, 5)

  // Q6: 无 and the other options exclude each other.
  await option(page, 6, 'B').click()
  await option(page, 6, 'C').click()
  await option(page, 6, 'A').click()
  await expectChecked(page, 6, ['A'])
  await option(page, 6, 'B').click()
  await expectChecked(page, 6, ['B'])
  await option(page, 6, 'C').click()
  await expectChecked(page, 6, FIXTURE.questions['6'].options)

  await answerQuestion(page, 7)
  await waitSaved(page)

  // A refusal from the server (422, nothing saved) is shown beside its question until it changes.
  const refusal = '第5题：选项“D”不适用于本企业（测试）'
  const refuse = (r) =>
    r.request().method() === 'PUT'
      ? r.fulfill({
          status: 422,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'validation_failed', message: refusal, fields: [{ field: 'questions.5', message: refusal }] } }),
        })
      : r.continue()
  await page.route('**/api/assessments/draft', refuse)
  await option(page, 5, 'D').click()
  await question(page, 5).locator('[data-test=question-error]', { hasText: refusal }).waitFor()
  await page.locator('[data-test=save-status]', { hasText: `未保存：${refusal}` }).waitFor()
  await page.unroute('**/api/assessments/draft', refuse)
  await option(page, 5, 'C').click()
  assert.equal(await question(page, 5).locator('[data-test=question-error]').count(), 0)
  await expectChecked(page, 5, FIXTURE.questions['5'].options)
  await page.locator('[data-test=progress-questions]', { hasText: '7/15' }).waitFor()

  // --- Leave halfway (at once, before the autosave delay) and come back: the draft is resumed ------
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '评估评测', exact: true }).click()
  await waitForPath(page, '/assessment')
  await page.getByText('您有一份未完成的评测').waitFor()
  await page.getByText('已作答 7 / 31 项').waitFor()
  await page.locator('[data-test=assessment-continue]').click()
  await waitForPath(page, '/assessment/fill')
  assert.match(await pageTitle(page), /数字化管理/, 'resumes at the first unanswered question')
  await page.locator('[data-test=prev-page]').click()
  assert.match(await pageTitle(page), /数字化基础/)
  await expectChecked(page, 1, ['B', 'C'])
  assert.equal(await question(page, 2).locator('input[name=q2_equipment_total]').inputValue(), '200')
  assert.equal(await question(page, 2).locator('input[name=q2_equipment_digitized]').inputValue(), '60')
  await page.locator('[data-test=rate-2]', { hasText: '30.00' }).waitFor()
  await expectChecked(page, 4, FIXTURE.questions['4'].options)
  await expectChecked(page, 5, FIXTURE.questions['5'].options) // saved on the way out
  // A reload keeps it too (it comes from the server).
  await page.reload()
  await expectChecked(page, 7, FIXTURE.questions['7'].options)

  // --- Pages 2 and 3 ---------------------------------------------------------------------------
  for (const [i, nos] of PAGES.entries()) {
    if (i === 0) continue
    await page.locator('[data-test=next-page]').click()
    await question(page, nos[0]).waitFor()
    for (const no of nos) await answerQuestion(page, no)
  }
  await page.locator('[data-test=progress-questions]', { hasText: '15/15' }).waitFor()

  // --- Part two: the 16 scenarios ----------------------------------------------------------------
  await page.locator('[data-test=next-page]').click()
  const summary = page.locator('[data-test=scenario-summary]')
  await summary.getByText('共16个应用场景').waitFor()
  await summary.getByText(/已选：\s*0/).waitFor()
  await summary.getByText(/未选：\s*16/).waitFor()
  const grid = page.locator('[data-test=scenario-grid]')
  assert.equal(await grid.locator('.s-grid__tile', { hasText: '约束性' }).count(), 10, '10 constrained tiles')

  // Each level is shown with its description.
  await page.locator('[data-test=scenario-16-level-2]', { hasText: '运用信息化系统，整合关键业务环节的数据' }).waitFor()

  const levels = Object.entries(FIXTURE.scenarios)
  for (const [no, level] of levels.slice(0, 15)) {
    await page.locator(`[data-test=scenario-${no}-level-${level}]`).click()
  }
  await summary.getByText(/已选：\s*15/).waitFor()

  // Submitting with scenario 16 unanswered lists it, and its link jumps there.
  await page.locator('[data-test=submit]').click()
  const missingDialog = page.locator('.el-dialog', { hasText: '以下内容尚未作答' })
  await missingDialog.waitFor()
  await missingDialog.locator('[data-test=missing-scenario-16]', { hasText: '场景16（决策支持）' }).click()
  await missingDialog.waitFor({ state: 'hidden' })
  await inViewport(page, 's-16')

  // The jump grid goes to any scenario.
  await page.locator('[data-test=scenario-tile-3]').click()
  await inViewport(page, 's-3')
  assert.ok(
    await page.locator('[data-test=scenario-tile-3]').evaluate((el) => el.classList.contains('is-answered')),
    'answered scenarios are marked in the grid',
  )
  assert.ok(!(await page.locator('[data-test=scenario-tile-16]').evaluate((el) => el.classList.contains('is-answered'))))

  const [no16, level16] = levels[15]
  await page.locator(`[data-test=scenario-${no16}-level-${level16}]`).click()
  await summary.getByText(/已选：\s*16/).waitFor()
  await summary.getByText(/未选：\s*0/).waitFor()

  // 保存并提交 → confirm → result.
  await page.locator('[data-test=submit]').click()
  const confirm = page.locator('.el-message-box', { hasText: '确定提交吗' })
  await confirm.getByRole('button', { name: '确定提交' }).click()
  await page.waitForURL((u) => u.pathname.startsWith('/assessment/result/'))
  const resultId = new URL(page.url()).pathname.split('/').pop()

  // --- Result -------------------------------------------------------------------------------------
  await page.locator('[data-test=result-total]', { hasText: '49.34' }).waitFor()
  assert.equal((await page.locator('[data-test=result-level]').innerText()).trim(), '二级（规范级）')
  assert.equal((await page.locator('[data-test=result-enterprise]').innerText()).trim(), ENTERPRISE_NAME)
  for (const [code, score] of [['basis', '25.46'], ['management', '13.88'], ['effectiveness', '10.00']]) {
    await page.locator(`[data-test=result-dim-${code}]`, { hasText: score }).waitFor()
  }
  // One number format for scores, full marks included (not 「10.00」 beside 「10 分」).
  const scoreTexts = [
    await page.locator('.result__hero').innerText(),
    await page.locator('[data-test=answers-table] .el-table__body').innerText(),
  ].join('\n')
  assert.doesNotMatch(scoreTexts, /(?<![\d.])\d+(?:\.\d)?\s*分/, 'every score has two decimals')
  assert.match(scoreTexts, /\/\s*\d+\.\d{2}\s*分/)
  const sentence = await page.locator('[data-test=result-summary]').innerText()
  assert.match(sentence, /三个维度评分结果为\s*49\.34\s*分/)
  assert.match(sentence, /整体评测处于\s*二级\s*水平/)
  await page.locator('[data-test=chart-dimensions] svg').first().waitFor()
  await page.locator('[data-test=chart-groups] svg').first().waitFor()
  assert.equal(await page.locator('[data-test=answers-table] .el-table__body tr').count(), 15)
  assert.equal(await page.locator('[data-test=scenarios-table] .el-table__body tr').count(), 16)
  await page.locator('[data-test=answers-table]').getByText('B. 企业车间建成工控网络，支持自动化控制应用').first().waitFor()

  // --- 下载报告: the PDF the browser saves names the enterprise and the level ------------------------
  const { name, bytes } = await downloadedBy(page, () => page.locator('[data-test=download-report]').first().click())
  assert.match(name, new RegExp(`^数字化水平评测报告-${ENTERPRISE_NAME}-\\d{8}\\.pdf$`))
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shuzhuan-e2e-report-'))
  try {
    const file = path.join(dir, 'report.pdf')
    fs.writeFileSync(file, bytes)
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
    assert.ok(text.includes(ENTERPRISE_NAME), `the report names the enterprise:\n${text.slice(0, 500)}`)
    assert.ok(text.includes('二级'), 'the report states the level')
    assert.ok(text.includes('49.34'), 'the report states the total')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }

  // --- 评测记录 ----------------------------------------------------------------------------------------
  await page.goto(`${url}/assessment/history`)
  const table = page.locator('[data-test=assessment-history-table]')
  const row = table.locator('.el-table__body tr', { hasText: ENTERPRISE_NAME })
  await row.waitFor()
  for (const text of ['企业自测', '二级（规范级）', '49.34', '预览', '下载']) await row.getByText(text).first().waitFor()
  await page.locator('[data-test=history-pager]').getByText('共 1 条').waitFor()
  await row.locator('[data-test=history-preview]').click()
  await waitForPath(page, `/assessment/result/${resultId}`)
  await page.locator('[data-test=result-total]', { hasText: '49.34' }).waitFor()

  // The draft is gone after submitting: the next visit starts afresh.
  await page.goto(`${url}/assessment`)
  await page.locator('[data-test=assessment-start]').waitFor()
})

browserTest('assessment-refused-for-government-account', async ({ page, url }) => {
  await loginViaUi(page, url, DEMO_USER)
  await page.goto(`${url}/assessment`)
  await page.getByText('评估评测面向企业用户').first().waitFor()
  await page.locator('[data-test=assessment-forbidden]', { hasText: '请使用企业账号登录' }).waitFor()
  await page.locator('[data-test=assessment-switch]').waitFor()
  assert.equal(await page.locator('[data-test=assessment-start]').count(), 0)

  await page.goto(`${url}/assessment/fill`)
  await page.locator('[data-test=assessment-forbidden]').waitFor()

  // 退出并使用企业账号登录 → the login page, coming back to the assessment.
  await page.locator('[data-test=assessment-switch]').click()
  await waitForPath(page, '/login')
  assert.equal(new URL(page.url()).searchParams.get('redirect'), '/assessment/fill')
})
