import { afterEach, describe, expect, it, vi } from 'vitest'
import createClient from 'openapi-fetch'

vi.mock('element-plus', () => ({ ElMessage: vi.fn() }))

import { call, csrf, withoutEmpty } from './client'
import { ApiError } from './errors'
import type { paths } from './schema'

afterEach(() => {
  vi.unstubAllGlobals()
})

/** A typed client like `api`, answering every request with `status` and `body`; `requests` are what it sent. */
function clientAnswering(status: number, body: string | null) {
  const requests: Request[] = []
  const fetch = vi.fn(async (req: Request) => {
    requests.push(req)
    return new Response(body, { status, headers: { 'Content-Type': 'application/json' } })
  })
  const client = createClient<paths>({ baseUrl: 'http://app.test', fetch })
  client.use(csrf)
  return { client, requests }
}

describe('the typed client and call()', () => {
  it('sends the CSRF and extra headers on writes', async () => {
    const { client, requests } = clientAnswering(200, '{"id":"c1"}')
    const data = await call(
      client.POST('/api/review/cases/{id}/actions', {
        params: { path: { id: 'c1' } },
        body: { action: 'approve', version: 3 },
        headers: { 'Idempotency-Key': 'k1' },
      }),
    )
    expect(data).toEqual({ id: 'c1' })
    const req = requests[0]!
    expect(req.url).toBe('http://app.test/api/review/cases/c1/actions')
    expect(req.headers.get('X-Requested-With')).toBe('shuzhuan')
    expect(req.headers.get('Idempotency-Key')).toBe('k1')
    expect(req.headers.get('Content-Type')).toBe('application/json')
    expect(await req.text()).toBe('{"action":"approve","version":3}')
  })

  it('sends no CSRF header on reads, and leaves out empty query values', async () => {
    const { client, requests } = clientAnswering(200, '{"items":[],"total":0}')
    await call(client.GET('/api/review/cases', { params: { query: withoutEmpty({ kind: '', status: 'returned' as const, page: 1 }) } }), { silent: true })
    expect(requests[0]!.headers.has('X-Requested-With')).toBe(false)
    expect(requests[0]!.url).toBe('http://app.test/api/review/cases?status=returned&page=1')
  })

  it('turns the error envelope into an ApiError with its code', async () => {
    const { client } = clientAnswering(409, '{"error":{"code":"review_version_conflict","message":"该事项已被他人处理，请刷新后重试","fields":[]}}')
    const err = await call(client.POST('/api/review/cases/{id}/actions', { params: { path: { id: 'c1' } }, body: { action: 'approve', version: 1 } }), {
      silent: true,
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect((err as ApiError).status).toBe(409)
    expect((err as ApiError).code).toBe('review_version_conflict')
    expect((err as ApiError).message).toBe('该事项已被他人处理，请刷新后重试')
  })

  it('reports a network failure as status 0', async () => {
    const client = createClient<paths>({ baseUrl: 'http://app.test', fetch: async () => Promise.reject(new TypeError('Failed to fetch')) })
    const err = await call(client.GET('/api/review/tasks'), { silent: true }).catch((e: unknown) => e)
    expect((err as ApiError).status).toBe(0)
    expect((err as ApiError).code).toBe('network_error')
  })

  it('accepts an empty success body', async () => {
    const { client } = clientAnswering(204, null)
    await expect(call(client.POST('/api/notifications/read-all'), { silent: true })).resolves.toBeUndefined()
  })
})
