import { computed, ref } from 'vue'
import type { FormItemRule } from 'element-plus'
import { loadPasswordPolicy } from '@/api/accounts'
import type { PasswordPolicy } from '@/api/types'
import { DEFAULT_PASSWORD_RULES, passwordProblem } from '@/utils/validators'

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
  const rule: FormItemRule = {
    trigger: 'blur',
    validator: (_r, value, cb) => {
      const p = passwordProblem(value ? String(value) : '', rules.value)
      if (p) cb(new Error(p))
      else cb()
    },
  }
  return { policy, rules, hint, rule }
}

/** Rule: the confirmation equals the password given by `get()`. */
export function confirmRule(get: () => string, message = '两次输入的密码不一致'): FormItemRule {
  return {
    trigger: 'blur',
    validator: (_r, value, cb) => {
      if (!value) cb(new Error('请再次输入密码'))
      else if (value !== get()) cb(new Error(message))
      else cb()
    },
  }
}
