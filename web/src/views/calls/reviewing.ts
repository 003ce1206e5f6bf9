import type { ProjectQuery } from '@/api/calls'
import type { ReviewingRow } from '@/api/types'

/** 导出汇总表 of one track on 申报审核: the 项目中心 export narrowed to the track's program and name, all tabs. */
export function trackExportQuery(row: Pick<ReviewingRow, 'program_name' | 'track_name'>): Omit<ProjectQuery, 'page' | 'page_size'> {
  return { program: row.program_name, track: row.track_name }
}

/** The letters column: the bureau's own (if it sends letters) and those of the bureaus below it. */
export function lettersSummary(row: Pick<ReviewingRow, 'sends_letters' | 'letters' | 'letters_below'>): string {
  const parts: string[] = []
  if (row.sends_letters) parts.push(row.letters ? `本单位 ${row.letters} 份` : '本单位未上传')
  if (row.letters_below || !row.sends_letters) parts.push(`下级单位 ${row.letters_below} 份`)
  return parts.join('，')
}

