import { describe, expect, it } from 'vitest'
import type { CallSettings } from '@/api/calls'
import {
  batchPayload,
  batchRefusal,
  checkSettings,
  emptyBatchForm,
  emptyNotice,
  fromWall,
  newAttachmentKey,
  settingsForm,
  settingsPayload,
  tabOfSettingsField,
  toWall,
  usccsFromText,
} from './callSettings'

const settings: CallSettings = {
  opens_at: '2024-05-01T01:00:00Z',
  closes_at: '2024-05-31T15:59:59Z',
  applicants: 'listed',
  listed_usccs: ['91441302MA5100001X'],
  district_review: true,
  district_deadline: '2024-06-10T09:00:00Z',
  remarks: '备注',
  city_guide: '市级指南',
  oa_file_ids: ['oa1'],
  notice: { ...emptyNotice(), policy_level: '市级' },
  eligibility: { industries: ['397'], sizes: ['中型'], regions: ['350200'], exclusive: true },
  declaration: '本企业郑重声明',
  assessment: { required: true, min_level: '二级' },
  attachments: [{ key: 'audit', title: '审计报告', description: '', required: true, accept: ['pdf'], max_mb: 20, max_count: 1 }],
}

describe('call settings', () => {
  it('shows times in China time and sends them back with the +08:00 offset', () => {
    expect(toWall('2024-05-01T01:00:00Z')).toBe('2024-05-01 09:00:00')
    expect(fromWall('2024-05-01 09:00:00')).toBe('2024-05-01T09:00:00+08:00')
    expect(fromWall('')).toBeNull()
    expect(toWall(null)).toBe('')
  })

  it('reads pasted credit codes one per line, upper case, each once', () => {
    expect(usccsFromText(' 91441302ma5100001x\n\n91441302MA5100002Y，91441302MA5100001X ')).toEqual(['91441302MA5100001X', '91441302MA5100002Y'])
  })

  it('round-trips the settings through the editor', () => {
    const back = settingsPayload(settingsForm(settings), settings)
    expect(back.listed_usccs).toEqual(['91441302MA5100001X'])
    expect(Date.parse(back.opens_at)).toBe(Date.parse(settings.opens_at))
    expect(Date.parse(back.district_deadline!)).toBe(Date.parse(settings.district_deadline!))
    expect(back.eligibility).toEqual(settings.eligibility)
    expect(back.assessment).toEqual({ required: true, min_level: '二级' })
    expect(back.declaration).toBe('本企业郑重声明')
    expect(back.attachments).toEqual(settings.attachments)
  })

  it('drops what switches turned off', () => {
    const f = settingsForm(settings)
    f.applicants = 'all'
    f.district_review = false
    f.hasDeclaration = false
    f.assessmentRequired = false
    const back = settingsPayload(f, settings)
    expect(back.listed_usccs).toEqual([])
    expect(back.district_deadline).toBeNull()
    expect(back.declaration).toBeNull()
    expect(back.assessment).toBeNull()
  })

  it('checks the window against the province window and the district deadline', () => {
    const track = { opens_at: '2024-05-01T00:00:00Z', closes_at: '2024-05-31T16:00:00Z' }
    expect(checkSettings(settingsForm(settings), track)).toEqual({})
    const f = settingsForm(settings)
    f.window = ['2024-04-30 08:00:00', '2024-05-20 00:00:00']
    expect(checkSettings(f, track).opens_at).toMatch(/省级申报时间/)
    f.window = ['2024-05-02 08:00:00', '2024-05-20 00:00:00']
    f.district_deadline = '2024-05-19 00:00:00'
    expect(checkSettings(f, track).district_deadline).toMatch(/不能早于/)
    f.applicants = 'listed'
    f.usccsText = ' \n '
    expect(checkSettings(f, track).listed_usccs).toBeTruthy()
  })

  it('names the tab of each server error', () => {
    expect(tabOfSettingsField('notice.basis')).toBe('notice')
    expect(tabOfSettingsField('eligibility.industries[0]')).toBe('eligibility')
    expect(tabOfSettingsField('assessment.min_level')).toBe('declaration')
    expect(tabOfSettingsField('attachments[1].title')).toBe('attachments')
    expect(tabOfSettingsField('listed_usccs[2]')).toBe('basic')
  })

  it('gives new attachment items unused keys', () => {
    expect(newAttachmentKey([{ key: 'att_1' }, { key: 'att_3' }])).toBe('att_2')
  })
})

describe('批量设置', () => {
  it('sends only the parts ticked', () => {
    const f = emptyBatchForm()
    expect(batchPayload(f)).toEqual({})
    f.setWindow = true
    f.window = ['2024-05-01 09:00:00', '2024-05-31 18:00:00']
    f.setDistrict = true
    f.district_review = false
    f.district_deadline = '2024-06-01 00:00:00'
    expect(batchPayload(f)).toEqual({
      opens_at: '2024-05-01T09:00:00+08:00',
      closes_at: '2024-05-31T18:00:00+08:00',
      district_review: false,
      district_deadline: null,
    })
  })

  it('is for the tracks of one program only', () => {
    expect(batchRefusal([])).toMatch(/勾选/)
    expect(batchRefusal([{ program_id: 'p1' }, { program_id: 'p2' }])).toMatch(/同一专题/)
    expect(batchRefusal([{ program_id: 'p1' }, { program_id: 'p1' }])).toBeNull()
  })
})
