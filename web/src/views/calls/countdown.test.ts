import { describe, expect, it } from 'vitest'
import { clockOffset, countdownParts, countdownState, countdownText, remainingMs } from './countdown'

describe('countdown', () => {
  const closes = '2023-10-24T19:00:00+08:00'

  it('counts from the server clock, not the browser clock', () => {
    // The server says it is 2023-10-24 18:00 (China time); this browser's clock is two days behind.
    const local = Date.parse('2023-10-22T10:00:00Z')
    const offset = clockOffset('2023-10-24T10:00:00Z', local)
    expect(offset).toBe(2 * 24 * 3600 * 1000)
    expect(remainingMs(closes, offset, local)).toBe(3600 * 1000)
    // One second later on the local clock: one second less.
    expect(remainingMs(closes, offset, local + 1000)).toBe(3599 * 1000)
  })

  it('writes the time left as the manual does', () => {
    const ms = (((56 * 24 + 4) * 60 + 11) * 60 + 2) * 1000 + 400
    expect(countdownParts(ms)).toEqual({ days: 56, hours: 4, minutes: 11, seconds: 2 })
    expect(countdownText(ms)).toBe('56天 4时 11分 2秒')
  })

  it('turns red in the last 24 hours and says 已截止 after the deadline', () => {
    expect(countdownState(25 * 3600 * 1000)).toBe('open')
    expect(countdownState(24 * 3600 * 1000)).toBe('urgent')
    expect(countdownState(1000)).toBe('urgent')
    expect(countdownState(0)).toBe('closed')
    const offset = clockOffset('2023-10-24T12:00:00Z', Date.parse('2023-10-24T12:00:00Z'))
    expect(remainingMs(closes, offset, Date.parse('2023-10-24T12:00:00Z'))).toBe(0)
    expect(countdownText(0)).toBe('已截止')
  })

  it('falls back to the local clock when the server time cannot be read', () => {
    expect(clockOffset('not a time', 1000)).toBe(0)
    expect(remainingMs('nonsense', 0, 0)).toBe(0)
  })
})
