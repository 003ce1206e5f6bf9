/**
 * The application page's deadline countdown (003 §5.4.2: 申报截止时间 and 倒计时 56天 4时 11分 2秒). The time is
 * the server's: every answer carries `server_now`, and the page keeps the offset between it and this
 * browser's clock, so a wrong clock on the clerk's computer neither hides the deadline nor invents time.
 */

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** The last stretch shown in red. */
export const URGENT_MS = DAY

/**
 * How far the server's clock is ahead of this browser's (ms; negative when behind), from an answer's
 * `server_now` read at local time `receivedAt`. An unreadable time gives 0 (the local clock, as a last resort).
 */
export function clockOffset(serverNow: string, receivedAt: number): number {
  const server = Date.parse(serverNow)
  return Number.isFinite(server) ? server - receivedAt : 0
}

/** Milliseconds left until `closesAt` by the server's clock (`offset` from clockOffset), never negative. */
export function remainingMs(closesAt: string, offset: number, localNow: number): number {
  const closes = Date.parse(closesAt)
  if (!Number.isFinite(closes)) return 0
  return Math.max(0, closes - (localNow + offset))
}

export interface CountdownParts {
  days: number
  hours: number
  minutes: number
  seconds: number
}

export function countdownParts(ms: number): CountdownParts {
  const left = Math.max(0, Math.floor(ms / SECOND) * SECOND)
  return {
    days: Math.floor(left / DAY),
    hours: Math.floor((left % DAY) / HOUR),
    minutes: Math.floor((left % HOUR) / MINUTE),
    seconds: Math.floor((left % MINUTE) / SECOND),
  }
}

/** 「56天 4时 11分 2秒」 as the manual writes it; 「已截止」 once the time is up. */
export function countdownText(ms: number): string {
  if (ms <= 0) return '已截止'
  const p = countdownParts(ms)
  return `${p.days}天 ${p.hours}时 ${p.minutes}分 ${p.seconds}秒`
}

export type CountdownState = 'open' | 'urgent' | 'closed'

/** open; urgent in the last 24 hours (shown in red); closed at the deadline. */
export function countdownState(ms: number): CountdownState {
  if (ms <= 0) return 'closed'
  return ms <= URGENT_MS ? 'urgent' : 'open'
}
