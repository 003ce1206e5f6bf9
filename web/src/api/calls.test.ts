import { describe, expect, it } from 'vitest'
import { projectQueryString, projectsExportUrl } from './calls'

describe('项目中心 query', () => {
  it('sends only the filters that are set, trimmed and encoded', () => {
    expect(projectQueryString({})).toBe('')
    expect(projectQueryString({ tab: 'recommended', year: 2024, applicant: '  华阳 ', title: '', track: undefined, page: 2, page_size: 20 })).toBe(
      '?tab=recommended&year=2024&applicant=%E5%8D%8E%E9%98%B3&page=2&page_size=20',
    )
  })

  it('exports the list as filtered', () => {
    expect(projectsExportUrl({ funding: '资金类', program: '智能制造' })).toBe(
      '/api/calls/projects.xlsx?funding=%E8%B5%84%E9%87%91%E7%B1%BB&program=%E6%99%BA%E8%83%BD%E5%88%B6%E9%80%A0',
    )
  })
})
