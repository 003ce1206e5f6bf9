/**
 * Client-side checks that mirror the server's (crates/core): they give the message while typing;
 * the server checks again and its message wins.
 */
import type { FormItemRule } from 'element-plus'

/** Mainland mobile number: 11 digits starting 13-19. */
export const PHONE_RE = /^1[3-9]\d{9}$/

export function phoneProblem(value: string): string | null {
  const v = value.trim()
  if (!v) return '请输入手机号码'
  if (/\D/.test(v)) return '手机号码只能包含数字'
  if (v.length !== 11) return `手机号码应为11位数字，当前为${v.length}位`
  if (!PHONE_RE.test(v)) return '手机号码格式不正确，应为以13-19开头的11位数字'
  return null
}

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** 统一社会信用代码 (GB 32100-2015) with its check character; null when valid. */
export function usccProblem(value: string): string | null {
  const v = value.trim().toUpperCase()
  if (!v) return '请输入统一社会信用代码'
  if (v.length !== 18) return `统一社会信用代码应为18位，当前为${v.length}位`
  let sum = 0
  for (let i = 0; i < 18; i++) {
    const ch = v[i]!
    const n = USCC_ALPHABET.indexOf(ch)
    if (n < 0) {
      return 'IOZSV'.includes(ch)
        ? `统一社会信用代码第${i + 1}位不能使用字母“${ch}”（代码中不使用I、O、Z、S、V）`
        : `统一社会信用代码第${i + 1}位包含无效字符“${ch}”`
    }
    if (i < 17) sum += n * USCC_WEIGHTS[i]!
  }
  const check = (31 - (sum % 31)) % 31
  if (USCC_ALPHABET[check] !== v[17]) return '统一社会信用代码校验位不正确，请核对后重新输入'
  return null
}

export interface PasswordRules {
  min_len: number
  max_len: number
  min_classes: number
}

/** Used until GET /api/auth/password-policy answers (the platform default). */
export const DEFAULT_PASSWORD_RULES: PasswordRules = { min_len: 8, max_len: 64, min_classes: 3 }

export function passwordProblem(value: string, rules: PasswordRules = DEFAULT_PASSWORD_RULES): string | null {
  if (!value) return '请输入密码'
  if (/\s/.test(value)) return '密码不能包含空格'
  if (/[^\x21-\x7e]/.test(value)) return '密码只能包含英文字母、数字和英文特殊字符，不能包含中文或全角字符'
  if (value.length < rules.min_len || value.length > rules.max_len) {
    return rules.min_len === rules.max_len ? `密码长度须为${rules.min_len}位` : `密码长度须为${rules.min_len}-${rules.max_len}位`
  }
  const classes = [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length
  if (classes < rules.min_classes) return `密码须包含大写字母、小写字母、数字、特殊字符中的至少${rules.min_classes}种`
  return null
}

/** Sub-account user name: 6-30 of letters, digits, underscore (001 §1.4.9). */
export function usernameProblem(value: string): string | null {
  const v = value.trim()
  if (!v) return '请输入用户名'
  if (v.length < 6 || v.length > 30) return '用户名须为6-30个字符'
  if (!/^[A-Za-z0-9_]+$/.test(v)) return '用户名只能包含英文字母、数字和下划线'
  return null
}

export function emailProblem(value: string): string | null {
  const v = value.trim()
  if (!v) return null
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? null : '邮箱格式不正确'
}

/*
 * When a field is checked. A field is checked when its value changes and on submit; a format check also runs
 * when the user leaves a field they filled in. Leaving an empty field says nothing: tabbing through an
 * empty form must not turn every field red (the missing ones are listed on submit). Hence `trigger:
 * 'change'` for "missing" and blur checks that pass an empty value.
 */

/** A required field: "missing" when it is emptied and on submit, never on leaving it untouched. */
export function required(message: string, extra: Omit<FormItemRule, 'required' | 'message' | 'trigger'> = {}): FormItemRule {
  return { required: true, message, trigger: 'change', ...extra }
}

const text = (value: unknown) => (value == null ? '' : String(value))

/** A format check on leaving a filled-in field (and on submit); an empty value is left to `required`. */
export function whenFilled(problem: (v: string) => string | null): FormItemRule {
  return {
    trigger: 'blur',
    validator: (_rule, value, callback) => {
      const v = text(value)
      const p = v.trim() ? problem(v) : null
      if (p) callback(new Error(p))
      else callback()
    },
  }
}

/**
 * The rules of a field checked by a problem function that also names an empty value (phoneProblem says
 * 请输入手机号码): the empty case when the value changes and on submit, the format on leaving the field and on
 * submit. Typing into a field marked wrong clears the mark until the field is left again. `required` marks
 * the field required (the * and aria-required). The rule always carries the key, so that an el-form-item
 * `required` prop switches it instead of adding a rule of its own (which would run on every blur and say
 * "uscc is required" in English).
 */
export function rulesFrom(problem: (v: string) => string | null, options: { required?: boolean } = {}): FormItemRule[] {
  return [
    {
      required: options.required ?? false,
      trigger: 'change',
      validator: (_rule, value, callback) => {
        const v = text(value)
        const p = v.trim() ? null : problem(v)
        if (p) callback(new Error(p))
        else callback()
      },
    },
    whenFilled(problem),
  ]
}
