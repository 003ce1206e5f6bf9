// Test harness for the shuzhuan browser tests.
//
// startServer(): runs `$SHUZHUAN_BIN migrate`, `seed-demo` and `serve` against a fresh temp directory
//   (SQLite database + file storage), listening on 127.0.0.1:0; the URL is read from the line
//   "shuzhuan listening on http://127.0.0.1:PORT". The binary is the release build `make run` makes, and it
//   serves the web UI it embedded at build time, exactly as a newcomer's `make run` does: no `web_dir`.
// browserTest(): a node:test test with its own Chromium profile (Debian's /usr/bin/chromium driven by
//   playwright-core; never `npx playwright install`), a screenshot in e2e/artifacts/<test>.png on failure,
//   a check that the page threw no uncaught errors, and an accessibility check (axe-core) of every page and
//   dialog the test opens: any serious or critical violation fails the test (see installAxe()).
//
// Environment:
//   SHUZHUAN_BIN        server binary (default ../target/debug/shuzhuan relative to e2e/: what `make run` builds)
//   SHUZHUAN_WEB_DIR    serve the UI from this folder instead of the embedded copy (unset by default, so the
//                       tests exercise the embedded app; set it only to iterate on the UI without rebuilding)
//   CHROMIUM_PATH       browser (default /usr/bin/chromium)
//   SHUZHUAN_E2E_KEEP=1 keep the temp directories for inspection
//
// The server runs with SHUZHUAN_TEST_EXPOSE_CAPTCHA=true (GET /api/captcha carries the answer) and the
// default log SMS gateway (codes readable at GET /api/dev/sms-outbox); see captchaAnswer(), smsCode().

import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const E2E_DIR = path.dirname(fileURLToPath(import.meta.url))
export const ARTIFACTS_DIR = path.join(E2E_DIR, 'artifacts')

const BIN = path.resolve(E2E_DIR, process.env.SHUZHUAN_BIN ?? '../target/debug/shuzhuan')
const WEB_DIR = process.env.SHUZHUAN_WEB_DIR ? path.resolve(E2E_DIR, process.env.SHUZHUAN_WEB_DIR) : null
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const KEEP = process.env.SHUZHUAN_E2E_KEEP === '1'

const STARTUP_TIMEOUT_MS = 60_000
const COMMAND_TIMEOUT_MS = 120_000

export const DEMO_USER = { username: 'jiangmen_admin', password: 'Shuzhuan@2026' }
/** Demo enterprise account of `shuzhuan seed-demo` (its phone number logs in too). */
export const DEMO_ENTERPRISE = { username: 'enterprise_demo', phone: '13800000001', password: 'Shuzhuan@2026' }
/** Demo (certified) provider account of `shuzhuan seed-demo`. */
export const DEMO_PROVIDER = { username: 'provider_demo', phone: '13800000002', password: 'Shuzhuan@2026' }
export const DEFAULT_SITE_NAME = '中小企业数字化转型服务平台'

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

function checkPrerequisites() {
  if (!fs.existsSync(BIN)) {
    throw new Error(`server binary not found: ${BIN}\nbuild it (web first, then cargo build --bin shuzhuan) or set SHUZHUAN_BIN`)
  }
  if (WEB_DIR && !fs.existsSync(path.join(WEB_DIR, 'index.html'))) {
    throw new Error(`built web UI not found: ${WEB_DIR}/index.html\nrun \`npm ci && npm run build\` in web/`)
  }
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}\ninstall it with \`apt-get install -y chromium fonts-noto-cjk\` or set CHROMIUM_PATH`)
  }
}

/** Run `$BIN <args>` to completion; reject with its output if it fails. */
function runCommand(args, env, logFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const collect = (chunk) => {
      output += chunk
      fs.appendFileSync(logFile, chunk)
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`\`shuzhuan ${args.join(' ')}\` did not finish in ${COMMAND_TIMEOUT_MS / 1000}s\n${output}`))
    }, COMMAND_TIMEOUT_MS)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve(output)
      else reject(new Error(`\`shuzhuan ${args.join(' ')}\` failed (${signal ?? `exit ${code}`}):\n${output}`))
    })
  })
}

/**
 * Start a fresh server: temp dir, migrate, seed-demo, serve. Returns { url, dir, logFile, stop }.
 */
export async function startServer({ env: extraEnv = {} } = {}) {
  checkPrerequisites()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shuzhuan-e2e-'))
  const logFile = path.join(dir, 'server.log')
  const env = {
    ...process.env,
    SHUZHUAN_DATABASE_URL: `sqlite://${dir}/e2e.db`,
    SHUZHUAN_DATA_DIR: dir,
    SHUZHUAN_LISTEN: '127.0.0.1:0',
    ...(WEB_DIR ? { SHUZHUAN_WEB_DIR: WEB_DIR } : {}),
    // Test-only: GET /api/captcha also returns the answer, so tests can pass the graphical captcha.
    // The server refuses this setting in production mode.
    SHUZHUAN_TEST_EXPOSE_CAPTCHA: 'true',
    ...extraEnv,
  }

  await runCommand(['migrate'], env, logFile)
  await runCommand(['seed-demo'], env, logFile)

  const child = spawn(BIN, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let exited = false
  const url = await new Promise((resolve, reject) => {
    let buffered = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`server did not print "shuzhuan listening on …" within ${STARTUP_TIMEOUT_MS / 1000}s\n${buffered}`))
    }, STARTUP_TIMEOUT_MS)
    const onData = (chunk) => {
      const text = chunk.toString()
      fs.appendFileSync(logFile, text)
      if (buffered === null) return
      buffered += text
      const m = /shuzhuan listening on (http:\/\/[^\s]+)/.exec(buffered)
      if (m) {
        clearTimeout(timer)
        buffered = null
        resolve(m[1].replace(/\/+$/, ''))
      }
    }
    // The line is expected on stdout; stderr is watched too so a logging change does not break the tests.
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('exit', (code, signal) => {
      exited = true
      clearTimeout(timer)
      if (buffered !== null) reject(new Error(`server exited before listening (${signal ?? `exit ${code}`}):\n${buffered}`))
    })
  })

  async function stop() {
    if (!exited) {
      const gone = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 5_000))
      if ((await Promise.race([gone, timeout])) === 'timeout') {
        child.kill('SIGKILL')
        await gone
      }
    }
    if (!KEEP) fs.rmSync(dir, { recursive: true, force: true })
  }

  return { url, dir, logFile, stop }
}

/**
 * The file a click makes the browser download: `{ name, bytes }`. The harness's contexts refuse downloads
 * (acceptDownloads: false), so Chromium is told to save them itself (CDP Browser.setDownloadBehavior) into a
 * temporary folder, and the file it wrote is read back.
 */
export async function downloadedBy(page, click) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shuzhuan-e2e-download-'))
  const cdp = await page.context().newCDPSession(page)
  try {
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allowAndName', downloadPath: dir, eventsEnabled: true })
    const finished = new Promise((resolve) => {
      cdp.on('Browser.downloadProgress', (e) => {
        if (e.state !== 'inProgress') resolve(e)
      })
    })
    const [download] = await Promise.all([page.waitForEvent('download'), click()])
    const progress = await Promise.race([
      finished,
      new Promise((_, reject) => setTimeout(() => reject(new Error('the download did not finish in 30 s')), 30_000)),
    ])
    assert.equal(progress.state, 'completed', `download ${progress.state}`)
    const file = progress.filePath ?? path.join(dir, progress.guid)
    return { name: download.suggestedFilename(), bytes: fs.readFileSync(file) }
  } finally {
    await cdp.detach().catch(() => undefined)
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** A fresh Chromium profile (own user-data-dir, so no cookies leak between tests). */
export async function launchBrowser() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shuzhuan-e2e-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: false,
  })
  async function close() {
    await context.close().catch(() => undefined)
    fs.rmSync(userDataDir, { recursive: true, force: true })
  }
  return { context, close }
}

// ---------------------------------------------------------------------------------------------
// Accessibility: axe-core on every page the tests open
// ---------------------------------------------------------------------------------------------

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
/** Impacts that fail a test (spec 90-quality: zero serious or critical violations). */
const AXE_FAILING_IMPACTS = ['serious', 'critical']
/**
 * Parts of the page axe is not asked about, each with the reason. Keep this list short: fix the page
 * rather than add to it. Selectors are the exact elements, not whole pages.
 */
const AXE_EXCLUDE = []
/**
 * Single findings axe is right about but that are Element Plus's to fix, not ours, each with the reason:
 * { rule, html (a pattern of the element's markup), summary (of axe's finding), why }. Also short.
 */
const AXE_IGNORE = [
  {
    rule: 'aria-valid-attr-value',
    html: /class="el-input__inner"[^>]*aria-autocomplete="list"/,
    summary: /aria-activedescendant="[^"]*-item--1"/,
    why: 'el-autocomplete (2.14) points aria-activedescendant at item -1 while no suggestion is highlighted; ' +
      'a screen reader ignores the dangling reference and announces the input as it is',
  },
]
const ignored = (rule, node) =>
  AXE_IGNORE.some((i) => i.rule === rule && i.html.test(node.html) && (!i.summary || i.summary.test(node.summary ?? '')))

/**
 * The in-page half of the check, run in every document of the server's origin. A "view" is what is shown:
 * the path (ids left out), who is signed in, and the titles of open dialogs. A view not yet checked by the
 * tests of this file is handed to axe, and
 * the violations go to the test through the binding `__szAxeReport`. It happens when the page has been
 * quiet for a moment (no DOM changes for 300 ms, or 2 s after the first change at the latest), and
 * whenever the test calls `window.__szAxeSettle()`: before each of its actions on the page (see
 * `settleBeforeActions`), before it navigates, and at its end. So every view a test acts on is checked as
 * the test saw it.
 */
function axeInPage({ origin, exclude }) {
  if (window.top !== window || location.origin !== origin) return
  const checked = new Set()
  let running = null
  let quietTimer = 0
  let firstChange = 0

  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'
  function view() {
    const dialogs = [...document.querySelectorAll('[role=dialog], [role=alertdialog]')]
      .filter(visible)
      .map((d) => d.getAttribute('aria-label') || d.querySelector('.el-dialog__title, .el-message-box__title, .el-drawer__title')?.textContent?.trim() || 'dialog')
    // One case page stands for all: ids in the path are left out. Who looks matters (each role sees
    // other modules, tags and actions), so the signed-in user is part of the view.
    const path = location.pathname.replace(/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\/|$)/gi, '/:id')
    const user = document.querySelector('[data-test=header-user]')?.textContent?.trim()
    return [path + (user ? ` (${user})` : ''), ...dialogs].join(' › ')
  }

  /** Where a node sits, for the report: its nearest landmark of the page's own making. */
  function where(selector) {
    try {
      const el = typeof selector === 'string' ? document.querySelector(selector) : null
      const around = el?.closest('[data-test], .el-form-item, .el-pagination, .el-dialog, .el-table, .sz-card, header, main')
      if (!around) return ''
      const test = around.getAttribute('data-test')
      const label = around.querySelector(':scope > .el-form-item__label, :scope > .el-form-item__label-wrap')?.textContent?.trim()
      return [around.tagName.toLowerCase(), test && `[data-test=${test}]`, [...around.classList].slice(0, 2).map((c) => `.${c}`).join(''), label && `「${label}」`]
        .filter(Boolean)
        .join('')
    } catch {
      return ''
    }
  }

  const frame = () => new Promise((r) => requestAnimationFrame(() => r()))
  /**
   * What the user reads, not a passing moment: the loading masks (v-loading, a 90 % white veil over the
   * rows) gone, at most 3 s; then no fade or slide running (Element Plus tags fade in as they appear;
   * spinners, which never end, aside), at most 2 s, looking again two frames later for the transitions
   * Vue starts on the next frame.
   */
  async function settled() {
    const deadline = Date.now() + 3000
    while (Date.now() < deadline && [...document.querySelectorAll('.el-loading-mask')].some(visible)) {
      await new Promise((r) => setTimeout(r, 50))
    }
    const until = Date.now() + 2000
    while (Date.now() < until) {
      await frame()
      await frame()
      const fading = document
        .getAnimations()
        .filter((a) => a.playState === 'running' && a.effect?.getComputedTiming().endTime !== Infinity)
      if (!fading.length) return
      const ended = Promise.all(fading.map((a) => a.finished.catch(() => undefined)))
      await Promise.race([ended, new Promise((r) => setTimeout(r, Math.max(0, until - Date.now())))])
    }
  }

  async function check() {
    if (running) return running
    const key = view()
    if (checked.has(key) || !window.axe) return
    checked.add(key)
    running = (async () => {
      try {
        // Checked already by an earlier test of this file: each view once per file keeps the long
        // stories (jiangmen.test.mjs) within their time.
        if (await window.__szAxeSeen(key)) return
        await settled()
        let result = await window.axe.run({ exclude }, { resultTypes: ['violations'] })
        // Colours are judged on a still page: when some failed, let whatever started fading in meanwhile
        // (rows that arrived during the run) end, and ask again about colours only; what fails twice stays.
        if (result.violations.some((v) => v.id === 'color-contrast')) {
          await settled()
          const again = await window.axe.run({ exclude }, { runOnly: ['color-contrast'], resultTypes: ['violations'] })
          result = { violations: [...result.violations.filter((v) => v.id !== 'color-contrast'), ...again.violations] }
        }
        const violations = result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          helpUrl: v.helpUrl,
          nodes: v.nodes.map((n) => ({ target: n.target.join(' '), where: where(n.target[0]), html: n.html.slice(0, 600), summary: n.failureSummary })),
        }))
        await window.__szAxeReport({ view: key, url: location.href, violations })
      } catch (e) {
        await window.__szAxeReport({ view: key, url: location.href, error: String(e) })
      } finally {
        running = null
      }
    })()
    return running
  }

  function schedule() {
    const now = Date.now()
    if (!firstChange) firstChange = now
    clearTimeout(quietTimer)
    const wait = Math.max(0, Math.min(300, firstChange + 2000 - now))
    quietTimer = setTimeout(async () => {
      firstChange = 0
      await check()
      if (!checked.has(view())) schedule() // the view changed while axe was running
    }, wait)
  }

  window.__szAxeSettle = async () => {
    if (running) await running
    await check()
  }
  const start = () => {
    new MutationObserver(() => {
      if (!running) schedule()
    }).observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true })
    schedule()
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
  else start()
}

/** The views checked so far by the tests of this file (each file runs in its own process). */
const axeViewsOfThisFile = new Set()

/** Per page: check its current view (when not yet checked) before the test acts on it. */
const axeSettlers = new WeakMap()
const settleView = (page) => page.evaluate(() => window.__szAxeSettle?.()).catch(() => undefined)

/**
 * Before each action of a test on a page (a click, a fill …, a navigation), the view it acts on is checked.
 * Playwright has no hook for that; its Locator and Page methods are wrapped once, here.
 */
function settleBeforeActions(page) {
  const wrap = (proto, names, pageOf) => {
    for (const name of names) {
      const original = proto[name]
      if (typeof original !== 'function' || original.__szAxe) continue
      const wrapped = async function (...args) {
        const settle = axeSettlers.get(pageOf(this))
        if (settle) await settle()
        return original.apply(this, args)
      }
      wrapped.__szAxe = true
      proto[name] = wrapped
    }
  }
  const locatorProto = Object.getPrototypeOf(page.locator('html'))
  wrap(locatorProto, ['click', 'dblclick', 'fill', 'press', 'pressSequentially', 'check', 'uncheck', 'selectOption', 'setInputFiles', 'tap'], (l) => l.page())
  wrap(Object.getPrototypeOf(page), ['goto', 'reload', 'goBack', 'goForward'], (p) => p)
  axeSettlers.set(page, () => settleView(page))
}

/**
 * Load axe-core and the checker into every page of `context` and collect what they find. Returns
 * `finish()`: checks the pages' current views, then throws when any view had serious or critical
 * violations, naming the rule, its help, and the offending nodes.
 */
export async function installAxe(context, origin) {
  const reports = []
  await context.exposeBinding('__szAxeReport', (_source, report) => {
    reports.push(report)
  })
  await context.exposeBinding('__szAxeSeen', (_source, key) => {
    if (axeViewsOfThisFile.has(key)) return true
    axeViewsOfThisFile.add(key)
    return false
  })
  await context.addInitScript({ content: `${AXE_SOURCE}\n;(${axeInPage})(${JSON.stringify({ origin, exclude: AXE_EXCLUDE })})` })

  context.on('page', settleBeforeActions)
  for (const p of context.pages()) settleBeforeActions(p)

  async function finish() {
    for (const p of context.pages()) await settleView(p)
    const problems = []
    for (const r of reports) {
      if (r.error) {
        problems.push(`${r.view}: axe failed: ${r.error}`)
        continue
      }
      for (const v of r.violations.filter((x) => AXE_FAILING_IMPACTS.includes(x.impact))) {
        v.nodes = v.nodes.filter((n) => !ignored(v.id, n))
        if (!v.nodes.length) continue
        const nodes = v.nodes.map((n) => `      ${n.target}${n.where ? `  (in ${n.where})` : ''}\n        ${n.html}\n        ${(n.summary ?? '').replace(/\n/g, '\n        ')}`)
        problems.push(`${r.view} (${r.url})\n    [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes.join('\n')}`)
      }
    }
    if (problems.length) throw new Error(`accessibility (axe-core) violations:\n  ${problems.join('\n  ')}`)
    return reports.map((r) => r.view)
  }
  return { finish, reports }
}

function slug(name) {
  return name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'test'
}

/**
 * Declare a test file's server (started once before its tests, stopped after) and return a
 * `browserTest(name, fn)` that runs `fn({ page, url, server })` in a fresh browser profile. `env` returns
 * (or resolves to) extra server settings; it is called just before the server starts, so it may start
 * what the server needs first (the file's own top-level `before` hooks do not reliably run first).
 * Name tests in ASCII: the name becomes the screenshot file name.
 */
export function useServer({ env = () => ({}) } = {}) {
  let server = null
  before(async () => {
    server = await startServer({ env: await env() })
  })
  after(async () => {
    await server?.stop()
  })

  return function browserTest(name, fn) {
    test(name, async (t) => {
      if (!server) throw new Error('server did not start (see the before hook failure)')
      const { context, close } = await launchBrowser()
      const axe = await installAxe(context, new URL(server.url).origin)
      const page = context.pages()[0] ?? (await context.newPage())
      page.setDefaultTimeout(15_000)
      page.setDefaultNavigationTimeout(30_000)
      const pageErrors = []
      page.on('pageerror', (e) => pageErrors.push(e.message))
      try {
        await fn({ page, url: server.url, server, t })
        if (pageErrors.length) throw new Error(`uncaught errors in the page:\n${pageErrors.join('\n')}`)
        const views = await axe.finish()
        t.diagnostic(`axe-core checked ${views.length} views: ${[...new Set(views)].join(' | ')}`)
      } catch (e) {
        fs.mkdirSync(ARTIFACTS_DIR, { recursive: true })
        const base = path.join(ARTIFACTS_DIR, slug(name))
        await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => undefined)
        try {
          fs.copyFileSync(server.logFile, `${base}.server.log`)
        } catch {
          /* no log */
        }
        t.diagnostic(`screenshot: ${base}.png`)
        throw e
      } finally {
        await close()
      }
    })
  }
}

/** Wait until the page's path (and optionally query) is as expected. */
export async function waitForPath(page, pathname, timeout = 15_000) {
  await page.waitForURL((u) => u.pathname === pathname, { timeout })
}

/** A small but well-formed one-page PDF (so a content check on the server accepts it). */
/** `d` as Beijing wall time (`2026-12-07 09:00:00`), as the date pickers type it. */
export function wallTime(d) {
  const p = (n) => String(n).padStart(2, '0')
  const c = new Date(d.getTime() + 8 * 3600 * 1000)
  return `${c.getUTCFullYear()}-${p(c.getUTCMonth() + 1)}-${p(c.getUTCDate())} ${p(c.getUTCHours())}:${p(c.getUTCMinutes())}:${p(c.getUTCSeconds())}`
}

export function samplePdf() {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << >> >>',
  ]
  const stream = 'BT /F1 12 Tf 20 100 Td (shuzhuan e2e) Tj ET'
  objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`)
  let body = '%PDF-1.4\n%\xE2\xE3\xCF\xD3\n'
  const offsets = []
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'))
    body += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = Buffer.byteLength(body, 'latin1')
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(body, 'latin1')
}

// ---------------------------------------------------------------------------------------------
// Captcha, SMS and login helpers
// ---------------------------------------------------------------------------------------------

const isCaptchaResponse = (r) => new URL(r.url()).pathname === '/api/captcha' && r.request().method() === 'GET'

/**
 * Ask the captcha component inside `scope` (a page or locator) for a new image and return its answer,
 * read from the GET /api/captcha response (the server exposes it in tests). Waits until the image on
 * screen is the one answered, so the answer typed next belongs to it.
 */
export async function freshCaptcha(page, scope = page) {
  const image = scope.locator('[data-test=captcha-image]')
  await image.locator('img').waitFor() // the first captcha has loaded; the button is enabled again
  const answered = page.waitForResponse(isCaptchaResponse)
  await image.click()
  const body = await (await answered).json()
  if (!body.answer) throw new Error('GET /api/captcha returned no answer: is SHUZHUAN_TEST_EXPOSE_CAPTCHA set?')
  await image.locator(`img[src="${body.image}"]`).waitFor()
  return body.answer
}

/** Fill the captcha box inside `scope` with the answer of a freshly fetched captcha. */
export async function fillCaptcha(page, scope = page) {
  const answer = await freshCaptcha(page, scope)
  await scope.locator('input[name=captcha]').fill(answer)
  return answer
}

/** The newest SMS code sent to `phone` (log gateway outbox, development mode only). */
export async function smsCode(url, phone, { after = null, timeout = 10_000 } = {}) {
  const deadline = Date.now() + timeout
  for (;;) {
    const res = await fetch(`${url}/api/dev/sms-outbox?phone=${encodeURIComponent(phone)}`)
    if (!res.ok) throw new Error(`GET /api/dev/sms-outbox answered ${res.status}: ${await res.text()}`)
    const { items } = await res.json()
    const newest = items[0]
    const code = newest && /(\d{6})/.exec(newest.text)?.[1]
    if (code && (!after || newest.sent_at !== after)) return code
    if (Date.now() > deadline) throw new Error(`no SMS code for ${phone} in the outbox: ${JSON.stringify(items)}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** A random mainland mobile number (139 + 8 digits) for a test account. */
export function randomPhone() {
  return `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`
}

/** Log in through the login page (password tab, with the captcha) and wait for the workbench. */
export async function loginViaUi(page, url, { username, password }, { expectPath = '/workbench' } = {}) {
  if (new URL(page.url()).pathname !== '/login') await page.goto(`${url}/login`)
  await page.locator('input[name=username]').fill(username)
  await page.locator('input[name=password]').fill(password)
  await fillCaptcha(page)
  await page.locator('button[type=submit]').click()
  if (expectPath) await waitForPath(page, expectPath)
}

/**
 * Plain HTTP client for setting up data through the API (no browser): keeps the session cookie and
 * sends the CSRF header on every mutating request. A FormData body is sent as multipart.
 */
export function apiClient(url) {
  let cookie = ''
  async function request(method, path, body) {
    const headers = { Accept: 'application/json' }
    if (cookie) headers.Cookie = cookie
    if (method !== 'GET') headers['X-Requested-With'] = 'shuzhuan'
    const multipart = body instanceof FormData
    if (body !== undefined && !multipart) headers['Content-Type'] = 'application/json'
    const payload = body === undefined || multipart ? body : JSON.stringify(body)
    const res = await fetch(`${url}${path}`, { method, headers, body: payload })
    const set = res.headers.get('set-cookie')
    if (set) cookie = set.split(';')[0]
    const text = await res.text()
    let json = null
    try {
      json = text ? JSON.parse(text) : null
    } catch {
      json = text
    }
    return { status: res.status, body: json }
  }
  async function captcha() {
    const { body } = await request('GET', '/api/captcha')
    return { captcha_id: body.id, captcha_answer: body.answer }
  }
  return {
    request,
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body),
    captcha,
    /** Upload a file as POST /api/files does (multipart: purpose, then file); returns the stored file. */
    async upload(purpose, name, type, buffer) {
      const form = new FormData()
      form.append('purpose', purpose)
      form.append('file', new Blob([buffer], { type }), name)
      const res = await request('POST', '/api/files', form)
      if (res.status !== 201) throw new Error(`upload ${name} answered ${res.status}: ${JSON.stringify(res.body)}`)
      return res.body
    },
    async login(username, password) {
      const res = await request('POST', '/api/auth/login', { username, password, ...(await captcha()) })
      if (res.status !== 200) throw new Error(`login ${username} answered ${res.status}: ${JSON.stringify(res.body)}`)
      return res.body.user
    },
    /** The signed-in enterprise assesses itself with the manual's example answers (二级（规范级）, 49.34). */
    async assessWithManualExample() {
      const answers = JSON.parse(fs.readFileSync(path.join(E2E_DIR, '../crates/core/tests/fixtures/manual_example_answers.json'), 'utf8'))
      const draft = await request('PUT', '/api/assessments/draft', { answers })
      assert.equal(draft.status, 200, JSON.stringify(draft.body))
      const scored = await request('POST', '/api/assessments/draft/submit')
      assert.equal(scored.status, 201, JSON.stringify(scored.body))
      return scored.body
    },
  }
}

/**
 * Register an enterprise (or, with `kind: 'provider'` and `serviceScope`, a provider) through the API
 * (captcha → SMS → register) with a company from the registry search; returns { phone, password, company }.
 * Companies already taken are skipped.
 */
export async function registerEnterpriseViaApi(url, { query = '惠州', password = 'Qiye#2026e2e', kind = 'enterprise', serviceScope = [] } = {}) {
  const api = apiClient(url)
  const { body: found } = await api.get(`/api/companies/search?q=${encodeURIComponent(query)}`)
  if (!found?.items?.length) throw new Error(`no company matches ${query}: ${JSON.stringify(found)}`)
  for (const company of [...found.items].reverse()) {
    const phone = randomPhone()
    const sent = await api.post('/api/sms/send', { phone, purpose: 'register', ...(await api.captcha()) })
    if (sent.status !== 200) throw new Error(`SMS send answered ${sent.status}: ${JSON.stringify(sent.body)}`)
    const res = await api.post('/api/register', {
      kind,
      phone,
      sms_code: await smsCode(url, phone),
      password,
      confirm_password: password,
      company_name: company.name,
      uscc: company.uscc,
      region_code: company.region_code,
      address: company.address || '测试地址1号',
      industry_code: company.industry_code || 'C',
      contact_name: '测试联系人',
      service_scope: serviceScope,
    })
    if (res.status === 201) return { phone, password, company }
    if (res.status !== 409) throw new Error(`register answered ${res.status}: ${JSON.stringify(res.body)}`)
  }
  throw new Error(`every company matching ${query} is already registered`)
}

/** Assert a response's status; the body is read only to explain a mismatch. */
export async function expectStatus(response, status, what = response.url()) {
  if (response.status() !== status) {
    const body = await response.text().catch(() => '(body unavailable)')
    throw new Error(`${what} answered ${response.status()}, expected ${status}: ${body}`)
  }
}

/**
 * The first half of 服务商用户注册 in the browser: the 服务商 tab, a fresh phone with its SMS code, the password
 * twice, and a company from the registry found by 惠州 (the last suggestion: the demo accounts use the first
 * ones), whose details are filled in. Returns { phone, password, company } (the registry row); the caller goes
 * on with region, contact, scopes and 注册.
 */
export async function startProviderRegistration(page, url, { password }) {
  await page.goto(`${url}/register`)
  await page.getByRole('tab', { name: /服务商/ }).click()
  await page.getByRole('heading', { name: '服务商用户注册' }).waitFor()

  const phone = randomPhone()
  await page.locator('input[name=phone]').fill(phone)
  await fillCaptcha(page)
  const sent = page.waitForResponse((r) => r.url().endsWith('/api/sms/send'))
  await page.locator('[data-test=sms-send]').click()
  await expectStatus(await sent, 200)
  await page.locator('input[name=sms_code]').fill(await smsCode(url, phone))
  await page.locator('input[name=password]').fill(password)
  await page.locator('input[name=confirm_password]').fill(password)

  const searched = page.waitForResponse((r) => r.url().includes('/api/companies/search'))
  await page.locator('[data-test=company-name] input').fill('惠州')
  const hits = (await (await searched).json()).items
  assert.ok(hits.length > 0, 'the registry has companies matching 惠州')
  const company = hits[hits.length - 1]
  await page.locator('.company-name__popper li', { hasText: company.name }).first().click()
  await page.getByText(`已根据“${company.name}”带出`).waitFor()
  return { phone, password, company }
}

/**
 * Answer the box every submission that locks the form asks first (「提交后将不能修改，确认提交？」) with 确认提交.
 * Call it right after clicking 提交 / 重新提交; the submission is sent once the box is confirmed.
 */
export async function confirmSubmit(page) {
  const box = page.locator('.el-message-box', { hasText: '提交后将不能修改，确认提交？' })
  await box.getByRole('button', { name: '确认提交' }).click()
  await box.waitFor({ state: 'hidden' })
}
