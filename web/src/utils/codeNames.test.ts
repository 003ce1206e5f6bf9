import { describe, expect, it } from 'vitest'
import { codeIn, codeKind, codesOf, withNames, type CodeBook } from './codeNames'

const book: CodeBook = {
  industry: new Map([
    ['C', '制造业'],
    ['13', '农副食品加工业'],
  ]),
  region: new Map([['441302', '广东省惠州市惠城区']]),
  scope: new Map([
    ['consulting', '咨询诊断'],
    ['implementation', '实施服务'],
  ]),
}

describe('codeKind', () => {
  it('reads the kind of code from the last part of the key', () => {
    expect(codeKind('industry_code')).toBe('industry')
    expect(codeKind('products[0].industry_code')).toBe('industry')
    expect(codeKind('region_code')).toBe('region')
    expect(codeKind('service_scopes')).toBe('scope')
    expect(codeKind('sub_industry')).toBeNull()
  })
})

describe('withNames', () => {
  it('shows an industry code with its name, bare or as the server writes 名称（代码）', () => {
    expect(withNames('products[0].industry_code', 'C', book)).toBe('C 制造业')
    expect(withNames('industry_code', '制造业（C）', book)).toBe('C 制造业')
    expect(withNames('industry_code', '13', book)).toBe('13 农副食品加工业')
  })

  it('shows a region code with the full name of the region', () => {
    expect(withNames('region_code', '惠城区（441302）', book)).toBe('441302 广东省惠州市惠城区')
    expect(withNames('region_code', '441302', book)).toBe('441302 广东省惠州市惠城区')
  })

  it('names service scopes and keeps names already given', () => {
    expect(withNames('service_scopes', 'consulting、implementation', book)).toBe('咨询诊断、实施服务')
    expect(withNames('service_scopes', '咨询诊断', book)).toBe('咨询诊断')
  })

  it('leaves a value alone when the code is unknown or the field holds no code', () => {
    expect(withNames('industry_code', 'Z', book)).toBe('Z')
    expect(withNames('region_code', '440000', book)).toBe('440000')
    expect(withNames('introduction', 'C', book)).toBe('C')
    expect(withNames('industry_code', '', book)).toBe('')
  })
})

describe('codeIn / codesOf', () => {
  it('finds the codes rows mention', () => {
    expect(codeIn('region', '江门市（440700）')).toBe('440700')
    expect(codeIn('industry', '制造业')).toBeNull()
    const rows = [
      { key: 'region_code', value: '惠城区（441302）' },
      { key: 'products[0].region_code', value: '441302' },
      { key: 'name', value: '440700' },
    ]
    expect(codesOf('region', rows)).toEqual(['441302'])
  })
})
