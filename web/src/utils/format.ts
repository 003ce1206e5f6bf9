import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone'
import utc from 'dayjs/plugin/utc'

dayjs.extend(utc)
dayjs.extend(timezone)

/**
 * The platform's time zone. The API sends instants as RFC 3339 with an offset
 * (`2025-11-25T23:10:31+08:00`); they are shown in China time whatever zone the browser is in, so an
 * official travelling abroad and the enterprise clerk at home read the same deadline.
 */
export const PLATFORM_ZONE = 'Asia/Shanghai'

/** A calendar date without a time (`2025-11-25`): a day, not an instant; never shifted by a zone. */
const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/

function inPlatformZone(value: string | number | Date): dayjs.Dayjs | null {
  if (typeof value === 'string' && PLAIN_DATE.test(value)) {
    const d = dayjs(value)
    return d.isValid() ? d : null
  }
  const d = dayjs(value)
  return d.isValid() ? d.tz(PLATFORM_ZONE) : null
}

/** Instants are shown as 2025-11-25 23:10:31 (China time) throughout the platform. */
export function formatDateTime(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  const d = inPlatformZone(value)
  return d ? d.format('YYYY-MM-DD HH:mm:ss') : String(value)
}

/** The China-time calendar day of an instant, or a plain date as it is. */
export function formatDate(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  const d = inPlatformZone(value)
  return d ? d.format('YYYY-MM-DD') : String(value)
}

/** 1536 -> "1.5 KB", 104857600 -> "100 MB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—'
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = bytes / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  const s = v >= 100 || Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1).replace(/\.0$/, '')
  return `${s} ${units[i]}`
}

/** Lower-case extension without the dot ("报告.PDF" -> "pdf"). */
export function fileExtension(name: string): string {
  const i = name.lastIndexOf('.')
  return i >= 0 ? name.slice(i + 1).toLowerCase() : ''
}

/**
 * A score as the assessment shows every score, full marks included: two decimals (49.34, 10.00, 20.00), the
 * unit 分 written once after it by the page. The server's `*_display` strings have the same form.
 */
export function formatScore(value: number): string {
  return (Math.round(value * 100) / 100).toFixed(2)
}
