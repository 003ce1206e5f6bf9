import type { FormItemRule } from 'element-plus'
import { listRegions } from '@/api/reference'

/**
 * A registered address must be at least at district level (区县), or the town (镇街) for a city
 * without districts such as 中山市; a city without any subdivision (东莞市 in the current data) is
 * enough by itself.
 */
export async function regionProblem(code: string | null | undefined, message = '请选择所属地区'): Promise<string | null> {
  if (!code) return message
  if (/^\d{9}$/.test(code)) return null
  if (!/^\d{6}$/.test(code)) return '地区代码不正确，请重新选择'
  if (code.endsWith('0000')) return '请继续选择到市、区县（或镇街）'
  if (!code.endsWith('00')) return null
  try {
    const children = await listRegions(code)
    return children.length ? '请继续选择到区县（或镇街）' : null
  } catch {
    return null // the server checks again
  }
}

export function regionRule(message?: string): FormItemRule {
  return {
    trigger: 'change',
    asyncValidator: async (_rule, value) => {
      const p = await regionProblem(value as string | null, message)
      if (p) throw new Error(p)
    },
  }
}
