import { ref, type Ref } from 'vue'
import type { FormInstance, FormItemRule } from 'element-plus'
import type CaptchaInput from '@/components/CaptchaInput.vue'

/**
 * The "graphical captcha → 获取验证码 → SMS code" step shared by the forms that send an SMS code
 * (注册, 找回密码, 短信登录, 修改绑定手机号). Bind with <CaptchaInput ref="captchaRef"> and
 * <SmsCodeInput :check="check" @sent="codeSent = true" @captcha-used="captchaRef?.refresh()">.
 *
 * - `codeSent`: an SMS was sent, so the (single use) captcha is no longer required.
 * - `captchaRule` / `smsCodeRules`: form rules for `captcha_answer` and `sms_code`.
 * - `check()`: validates the phone field and the captcha before sending; `onCheck` runs first
 *   (clear the form's errors there). Unless `keepSentOnResend`, a new send asks for a captcha again.
 */
export function useSmsStep(options: {
  formRef: Ref<FormInstance | undefined>
  phoneProp: string
  onCheck?: () => void
  keepSentOnResend?: boolean
}) {
  const codeSent = ref(false)
  const captchaRef = ref<InstanceType<typeof CaptchaInput>>()

  const captchaRule: FormItemRule = {
    trigger: 'blur',
    validator: (_r, v, cb) => (!codeSent.value && !String(v ?? '').trim() ? cb(new Error('请输入图形验证码')) : cb()),
  }
  const smsCodeRules: FormItemRule[] = [
    { required: true, message: '请输入短信验证码', trigger: 'blur' },
    { pattern: /^\d{6}$/, message: '短信验证码为6位数字', trigger: 'blur' },
  ]

  async function check(): Promise<boolean> {
    options.onCheck?.()
    if (!options.keepSentOnResend) codeSent.value = false
    try {
      await options.formRef.value?.validateField([options.phoneProp, 'captcha_answer'])
      return true
    } catch {
      return false
    }
  }

  return { codeSent, captchaRef, captchaRule, smsCodeRules, check }
}
