import { describe, expect, it, vi } from 'vitest'
import { confirmSubmission, confirmWarning } from './confirm'

const confirm = vi.hoisted(() => vi.fn())
vi.mock('element-plus', () => ({ ElMessageBox: { confirm } }))

describe('confirmWarning', () => {
  it('asks with a warning, 删除 unless told otherwise, and 取消', async () => {
    confirm.mockResolvedValue('confirm')
    expect(await confirmWarning('确定删除部门“综合科”吗？', '删除部门')).toBe(true)
    expect(confirm).toHaveBeenCalledWith('确定删除部门“综合科”吗？', '删除部门', {
      type: 'warning',
      confirmButtonText: '删除',
      cancelButtonText: '取消',
    })
    await confirmWarning('确定解除锁定吗？', '解锁账号', '解锁')
    expect(confirm.mock.lastCall![2]).toMatchObject({ confirmButtonText: '解锁' })
  })

  it('says no when the user backs out', async () => {
    confirm.mockImplementation(() => Promise.reject('cancel'))
    expect(await confirmWarning('确定删除吗？', '删除')).toBe(false)
  })
})

describe('confirmSubmission', () => {
  it('says the form locks, before a submission or a resubmission', async () => {
    confirm.mockResolvedValue('confirm')
    expect(await confirmSubmission('resubmit')).toBe(true)
    expect(confirm).toHaveBeenLastCalledWith('提交后将不能修改，确认提交？', '重新提交', {
      type: 'warning',
      confirmButtonText: '确认提交',
      cancelButtonText: '取消',
    })
    await confirmSubmission()
    expect(confirm.mock.lastCall![1]).toBe('提交申请')
    confirm.mockImplementation(() => Promise.reject('cancel'))
    expect(await confirmSubmission()).toBe(false)
  })
})
