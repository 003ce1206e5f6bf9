import { ref, toValue, type MaybeRefOrGetter, type Ref } from 'vue'
import type { FormItemRule } from 'element-plus'
import type CaptchaInput from '@/components/CaptchaInput.vue'
import { phoneProblem, required, rulesFrom } from '@/utils/validators'

/**
 * The "phone → graphical captcha → 获取验证码 → SMS code" step behind <PhoneVerification> (注册, 找回密码,
 * 短信登录, 修改绑定手机号): the three fields' rules, whether a code was sent, and the check before sending.
 *
 * - `codeSent`: an SMS was sent, so the (single use) captcha is no longer required.
 * - `phoneRules` / `captchaRule` / `smsCodeRules`: the rules of the phone, `captcha_answer` and `sms_code`.
 * - `check()`: validates the phone field and the captcha before sending; `onCheck` runs first (clear the
 *   form's errors there). Unless `keepSentOnResend`, a new send asks for a captcha again.
 * - `reset()`: forget a sent code and fetch a new captcha (a dialog opened again).
 */
export function useSmsStep(options: {
  /** Validates these fields of the form; rejects when one of them is wrong (el-form's validateField). */
  validateFields: (props: string[]) => Promise<unknown>
  phoneProp: MaybeRefOrGetter<string>
  onCheck?: () => void
  keepSentOnResend?: MaybeRefOrGetter<boolean>
  /** Where `codeSent` lives when the caller keeps it (a v-model); a ref of its own otherwise. */
  codeSent?: Ref<boolean>
}) {
  const codeSent = options.codeSent ?? ref(false)
  const captchaRef = ref<InstanceType<typeof CaptchaInput>>()

  const phoneRules: FormItemRule[] = rulesFrom(phoneProblem, { required: true })
  // `required`: the form item's `required` prop (true until a code is sent) switches the mark, not the check.
  const captchaRule: FormItemRule = {
    required: true,
    trigger: 'change',
    validator: (_r, v, cb) => (!codeSent.value && !String(v ?? '').trim() ? cb(new Error('请输入图形验证码')) : cb()),
  }
  const smsCodeRules: FormItemRule[] = [
    required('请输入短信验证码'),
    { pattern: /^\d{6}$/, message: '短信验证码为6位数字', trigger: 'blur' },
  ]

  async function check(): Promise<boolean> {
    options.onCheck?.()
    if (!toValue(options.keepSentOnResend)) codeSent.value = false
    try {
      await options.validateFields([toValue(options.phoneProp), 'captcha_answer'])
      return true
    } catch {
      return false
    }
  }

  function reset() {
    codeSent.value = false
    void captchaRef.value?.refresh()
  }

  return { codeSent, captchaRef, phoneRules, captchaRule, smsCodeRules, check, reset }
}
