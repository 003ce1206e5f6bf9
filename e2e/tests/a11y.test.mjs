// Accessibility of the forms and the page frame (issue 14), beyond what axe-core (run by the harness on
// every page) can see: labels on the login card, the skip link, the focus ring, errors tied to their
// fields, tabbing through an empty form without turning it red, the contrast of grey text; and the request
// id on an error screen, for the user to quote to support.
import assert from 'node:assert/strict'
import path from 'node:path'
import { ARTIFACTS_DIR, DEMO_ENTERPRISE, loginViaUi, useServer, waitForPath } from '../harness.mjs'

const browserTest = useServer()

/** What a screen reader gets from an input: its state and the texts it is described by. */
async function fieldState(page, selector) {
  return page.locator(selector).evaluate((input) => {
    const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean)
    return {
      labels: [...(input.labels ?? [])].map((l) => l.textContent.trim()),
      invalid: input.getAttribute('aria-invalid'),
      required: input.getAttribute('aria-required'),
      description: ids.map((id) => document.getElementById(id)?.textContent.trim() ?? `(missing #${id})`),
    }
  })
}

browserTest('a11y-login-labels-focus-errors', async ({ page, url }) => {
  await page.goto(`${url}/login`)
  await page.locator('input[name=username]').waitFor()

  // Every input of the login card has a visible label tied to it (not a placeholder only).
  assert.deepEqual((await fieldState(page, 'input[name=username]')).labels, ['手机号或用户名'])
  assert.deepEqual((await fieldState(page, 'input[name=password]')).labels, ['密码'])
  assert.deepEqual((await fieldState(page, 'input[name=captcha]')).labels, ['图形验证码'])
  await page.getByLabel('手机号或用户名').waitFor()

  // The first Tab reaches 「跳到主要内容」, which moves the focus to <main>.
  await page.keyboard.press('Tab')
  const skip = page.locator('[data-test=skip-link]')
  assert.equal(await skip.evaluate((el) => el === document.activeElement), true)
  assert.equal((await skip.innerText()).trim(), '跳到主要内容')
  const box = await skip.boundingBox()
  assert.ok(box && box.y >= 0 && box.height > 0, 'the focused skip link is on screen')
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'a11y-skip-link.png') })
  await page.keyboard.press('Enter')
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main')

  // Tabbing through the empty form turns nothing red.
  await page.locator('input[name=username]').focus()
  // The focus ring: 2 px around the input's box.
  const ring = await page.locator('input[name=username]').evaluate((input) => {
    const s = getComputedStyle(input.closest('.el-input__wrapper'))
    return { width: s.outlineWidth, style: s.outlineStyle, offset: s.outlineOffset }
  })
  assert.deepEqual(ring, { width: '2px', style: 'solid', offset: '2px' })
  await page.keyboard.press('Tab') // the clear button is not in the tab order: on to the password
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  await page.waitForTimeout(300) // Element Plus shows a failed check after 100 ms
  assert.equal(await page.locator('.el-form-item.is-error').count(), 0, 'no field is marked after tabbing through')
  assert.equal((await fieldState(page, 'input[name=username]')).invalid, null)

  // 登 录 with nothing filled in: each field says what is missing, tied to it for a screen reader.
  await page.locator('button[type=submit]').click()
  await page.locator('.el-form-item__error', { hasText: '请输入手机号或用户名' }).waitFor()
  const expected = { username: '请输入手机号或用户名', password: '请输入密码', captcha: '请输入图形验证码' }
  for (const [name, message] of Object.entries(expected)) {
    await page.waitForFunction((n) => document.querySelector(`input[name=${n}]`)?.getAttribute('aria-invalid') === 'true', name)
    const state = await fieldState(page, `input[name=${name}]`)
    assert.equal(state.invalid, 'true', `${name} is aria-invalid`)
    assert.equal(state.required, 'true', `${name} is aria-required`)
    assert.deepEqual(state.description, [message], `${name} is described by its error`)
  }

  await page.locator('input[name=password]').focus()
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'a11y-login-errors.png') })

  // Typing clears the mark at once.
  await page.locator('input[name=username]').fill(DEMO_ENTERPRISE.username)
  await page.waitForFunction(() => document.querySelector('input[name=username]')?.getAttribute('aria-invalid') === null)
  assert.deepEqual((await fieldState(page, 'input[name=username]')).description, [])

  // Grey text reaches 4.5:1: placeholders use the darker grey (#686c73), not Element Plus's #a8abb2.
  const placeholder = await page.locator('input[name=password]').evaluate((el) => getComputedStyle(el, '::placeholder').color)
  assert.equal(placeholder, 'rgb(104, 108, 115)')
})

browserTest('a11y-register-tabbing-marks-nothing', async ({ page, url }) => {
  // The longest form a newcomer meets: Tab through all of it without typing, and nothing turns red.
  await page.goto(`${url}/register`)
  await page.locator('input[name=phone]').focus()
  for (let i = 0; i < 20; i++) await page.keyboard.press('Tab')
  await page.waitForTimeout(300)
  assert.equal(await page.locator('.el-form-item.is-error').count(), 0, 'no field is marked after tabbing through')
  assert.equal(await page.locator('[aria-invalid=true]').count(), 0)
  // Required fields say so to a screen reader as well as with the red *.
  assert.equal(await page.locator('input[name=phone]').getAttribute('aria-required'), 'true')
  assert.equal(await page.locator('input[name=password]').getAttribute('aria-required'), 'true')
})

browserTest('a11y-error-screen-request-id', async ({ page, url }) => {
  await loginViaUi(page, url, DEMO_ENTERPRISE)
  // A case that does not exist: the page says so with the request id the server answered with.
  const missing = '00000000-0000-4000-8000-000000000000'
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/review/cases/${missing}`)
  await page.goto(`${url}/workbench/review/cases/${missing}`)
  const response = await answered
  assert.equal(response.status(), 404)
  const requestId = response.headers()['x-request-id']
  assert.ok(requestId, 'the server sends x-request-id')
  assert.equal((await response.json()).error.request_id, requestId)
  await page.getByText(`请求编号：${requestId}`).waitFor()
  await waitForPath(page, `/workbench/review/cases/${missing}`)
})
