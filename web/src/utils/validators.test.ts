import { describe, expect, it } from 'vitest'
import type { FormItemRule } from 'element-plus'
import { passwordProblem, phoneProblem, required, rulesFrom, usccProblem, usernameProblem, whenFilled } from './validators'

/** What el-form-item does with a rule on `trigger` ('' = submit): skip it, or run it and return its message. */
function run(rule: FormItemRule, trigger: 'blur' | 'change' | '', value: unknown): string | null | 'skipped' {
  const triggers = rule.trigger === undefined ? [] : ([] as string[]).concat(rule.trigger)
  if (trigger && triggers.length && !triggers.includes(trigger)) return 'skipped'
  let message: string | null = null
  rule.validator?.(rule, value, (e?: string | Error) => {
    message = e ? (e instanceof Error ? e.message : e) : null
  }, {}, {})
  return message
}
/** The first message of a field's rules on `trigger`, as el-form-item shows it. */
function shown(rules: FormItemRule[], trigger: 'blur' | 'change' | '', value: unknown): string | null {
  for (const r of rules) {
    const m = run(r, trigger, value)
    if (m && m !== 'skipped') return m
  }
  return null
}

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

  it('never marks an empty field on leaving it; says it is missing on change and on submit', () => {
    const rules = rulesFrom(phoneProblem, { required: true })
    expect(shown(rules, 'blur', '')).toBeNull()
    expect(shown(rules, 'change', '')).toBe('请输入手机号码')
    expect(shown(rules, '', '')).toBe('请输入手机号码')
    // The format: on leaving a filled-in field and on submit, not while typing.
    expect(shown(rules, 'change', '138')).toBeNull()
    expect(shown(rules, 'blur', '138')).toMatch(/当前为3位/)
    expect(shown(rules, '', '138')).toMatch(/当前为3位/)
    expect(shown(rules, 'blur', '13800138000')).toBeNull()
    expect(rules[0]!.required).toBe(true)
    // The key is always there: el-form-item's `required` prop then switches it rather than adding a rule
    // that runs on blur.
    expect(rulesFrom(phoneProblem)[0]!.required).toBe(false)
  })

  it('checks required fields on change and submit only', () => {
    const r = required('请输入企业名称', { whitespace: true })
    expect(r).toMatchObject({ required: true, whitespace: true, message: '请输入企业名称', trigger: 'change' })
    const format = whenFilled((v) => (v.length > 3 ? '太长' : null))
    expect(run(format, 'blur', '')).toBeNull()
    expect(run(format, 'blur', 'abcd')).toBe('太长')
    expect(run(format, 'change', 'abcd')).toBe('skipped')
  })
})
