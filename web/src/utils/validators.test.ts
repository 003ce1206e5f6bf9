import { describe, expect, it } from 'vitest'
import { passwordProblem, phoneProblem, usccProblem, usernameProblem } from './validators'

describe('validators', () => {
  it('checks the USCC check character (GB 32100-2015)', () => {
    expect(usccProblem('91440300MA5F0T1X2K')).not.toBeNull()
    expect(usccProblem('91350100M000100Y43')).toBeNull()
    expect(usccProblem('91350100m000100y43')).toBeNull()
    expect(usccProblem('91350100M000100Y44')).toMatch(/校验位/)
    expect(usccProblem('9135010')).toMatch(/18位/)
    expect(usccProblem('91350100O000100Y43')).toMatch(/第9位不能使用字母“O”/)
  })

  it('checks phone numbers', () => {
    expect(phoneProblem('13800138000')).toBeNull()
    expect(phoneProblem('1380013800')).toMatch(/当前为10位/)
    expect(phoneProblem('01012345678')).toMatch(/格式不正确/)
    expect(phoneProblem('138-0013800')).toMatch(/只能包含数字/)
  })

  it('checks passwords against the policy', () => {
    expect(passwordProblem('Shuzhuan@2026')).toBeNull()
    expect(passwordProblem('short1A')).toMatch(/8-64/)
    expect(passwordProblem('alllowercase1')).toMatch(/至少3种/)
    expect(passwordProblem('有中文Abc123!')).toMatch(/中文/)
    expect(passwordProblem('Abc 12345!')).toMatch(/空格/)
    expect(passwordProblem('abcdefgh', { min_len: 8, max_len: 18, min_classes: 1 })).toBeNull()
  })

  it('checks user names', () => {
    expect(usernameProblem('zhang_san')).toBeNull()
    expect(usernameProblem('abc')).toMatch(/6-30/)
    expect(usernameProblem('张三三三三三')).toMatch(/只能包含/)
  })
})
