import { describe, expect, it } from 'vitest'
import { useLoad } from './useLoad'

describe('useLoad', () => {
  it('is loaded with no error after a successful load, and loading only while it runs', async () => {
    let during = false
    const state = useLoad(async () => {
      during = state.loading.value
    }, '加载失败', { immediate: false })
    expect(state.loaded.value).toBe(false)
    await state.load()
    expect(during).toBe(true)
    expect(state.loading.value).toBe(false)
    expect(state.loaded.value).toBe(true)
    expect(state.error.value).toBe('')
  })

  it('shows the failure text when the load fails, and clears it once a retry succeeds', async () => {
    let fail = true
    const state = useLoad(async () => {
      if (fail) throw new Error('network down')
    }, '我的项目加载失败', { immediate: false })
    await state.load()
    expect(state.loaded.value).toBe(true)
    expect(state.error.value).toContain('我的项目加载失败')
    fail = false
    await state.load()
    expect(state.error.value).toBe('')
  })
})
