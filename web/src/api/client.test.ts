import { afterEach, describe, expect, it, vi } from 'vitest'

vi.mock('element-plus', () => ({ ElMessage: vi.fn() }))

import { call, request } from './client'
import { ApiError } from './errors'

afterEach(() => {
  vi.unstubAllGlobals()
})

function stubFetch(status: number, body: string | null) {
  const fetch = vi.fn(async (_url: string, _init: RequestInit) => new Response(body, { status, headers: { 'Content-Type': 'application/json' } }))
  vi.stubGlobal('fetch', fetch)
  return fetch
}

describe('requests to hand-declared endpoints', () => {
  it('leaves out empty query values and sends the CSRF and extra headers on writes', async () => {
    const fetch = stubFetch(200, '{"ok":true}')
    const data = await call<{ ok: boolean }>(
      request('POST', '/api/review/cases/c1/actions', {
        query: { a: '', b: null, c: undefined, d: 0, e: 'x' },
        body: { action: 'approve', version: 3 },
        headers: { 'Idempotency-Key': 'k1' },
      }),
    )
    expect(data).toEqual({ ok: true })
    const [url, init] = fetch.mock.calls[0]!
    expect(url).toBe('/api/review/cases/c1/actions?d=0&e=x')
    const headers = init.headers as Headers
    expect(headers.get('X-Requested-With')).toBe('shuzhuan')
    expect(headers.get('Idempotency-Key')).toBe('k1')
    expect(headers.get('Content-Type')).toBe('application/json')
    expect(init.body).toBe('{"action":"approve","version":3}')
  })

  it('sends no CSRF header on reads', async () => {
    const fetch = stubFetch(200, '{"count":3}')
    await call(request('GET', '/api/notifications/unread-count'), { silent: true })
    expect((fetch.mock.calls[0]![1].headers as Headers).has('X-Requested-With')).toBe(false)
  })

  it('turns the error envelope into an ApiError', async () => {
    stubFetch(409, '{"error":{"code":"review_version_conflict","message":"该事项已被他人处理，请刷新后重试","fields":[]}}')
    const err = await call(request('POST', '/api/review/cases/c1/actions', { body: {} }), { silent: true }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).status).toBe(409)
    expect((err as ApiError).code).toBe('review_version_conflict')
    expect((err as ApiError).message).toBe('该事项已被他人处理，请刷新后重试')
  })

  it('reports a network failure as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))))
    const err = await call(request('GET', '/api/review/tasks'), { silent: true }).catch((e: unknown) => e)
    expect((err as ApiError).status).toBe(0)
    expect((err as ApiError).code).toBe('network_error')
  })

  it('accepts an empty success body', async () => {
    stubFetch(204, null)
    await expect(call(request('POST', '/api/notifications/read-all'), { silent: true })).resolves.toBeUndefined()
  })
})
