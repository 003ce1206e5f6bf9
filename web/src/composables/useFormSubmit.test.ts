import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ref } from 'vue'
import type { FormInstance } from 'element-plus'
import { ApiError } from '@/api/errors'
import { useFormSubmit } from './useFormSubmit'

const toast = vi.hoisted(() => vi.fn())
vi.mock('element-plus', () => ({ ElMessage: { error: toast } }))

/** An el-form stand-in: `invalid` is what its validate() rejects with (el-form's invalid fields). */
function fakeForm(invalid?: Record<string, { message: string }[]>) {
  return {
    validate: vi.fn(() => (invalid ? Promise.reject(invalid) : Promise.resolve(true))),
    scrollToField: vi.fn(),
    clearValidate: vi.fn(),
  }
}

const LABELS = { phone: '手机号码', name: '姓名' }
const refusal = (fields: { field: string; message: string }[] = []) =>
  new ApiError(fields.length ? 422 : 409, fields.length ? 'validation' : 'conflict', '该手机号已被使用', fields)

function setup(invalid?: Record<string, { message: string }[]>, options?: { toast?: boolean }) {
  const form = fakeForm(invalid)
  const formRef = ref(form as unknown as FormInstance)
  return { form, ...useFormSubmit<'phone' | 'name'>(formRef, LABELS, options) }
}

describe('useFormSubmit', () => {
  beforeEach(() => toast.mockClear())

  it('sends nothing while the form is incomplete, and lists what is missing', async () => {
    const s = setup({ name: [{ message: '请输入姓名' }] })
    const request = vi.fn(async () => undefined)
    expect(await s.send(request)).toBeUndefined()
    expect(request).not.toHaveBeenCalled()
    expect(s.summary.items.value).toEqual([{ prop: 'name', label: '姓名', message: '请输入姓名' }])
  })

  it('is submitting while it sends and ignores a second send meanwhile', async () => {
    const s = setup()
    let finish!: () => void
    const request = vi.fn(() => new Promise<void>((r) => (finish = r)))
    const first = s.send(request)
    await vi.waitFor(() => expect(request).toHaveBeenCalledOnce())
    expect(s.submitting.value).toBe(true)
    expect(await s.send(request)).toBeUndefined()
    expect(request).toHaveBeenCalledOnce()
    finish()
    expect(await first).toBeUndefined()
    expect(s.submitting.value).toBe(false)
  })

  it('puts field errors on the fields and in the summary', async () => {
    const s = setup()
    const e = refusal([{ field: 'phone', message: '该手机号已被使用' }])
    expect(await s.send(() => Promise.reject(e))).toBe(e)
    expect(s.fieldErrors.phone).toBe('该手机号已被使用')
    expect(s.summary.items.value).toEqual([{ prop: 'phone', label: '手机号码', message: '该手机号已被使用' }])
    expect(s.failure.value).toBe('')
  })

  it('shows any other refusal above the form, or as a message with `toast`', async () => {
    const inline = setup()
    await inline.send(() => Promise.reject(refusal()))
    expect(inline.failure.value).toBe('该手机号已被使用')
    expect(toast).not.toHaveBeenCalled()

    const toasted = setup(undefined, { toast: true })
    await toasted.send(() => Promise.reject(refusal()))
    expect(toasted.failure.value).toBe('')
    expect(toast).toHaveBeenCalledWith('该手机号已被使用')
  })

  it('starts each send afresh, and clear() forgets everything', async () => {
    const s = setup()
    await s.send(() => Promise.reject(refusal([{ field: 'name', message: '姓名过长' }])))
    await s.send(() => Promise.reject(refusal()))
    expect(s.fieldErrors.name).toBeUndefined()
    expect(s.failure.value).toBe('该手机号已被使用')
    await s.send(async () => undefined)
    expect(s.failure.value).toBe('')

    await s.send(() => Promise.reject(refusal([{ field: 'name', message: '姓名过长' }])))
    s.clear()
    expect(s.fieldErrors).toEqual({})
    expect(s.summary.items.value).toEqual([])
    expect(s.form.clearValidate).toHaveBeenCalled()
  })
})
