/**
 * The lifecycle's steps as seed 002 draws them, and the tag colour of a filing status (the server's case
 * status code: `draft`, `in_review`, `returned`, `approved`, `rejected`).
 */
export const FILING_STEPS = ['项目备案提交', '镇街审核', '第三方初审', '市工信复审', '备案完成'] as const
/** 项目入库's process (seed 002 ch. 9). */
export const ACCEPTANCE_STEPS = ['项目入库提交', '镇街审核', '验收专家审核', '市工信复审', '入库完成'] as const
export const LIFECYCLE_STEPS = ['项目备案', '项目签约', '项目实施-改造中', '项目实施-改造完成', '项目入库'] as const

export type Tone = 'info' | 'primary' | 'warning' | 'success' | 'danger'

export function stageTone(status: string): Tone {
  if (status === 'approved') return 'success'
  if (status.startsWith('returned')) return 'warning'
  if (status === 'rejected') return 'danger'
  if (status.startsWith('in_review')) return 'primary'
  return 'info'
}
