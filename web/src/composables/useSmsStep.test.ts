import { describe, expect, it, vi } from 'vitest'
import { ref } from 'vue'
import type { FormItemRule } from 'element-plus'
import { useSmsStep } from './useSmsStep'

/** The message a custom-validator rule gives for `value` (null when it passes). */
function messageOf(rule: FormItemRule, value: string): string | null {
  let message: string | null = null
  void rule.validator!({} as never, value, (e?: string | Error) => {
    message = e ? (e instanceof Error ? e.message : e) : null
  }, {}, {})
  return message
}

describe('useSmsStep', () => {
  it('asks for the captcha only until a code was sent', () => {
    const step = useSmsStep({ validateFields: async () => undefined, phoneProp: 'phone' })
    expect(messageOf(step.captchaRule, '  ')).toBe('请输入图形验证码')
    expect(messageOf(step.captchaRule, 'ab12')).toBeNull()
    step.codeSent.value = true
    expect(messageOf(step.captchaRule, '')).toBeNull()
  })

  it('checks the phone and the captcha before sending, after onCheck', async () => {
    const calls: string[] = []
    const validateFields = vi.fn(async (props: string[]) => {
      calls.push(`validate ${props.join(',')}`)
    })
    const step = useSmsStep({ validateFields, phoneProp: () => 'new_phone', onCheck: () => calls.push('onCheck') })
    expect(await step.check()).toBe(true)
    expect(calls).toEqual(['onCheck', 'validate new_phone,captcha_answer'])
  })

  it('stops the send when a field is wrong', async () => {
    const step = useSmsStep({ validateFields: () => Promise.reject({ phone: [] }), phoneProp: 'phone' })
    expect(await step.check()).toBe(false)
  })

  it('asks for a captcha again on a new send unless told to keep the sent state', async () => {
    const validateFields = async () => undefined
    const again = useSmsStep({ validateFields, phoneProp: 'phone' })
    again.codeSent.value = true
    await again.check()
    expect(again.codeSent.value).toBe(false)

    const kept = useSmsStep({ validateFields, phoneProp: 'phone', keepSentOnResend: true })
    kept.codeSent.value = true
    await kept.check()
    expect(kept.codeSent.value).toBe(true)
  })

  it('keeps the sent state where the caller says, and reset() forgets it and fetches a new captcha', () => {
    const sent = ref(true)
    const step = useSmsStep({ validateFields: async () => undefined, phoneProp: 'phone', codeSent: sent })
    expect(step.codeSent).toBe(sent)
    const refresh = vi.fn(async () => undefined)
    step.captchaRef.value = { refresh } as never
    step.reset()
    expect(sent.value).toBe(false)
    expect(refresh).toHaveBeenCalledOnce()
  })

  it('checks the SMS code as six digits', () => {
    const step = useSmsStep({ validateFields: async () => undefined, phoneProp: 'phone' })
    expect(step.smsCodeRules.map((r) => r.message)).toEqual(['请输入短信验证码', '短信验证码为6位数字'])
    const pattern = new RegExp(step.smsCodeRules[1]!.pattern!)
    expect(pattern.test('123456')).toBe(true)
    expect(pattern.test('12345a')).toBe(false)
  })
})
