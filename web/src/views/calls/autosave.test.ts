import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAutosave } from './autosave'

describe('autosave', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('saves 3 s after the last change, once', async () => {
    const run = vi.fn(() => Promise.resolve())
    const a = createAutosave(run, 3000)
    a.touch()
    await vi.advanceTimersByTimeAsync(2000)
    a.touch() // typing goes on: the countdown starts again
    await vi.advanceTimersByTimeAsync(2999)
    expect(run).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(run).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(run).toHaveBeenCalledTimes(1)
  })

  it('never runs two saves at once: a change during a save is saved after it', async () => {
    let release!: () => void
    const run = vi.fn(() => new Promise<void>((r) => (release = r)))
    const a = createAutosave(run, 3000)
    a.touch()
    await vi.advanceTimersByTimeAsync(3000)
    expect(run).toHaveBeenCalledTimes(1)
    a.touch()
    await vi.advanceTimersByTimeAsync(3000) // due while the first is still out
    expect(run).toHaveBeenCalledTimes(1)
    release()
    await vi.advanceTimersByTimeAsync(3000)
    expect(run).toHaveBeenCalledTimes(2)
  })

  it('flush saves at once what is waiting, after the save in flight', async () => {
    const order: string[] = []
    let release!: () => void
    let n = 0
    const run = vi.fn(() => {
      const i = ++n
      order.push(`start ${i}`)
      return i === 1 ? new Promise<void>((r) => (release = () => (order.push('end 1'), r()))) : Promise.resolve()
    })
    const a = createAutosave(run, 3000)
    a.touch()
    await vi.advanceTimersByTimeAsync(3000)
    a.touch()
    const flushed = a.flush()
    await vi.advanceTimersByTimeAsync(0)
    expect(order).toEqual(['start 1'])
    release()
    await flushed
    expect(order).toEqual(['start 1', 'end 1', 'start 2'])
    expect(a.waiting).toBe(false)
  })

  it('flush does nothing when nothing changed, unless forced; a failed save does not stop later ones', async () => {
    const run = vi.fn().mockRejectedValueOnce(new Error('offline')).mockResolvedValue(undefined)
    const a = createAutosave(run, 3000)
    await a.flush()
    expect(run).not.toHaveBeenCalled()
    await a.flush(true)
    expect(run).toHaveBeenCalledTimes(1)
    a.touch()
    await vi.advanceTimersByTimeAsync(3000)
    expect(run).toHaveBeenCalledTimes(2)
  })

  it('cancel forgets the waiting save', async () => {
    const run = vi.fn(() => Promise.resolve())
    const a = createAutosave(run, 3000)
    a.touch()
    a.cancel()
    await vi.advanceTimersByTimeAsync(5000)
    expect(run).not.toHaveBeenCalled()
  })
})
