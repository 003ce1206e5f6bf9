import { describe, expect, it } from 'vitest'
import type { Application } from '@/api/calls'
import {
  attachmentErrors,
  draftKey,
  editsOf,
  firstProblemTab,
  formErrors,
  keepLocally,
  payloadOf,
  problemLabel,
  recover,
  snapshotOf,
  stableStringify,
} from './applicationDraft'

function memoryStore() {
  const m = new Map<string, string>()
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    size: () => m.size,
  }
}

const schema = {
  title: '申报书',
  sections: [
    {
      key: 'basic',
      title: '一、基本情况',
      fields: [
        { key: 'project_name', label: '项目名称', type: 'text' },
        { key: 'channel', label: '获取渠道', type: 'choice', options: ['线上'], other: true },
        {
          key: 'finance',
          label: '经营情况',
          type: 'table',
          columns: [
            { key: 'year', label: '年度', type: 'text' },
            { key: 'revenue', label: '营业收入', type: 'money' },
          ],
        },
      ],
    },
  ],
}

function app(over: Partial<Application> = {}): Application {
  return {
    id: 'a1',
    call: {} as Application['call'],
    title: '申报',
    status: 'draft',
    status_label: '草稿',
    editable: true,
    version: 3,
    server_now: '2024-05-01T00:00:00Z',
    closes_at: '2024-06-01T00:00:00Z',
    schema: schema as unknown as Application['schema'],
    form_version: 1,
    values: { project_name: '智能产线', has_patents: true },
    attachments: { audit: [{ id: 'f1', name: '审计报告.pdf', size: 100 }], empty: [] },
    declaration_confirmed: true,
    assessment_id: null,
    assessments: [],
    stamped_file: null,
    documents: [],
    file_names: { f1: '审计报告.pdf' },
    ...over,
  }
}

describe('the application payload', () => {
  it('sends files by id, leaves empty items out and carries the version read', () => {
    const edits = editsOf(app({ stamped_file: { id: 's1', name: '盖章版.pdf', size: 9 } }))
    expect(payloadOf(edits, 3)).toEqual({
      values: { project_name: '智能产线', has_patents: true },
      attachments: { audit: ['f1'] },
      declaration_confirmed: true,
      assessment_id: null,
      stamped_file_id: 's1',
      version: 3,
    })
  })

  it('does not share objects with the server copy', () => {
    const a = app()
    const edits = editsOf(a)
    ;(edits.values as Record<string, unknown>).project_name = '改了'
    edits.attachments.audit!.push({ id: 'f2', name: 'x.pdf', size: 1 })
    expect(a.values.project_name).toBe('智能产线')
    expect(a.attachments.audit).toHaveLength(1)
  })

  it('compares edits whatever order their keys were added in', () => {
    expect(stableStringify({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}')
    const one = editsOf(app({ values: { a: 1, b: 2 } }))
    const two = editsOf(app({ values: { b: 2, a: 1 } }))
    expect(snapshotOf(one)).toBe(snapshotOf(two))
  })
})

describe('unsaved edits kept in this browser', () => {
  it('come back after a failed save or a closed tab, with their file names', () => {
    const store = memoryStore()
    const key = draftKey('u1', 'a1')
    expect(key).toBe('shuzhuan.calls.application.u1.a1.v1')
    const edits = editsOf(app())
    ;(edits.values as Record<string, unknown>).project_name = '智能产线二期'
    edits.attachments.others = [{ id: 'f9', name: '其他材料.zip', size: 2048 }]
    keepLocally(store, key, edits, 3, new Date('2024-05-01T08:00:00Z'))

    const r = recover(store, key, app())
    expect(r.restoredAt).toBe('2024-05-01T08:00:00.000Z')
    expect(r.edits.values.project_name).toBe('智能产线二期')
    expect(r.edits.attachments.others).toEqual([{ id: 'f9', name: '其他材料.zip', size: 2048 }])
    expect(r.edits.attachments.audit).toEqual([{ id: 'f1', name: '审计报告.pdf', size: 100 }])
  })

  it('are dropped when the server already has them', () => {
    const store = memoryStore()
    const key = draftKey('u1', 'a1')
    keepLocally(store, key, editsOf(app()), 3)
    const r = recover(store, key, app())
    expect(r.restoredAt).toBeNull()
    expect(store.size()).toBe(0)
  })

  it('are dropped once the application was submitted', () => {
    const store = memoryStore()
    const key = draftKey('u1', 'a1')
    const edits = editsOf(app())
    ;(edits.values as Record<string, unknown>).project_name = '晚了'
    keepLocally(store, key, edits, 3)
    const r = recover(store, key, app({ editable: false, status: 'submitted' }))
    expect(r.edits.values.project_name).toBe('智能产线')
    expect(store.size()).toBe(0)
  })

  it('are kept apart per user and application', () => {
    expect(draftKey('u1', 'a1')).not.toBe(draftKey('u2', 'a1'))
    expect(draftKey('u1', 'a1')).not.toBe(draftKey('u1', 'a2'))
  })

  it('survive a store that holds rubbish', () => {
    const store = memoryStore()
    const key = draftKey('u1', 'a1')
    store.setItem(key, '{not json')
    expect(recover(store, key, app()).restoredAt).toBeNull()
  })
})

describe('problems of a refused 提交', () => {
  const problems = [
    { field: 'declaration_confirmed', message: '请阅读并确认申报材料真实性声明' },
    { field: 'values.project_name', message: '请填写项目名称' },
    { field: 'values.finance[1].revenue', message: '营业收入应为万元金额' },
    { field: 'values.channel_other', message: '请填写其他' },
    { field: 'attachments.audit', message: '请上传附件「审计报告」' },
    { field: 'stamped_file_id', message: '请先生成申报书，盖章后上传盖章版' },
  ]

  it('go to the form, the attachment items and the 申报书 tab', () => {
    expect(formErrors(problems)).toEqual([
      { field: 'project_name', message: '请填写项目名称' },
      { field: 'finance[1].revenue', message: '营业收入应为万元金额' },
      { field: 'channel_other', message: '请填写其他' },
    ])
    expect(attachmentErrors(problems)).toEqual({ audit: '请上传附件「审计报告」' })
    expect(firstProblemTab(problems)).toBe('form')
    expect(firstProblemTab(problems.slice(4))).toBe('attachments')
    expect(firstProblemTab([problems[0]!, problems[5]!])).toBe('document')
  })

  it('are named in the summary by their labels', () => {
    const items = [{ key: 'audit', title: '审计报告' }]
    const s = schema as never
    expect(problemLabel('values.project_name', s, items)).toBe('项目名称')
    expect(problemLabel('values.finance[1].revenue', s, items)).toBe('经营情况 第2行 营业收入')
    expect(problemLabel('values.channel_other', s, items)).toBe('获取渠道（其他）')
    expect(problemLabel('attachments.audit', s, items)).toBe('附件：审计报告')
    expect(problemLabel('declaration_confirmed', s, items)).toBe('申报材料真实性声明')
    expect(problemLabel('values.unknown', s, items)).toBe('unknown')
  })
})
