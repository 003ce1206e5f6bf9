/** How a call is named and its notice read on every page (portal, 我要申报, the application page). */
import type { CallNotice } from '@/api/calls'
import { formatDateTime } from '@/utils/format'
import { NOTICE_FIELDS } from './callSettings'

/** 「专题 · 方向」, or the program alone when the track repeats it. */
export function noticeTitle(c: Pick<CallNotice, 'program_name' | 'track_name'>): string {
  if (!c.track_name || c.program_name.endsWith(c.track_name)) return c.program_name
  return `${c.program_name} · ${c.track_name}`
}

/** 申报时间 as the notice writes it. */
export function windowText(c: Pick<CallNotice, 'opens_at' | 'closes_at'>): string {
  return `${formatDateTime(c.opens_at)} 至 ${formatDateTime(c.closes_at)}`
}

/** The metadata of 004 图3 in order, 申报时间 last; empty values shown as —. */
export function noticeRows(c: CallNotice): { label: string; value: string; wide?: boolean }[] {
  const rows: { label: string; value: string; wide?: boolean }[] = NOTICE_FIELDS.map((f) => ({
    label: f.label,
    value: c.notice[f.key]?.trim() || '—',
    wide: f.key === 'basis',
  }))
  rows.push({ label: '申报时间', value: windowText(c), wide: true })
  return rows
}

/** The guide to read before applying (下载申报指南): the province's, then the city's. */
export function guideText(c: Pick<CallNotice, 'guide' | 'city_guide'>): { title: string; text: string }[] {
  const out: { title: string; text: string }[] = []
  if (c.guide.trim()) out.push({ title: '申报指南', text: c.guide })
  if (c.city_guide.trim()) out.push({ title: '地市申报指南', text: c.city_guide })
  return out
}
