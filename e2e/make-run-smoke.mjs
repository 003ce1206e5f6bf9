// The README's first command as a newcomer runs it: `.ci/run` starts `make run` on the clean clone in the
// background, waits for /api/health, then calls this script with the URL. It loads `/` in Chromium and checks
// that the portal renders from the web app embedded in the release binary (its header, its navigation and the
// login entries), not the 「前端尚未构建」 fallback page. A screenshot is left in e2e/artifacts/make-run.png.
//
// Usage: node make-run-smoke.mjs http://127.0.0.1:PORT

import fs from 'node:fs'
import path from 'node:path'
import { ARTIFACTS_DIR, DEFAULT_SITE_NAME, launchBrowser } from './harness.mjs'

const url = (process.argv[2] ?? 'http://127.0.0.1:8080').replace(/\/+$/, '')
const { context, close } = await launchBrowser()
const page = context.pages()[0] ?? (await context.newPage())
fs.mkdirSync(ARTIFACTS_DIR, { recursive: true })
const shot = path.join(ARTIFACTS_DIR, 'make-run.png')
try {
  const res = await page.goto(`${url}/`)
  if (!res || res.status() !== 200) throw new Error(`GET / answered ${res?.status()}`)
  const html = await res.text()
  if (html.includes('前端尚未构建')) throw new Error('`make run` serves the 「前端尚未构建」 fallback: the binary embedded no web app')
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1]
  if (!asset) throw new Error(`index.html names no /assets/*.js script:\n${html.slice(0, 500)}`)
  const js = await fetch(`${url}${asset}`)
  if (js.status !== 200) throw new Error(`${asset} answered ${js.status}`)
  await page.locator('header.app-header').getByText(DEFAULT_SITE_NAME, { exact: true }).waitFor({ timeout: 20_000 })
  const nav = page.getByRole('navigation', { name: '主导航' })
  for (const item of ['首页', '评估评测', '上架产品', '登录', '注册']) {
    await nav.getByRole('link', { name: item, exact: true }).waitFor()
  }
  await page.getByRole('button', { name: /企业用户登录/ }).waitFor()
  await page.screenshot({ path: shot, fullPage: true })
  console.log(`make run serves the portal at ${url} (screenshot ${shot})`)
} catch (e) {
  await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined)
  console.error(`make-run smoke check failed: ${e.message}\nscreenshot: ${shot}`)
  process.exitCode = 1
} finally {
  await close()
}
