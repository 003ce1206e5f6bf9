import { describe, expect, it } from 'vitest'
import { lettersSummary, trackExportQuery } from './reviewing'

describe('申报审核', () => {
  it('exports one track through the 项目中心 filters', () => {
    expect(trackExportQuery({ program_name: '2024年广东省智能制造生态合作伙伴', track_name: '智能制造装备' })).toEqual({
      program: '2024年广东省智能制造生态合作伙伴',
      track: '智能制造装备',
    })
  })

  it('says whose letters there are', () => {
    expect(lettersSummary({ sends_letters: true, letters: 0, letters_below: 0 })).toBe('本单位未上传')
    expect(lettersSummary({ sends_letters: true, letters: 2, letters_below: 1 })).toBe('本单位 2 份，下级单位 1 份')
    // The province sends none; it reads the cities' and the districts'.
    expect(lettersSummary({ sends_letters: false, letters: 0, letters_below: 0 })).toBe('下级单位 0 份')
  })
})
