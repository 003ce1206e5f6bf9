import { describe, expect, it } from 'vitest'
import { ApiError } from './errors'
import { IntentKey, newIdempotencyKey, outcomeUnknown } from './idempotency'

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('idempotency keys', () => {
  it('uses crypto.randomUUID when the page has it', () => {
    expect(newIdempotencyKey({ randomUUID: () => 'from-crypto', getRandomValues: (a) => a })).toBe('from-crypto')
  })

  it('builds a version 4 UUID from random bytes on plain-HTTP pages', () => {
    const key = newIdempotencyKey({ getRandomValues: <T extends ArrayBufferView | null>(a: T) => a && (new Uint8Array(a.buffer).fill(0xff), a) })
    expect(key).toMatch(UUID_V4)
    expect(newIdempotencyKey(undefined)).toMatch(UUID_V4)
    expect(newIdempotencyKey()).not.toBe(newIdempotencyKey())
  })

  it('treats network failures and 5xx as unknown outcomes, 4xx as definite', () => {
    expect(outcomeUnknown(new ApiError(0, 'network_error', '网络连接失败'))).toBe(true)
    expect(outcomeUnknown(new ApiError(504, 'http_504', '超时'))).toBe(true)
    expect(outcomeUnknown(new ApiError(409, 'review_version_conflict', '已被他人处理'))).toBe(false)
    expect(outcomeUnknown(new ApiError(422, 'validation', '请填写审核意见'))).toBe(false)
    expect(outcomeUnknown(new Error('?'))).toBe(true)
  })

  it('keeps one key per intent until the outcome is known', () => {
    let n = 0
    const intent = new IntentKey(() => `k${++n}`)
    expect(intent.key()).toBe('k1')
    expect(intent.key()).toBe('k1') // double click
    intent.settle(new ApiError(0, 'network_error', '网络连接失败'))
    expect(intent.key()).toBe('k1') // retry after a lost answer: same key
    intent.settle(new ApiError(422, 'validation', '请填写审核意见'))
    expect(intent.key()).toBe('k2') // refused: the next submit is a new intent
    intent.settle()
    expect(intent.pending).toBeNull()
    expect(intent.key()).toBe('k3')
    intent.reset()
    expect(intent.key()).toBe('k4')
  })
})
