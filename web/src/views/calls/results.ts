import type { ResultNotice, ResultProgram } from '@/api/types'

/** What the official fills in to publish a 结果公示. */
export interface NoticeDraft {
  title: string
  body: string
  period_days: number
}

/** 公示期 the guides use most: seven days. */
export const DEFAULT_PERIOD_DAYS = 7

/** A first draft the official edits: the manuals' wording for a publicity notice of the program's list. */
export function defaultNotice(p: Pick<ResultProgram, 'program_name' | 'owner_org_name'>): NoticeDraft {
  return {
    title: `${p.program_name}拟入选名单公示`,
    body:
      `根据申报通知要求，经企业自主申报、各地推荐和评审遴选，现将${p.program_name}拟入选名单予以公示。` +
      `公示期间，如对公示名单有异议，请以书面形式向${p.owner_org_name || '主办单位'}反映，并提供必要的证明材料；` +
      '以单位名义反映的须加盖公章，以个人名义反映的须署真实姓名和联系方式。',
    period_days: DEFAULT_PERIOD_DAYS,
  }
}

/** 申报方式 column only when some entry has one (the 附件3 programs). */
export function showsApplyMode(n: Pick<ResultNotice, 'entries'>): boolean {
  return n.entries.some((e) => !!e.apply_mode)
}
