// 统一身份认证: the login page's button sends the browser to a real OpenID Connect provider (npm
// `oidc-provider`, run here on loopback with its development login pages), which sends it back; the
// platform checks the ID token and signs in the account registered with the provider's verified mobile
// number. Identities without a verified number, or with a number nobody registered, are refused.
import assert from 'node:assert/strict'
import net from 'node:net'
import { after } from 'node:test'
import Provider from 'oidc-provider'
import { DEMO_ENTERPRISE, useServer, waitForPath } from '../harness.mjs'

/** A port nobody listens on now (the provider and the app must know each other's address up front). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

const CLIENT_ID = 'shuzhuan'
const CLIENT_SECRET = 'e2e-client-secret-0123456789abcdef'
let issuer = ''
let appPort = 0
let oidcServer = null

after(() => {
  oidcServer?.close()
})

/** Starts the provider, which must know the app's callback address, then names it to the app. */
async function startProvider() {
  const oidcPort = await freePort()
  appPort = await freePort()
  issuer = `http://127.0.0.1:${oidcPort}`
  const oidc = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`http://127.0.0.1:${appPort}/api/auth/unified/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], phone: ['phone_number', 'phone_number_verified'] },
    // The development login page accepts any login: it is the person's account id here. A login of
    // "unverified-<phone>" stands for an identity whose number the provider has not verified.
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({
        sub: id,
        phone_number: id.replace(/^unverified-/, ''),
        phone_number_verified: !id.startsWith('unverified-'),
      }),
    }),
  })
  await new Promise((resolve) => {
    oidcServer = oidc.listen(oidcPort, '127.0.0.1', resolve)
  })
}

const browserTest = useServer({
  env: async () => {
    await startProvider()
    return {
      SHUZHUAN_LISTEN: `127.0.0.1:${appPort}`,
      SHUZHUAN_OIDC_ISSUER: issuer,
      SHUZHUAN_OIDC_CLIENT_ID: CLIENT_ID,
      SHUZHUAN_OIDC_CLIENT_SECRET: CLIENT_SECRET,
      SHUZHUAN_OIDC_REDIRECT_URL: `http://127.0.0.1:${appPort}/api/auth/unified/callback`,
    }
  },
})

/** From the login page through the provider's own login (and consent) pages. */
async function signInAtProvider(page, url, login) {
  // The provider's development pages import a web font from the internet, which is not reachable here.
  await page.route(/fonts\.googleapis\.com/, (r) => r.abort())
  await page.goto(`${url}/login?entry=enterprise`)
  await page.locator('[data-test=unified-login]').getByText('统一身份认证登录').click()
  await page.waitForURL((u) => u.origin === issuer)
  await page.locator('input[name=login]').fill(login)
  await page.locator('input[name=password]').fill('any')
  await page.locator('button[type=submit]').click()
  // The first sign-in for this client asks for consent.
  await page.waitForURL((u) => u.origin !== issuer || u.pathname.startsWith('/interaction'))
  const consent = page.locator('input[name=prompt][value=consent]')
  if (new URL(page.url()).origin === issuer && (await consent.count()) > 0) {
    await page.locator('button[type=submit]').click()
  }
}

browserTest('unified-identity-signs-in-the-account-of-the-verified-phone', async ({ page, url }) => {
  await signInAtProvider(page, url, DEMO_ENTERPRISE.phone)
  await waitForPath(page, '/workbench')
  const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json())
  assert.equal(me.user.username, DEMO_ENTERPRISE.username)
  await page.getByText(me.user.organization.name).first().waitFor()
})

browserTest('unified-identity-with-an-unregistered-phone-is-sent-back-with-a-reason', async ({ page, url }) => {
  await signInAtProvider(page, url, '13912345670')
  await waitForPath(page, '/login')
  assert.equal(new URL(page.url()).searchParams.get('unified'), 'unbound')
  await page.locator('[data-test=unified-refusal]').getByText('尚未在本平台注册').waitFor()
  const me = await page.evaluate(async () => (await fetch('/api/auth/me')).status)
  assert.equal(me, 401, 'nobody is signed in')
})

browserTest('unified-identity-without-a-verified-phone-is-refused', async ({ page, url }) => {
  await signInAtProvider(page, url, `unverified-${DEMO_ENTERPRISE.phone}`)
  await waitForPath(page, '/login')
  assert.equal(new URL(page.url()).searchParams.get('unified'), 'unbound')
  const me = await page.evaluate(async () => (await fetch('/api/auth/me')).status)
  assert.equal(me, 401)
})

browserTest('unified-identity-callback-without-its-state-is-refused', async ({ page, url }) => {
  // A callback the browser did not start (a forged or replayed link) signs nobody in.
  await page.goto(`${url}/api/auth/unified/callback?code=forged&state=forged`)
  await waitForPath(page, '/login')
  assert.equal(new URL(page.url()).searchParams.get('unified'), 'expired')
  await page.locator('[data-test=unified-refusal]').getByText('已过期').waitFor()
})
