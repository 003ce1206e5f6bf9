import { describe, expect, it } from 'vitest'
import type { FieldRow, ProgressStage, RoundDiff, TrailEntry } from '@/api/types'
import {
  availableActions,
  badgeText,
  canContinue,
  canResubmit,
  caseStatusTag,
  changedKeys,
  diffRows,
  diffValue,
  opinionProblem,
  opinionRequired,
  outcomeTag,
  progressTag,
  REVIEWER_ACTIONS,
  selectionKey,
  statusLabel,
  takesOpinion,
  textLength,
  timelineItems,
} from './review'

describe('case status tags', () => {
  it('colours the owner list statuses', () => {
    expect(caseStatusTag('draft')).toEqual({ label: '未提交', type: 'info' })
    expect(caseStatusTag('in_review')).toEqual({ label: '审核中', type: 'primary' })
    expect(caseStatusTag('returned')).toEqual({ label: '已退回', type: 'warning' })
    expect(caseStatusTag('approved')).toEqual({ label: '审核通过', type: 'success' })
    expect(caseStatusTag('rejected')).toEqual({ label: '不通过', type: 'danger' })
  })

  it('prefers the server label and shows unknown codes as sent', () => {
    expect(caseStatusTag('rejected', '不推荐')).toEqual({ label: '不推荐', type: 'danger' })
    expect(caseStatusTag('filed')).toEqual({ label: 'filed', type: 'info' })
    expect(statusLabel('deleted')).toBe('已删除')
    expect(statusLabel('in_review')).toBe('审核中')
    expect(statusLabel(null)).toBe('—')
  })

  it('names task outcomes and timeline states', () => {
    expect(outcomeTag('approved')).toEqual({ label: '已通过', type: 'success' })
    expect(outcomeTag('returned', '已退回修改').label).toBe('已退回修改')
    expect(outcomeTag(null).label).toBe('—')
    expect(progressTag('done')).toEqual({ label: '已通过', type: 'success' })
    expect(progressTag('returned')).toEqual({ label: '驳回', type: 'warning' })
    expect(progressTag('current')).toEqual({ label: '审核中', type: 'primary' })
    expect(progressTag('pending')).toEqual({ label: '待审核', type: 'info' })
    expect(progressTag('rejected')).toEqual({ label: '不通过', type: 'danger' })
    expect(progressTag('current', '推荐中')).toEqual({ label: '推荐中', type: 'primary' })
  })
})

describe('the opinion rule', () => {
  it('requires an opinion for reject and return, and for what the stage lists', () => {
    expect(opinionRequired('reject')).toBe(true)
    expect(opinionRequired('return')).toBe(true)
    expect(opinionRequired('approve')).toBe(false)
    expect(opinionRequired('approve', ['approve'])).toBe(true)
    expect(opinionRequired('withdraw_by_reviewer', ['approve'])).toBe(false)
    expect(takesOpinion('delete')).toBe(false)
    expect(takesOpinion('withdraw_by_owner')).toBe(true)
  })

  it('checks presence and the 2000-character limit in code points', () => {
    expect(opinionProblem('  ', true)).toBe('请填写审核意见')
    expect(opinionProblem('', false)).toBeNull()
    expect(opinionProblem('同意。', true)).toBeNull()
    expect(opinionProblem('意'.repeat(2000), true)).toBeNull()
    expect(opinionProblem('意'.repeat(2001), true)).toBe('审核意见不能超过2000字，当前2001字')
    // An emoji is one character for the server, two UTF-16 units for JavaScript.
    expect(textLength('👍好')).toBe(2)
    expect(opinionProblem('👍'.repeat(2000), true)).toBeNull()
  })

  it('lists only the actions the server allows, in button order', () => {
    expect(availableActions(['return', 'approve', 'delete'], REVIEWER_ACTIONS)).toEqual(['approve', 'return'])
    expect(availableActions([], REVIEWER_ACTIONS)).toEqual([])
  })
})

describe('the unread badge', () => {
  it('shows nothing for zero, the number up to 99, then 99+', () => {
    expect(badgeText(0)).toBe('')
    expect(badgeText(null)).toBe('')
    expect(badgeText(-3)).toBe('')
    expect(badgeText(1)).toBe('1')
    expect(badgeText(99)).toBe('99')
    expect(badgeText(100)).toBe('99+')
    expect(badgeText(12345)).toBe('99+')
  })
})

describe('round diff rows', () => {
  const fields: FieldRow[] = [
    { key: 'service_scopes', label: '服务范围', value: '数字化咨询' },
    { key: 'introduction', label: '企业简介', value: '新的简介' },
    { key: 'contact_name', label: '联系人', value: '张三' },
  ]
  const diff: RoundDiff = {
    from_round: 1,
    to_round: 2,
    changes: [
      { key: 'introduction', label: '企业简介', before: '旧的简介', after: '新的简介' },
      { key: 'legacy', label: '已删除的项', before: '有', after: '' },
    ],
  }

  it('marks the changed rows with before and after, keeping the form order', () => {
    const rows = diffRows(fields, diff)
    expect(rows.map((r) => r.key)).toEqual(['service_scopes', 'introduction', 'contact_name', 'legacy'])
    expect(rows[0]).toMatchObject({ changed: false, before: null, after: null, value: '数字化咨询' })
    expect(rows[1]).toMatchObject({ changed: true, before: '旧的简介', after: '新的简介' })
    expect(rows[3]).toMatchObject({ label: '已删除的项', changed: true, before: '有', after: '' })
    expect([...changedKeys(diff)]).toEqual(['introduction', 'legacy'])
  })

  it('shows every row unchanged without a diff, and names empty values', () => {
    expect(diffRows(fields, null).every((r) => !r.changed)).toBe(true)
    expect(changedKeys(null).size).toBe(0)
    expect(diffValue('')).toBe('（空）')
    expect(diffValue(null)).toBe('（空）')
    expect(diffValue('x')).toBe('x')
  })
})

describe('the timeline', () => {
  const progress: ProgressStage[] = [
    { index: 1, name: '专家评审', state: 'pending', state_label: '待审核' },
    { index: 0, name: '平台运营审核', org_name: '平台运营中心', state: 'done', state_label: '已通过', at: '2026-11-22 10:00:00', opinion: '同意' },
  ]
  const entry = (id: number, round: number, action: string, at: string, extra: Partial<TrailEntry> = {}): TrailEntry => ({
    id,
    round,
    action,
    action_label: action === 'submit' ? '提交' : action === 'return' ? '退回' : action,
    actor_name: '某人',
    org_name: action === 'submit' || action === 'resubmit' ? '某服务商' : '平台运营中心',
    status_before: 'draft',
    status_after: 'in_review',
    at,
    attachments: [],
    ...extra,
  })
  const trail = [
    entry(3, 2, 'resubmit', '2026-11-22 09:00:00'),
    entry(2, 1, 'return', '2026-11-21 10:00:00', { stage_name: '平台运营审核', opinion: '请补充企业简介' }),
    entry(1, 1, 'submit', '2026-11-21 09:00:00'),
    entry(0, 1, 'save_draft', '2026-11-21 08:00:00'),
  ]

  it('shows the submission and the stages of a first round in order', () => {
    const items = timelineItems(progress, trail.filter((t) => t.round === 1 && t.action !== 'return'), 1)
    expect(items.map((i) => i.title)).toEqual(['提交申请', '平台运营审核', '专家评审'])
    expect(items[1]).toMatchObject({ orgName: '平台运营中心', opinion: '同意', earlier: false })
    expect(items[1]!.tag.label).toBe('已通过')
    expect(items[2]!.tag.label).toBe('待审核')
    expect(timelineItems([{ index: 0, name: '市工信审核', state: 'current', state_label: '办理中' }])[0]!.tag).toEqual({
      label: '办理中',
      type: 'primary',
    })
  })

  it('puts what happened in earlier rounds first', () => {
    const items = timelineItems(progress, trail, 2)
    expect(items.map((i) => [i.round, i.title, i.tag.label, i.earlier])).toEqual([
      [1, '提交申请', '已提交', true],
      [1, '平台运营审核', '驳回', true],
      [2, '重新提交申请', '重新提交', false],
      [2, '平台运营审核', '已通过', false],
      [2, '专家评审', '待审核', false],
    ])
    expect(items[1]).toMatchObject({ opinion: '请补充企业简介', earlier: true })
  })
})

describe('owner list rows and selections', () => {
  it('offers 继续填写 on drafts the owner may still submit, 重新提交 on returned ones', () => {
    expect(canContinue({ status: 'draft', actions: ['save_draft', 'submit', 'delete'] })).toBe(true)
    expect(canContinue({ status: 'draft', actions: [] })).toBe(false)
    expect(canContinue({ status: 'returned', actions: ['save_draft', 'resubmit'] })).toBe(false)
    expect(canResubmit({ status: 'returned', actions: ['save_draft', 'resubmit'] })).toBe(true)
    expect(canResubmit({ status: 'in_review', actions: ['withdraw_by_owner'] })).toBe(false)
  })

  it('names a selection independently of its order', () => {
    expect(selectionKey(['a', 'b'])).toBe(selectionKey(['b', 'a']))
    expect(selectionKey(['a', 'b'])).not.toBe(selectionKey(['a', 'c']))
    expect(selectionKey([])).toMatch(/^0-/)
  })
})
