import { computed, ref } from 'vue'
import type { FormItemRule } from 'element-plus'
import { loadPasswordPolicy } from '@/api/accounts'
import type { PasswordPolicy } from '@/api/types'
import { DEFAULT_PASSWORD_RULES, passwordProblem, rulesFrom, whenFilled } from '@/utils/validators'

const policy = ref<PasswordPolicy | null>(null)
let started = false

/**
 * The server's password policy (GET /api/auth/password-policy): `hint` for the form, `rule` for
 * el-form (checks length and character classes while typing; the server checks again, including
 * "no user name / phone inside" and the password history).
 */
export function usePasswordPolicy() {
  if (!started) {
    started = true
    loadPasswordPolicy()
      .then((p) => {
        policy.value = p
      })
      .catch(() => {
        started = false // try again on the next form
      })
  }
  const rules = computed(() => policy.value ?? DEFAULT_PASSWORD_RULES)
  const hint = computed(() => {
    const text =
      policy.value?.description ||
      `${rules.value.min_len}-${rules.value.max_len}位，须包含大写字母、小写字母、数字、特殊字符中的至少${rules.value.min_classes}种`
    return text.includes('用户名') ? text : `${text}，不能包含用户名或手机号`
  })
  // On leaving a filled-in field; the form's `required` rule says when it is empty.
  const rule: FormItemRule = whenFilled((v) => passwordProblem(v, rules.value))
  return { policy, rules, hint, rule }
}

/** Rules: the confirmation is given (on change and submit) and equals the password given by `get()`. */
export function confirmRule(get: () => string, message = '两次输入的密码不一致'): FormItemRule[] {
  return rulesFrom((v) => (!v ? '请再次输入密码' : v !== get() ? message : null))
}
