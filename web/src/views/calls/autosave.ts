/**
 * 自动保存: a save `delay` ms after the last change (debounced), one save at a time. A change while a save
 * is out schedules another once it is back; `flush()` saves now (保存, leaving the page, 提交) and waits
 * for whatever is in flight first, so two saves never race each other with the same version.
 */
export interface Autosave {
  /** Something changed: (re)start the countdown to the next save. */
  touch(): void
  /** Save now if anything is waiting (or `force`), after the save in flight; resolves when done. */
  flush(force?: boolean): Promise<void>
  /** Forget the waiting save (the page is read-only now). */
  cancel(): void
  /** Whether a save is waiting for its delay. */
  readonly waiting: boolean
  /** Whether a save is in flight. */
  readonly running: boolean
}

export function createAutosave(run: () => Promise<unknown>, delay = 3000): Autosave {
  let timer: ReturnType<typeof setTimeout> | null = null
  let inflight: Promise<void> | null = null
  let again = false

  function clear() {
    if (timer !== null) clearTimeout(timer)
    timer = null
  }

  function start(): Promise<void> {
    const p = (async () => {
      try {
        await run()
      } catch {
        /* the page shows what failed; the edits are kept in this browser */
      }
    })()
    inflight = p.finally(() => {
      inflight = null
      if (again) {
        again = false
        touch()
      }
    })
    return inflight
  }

  function fire() {
    timer = null
    if (inflight) {
      again = true
      return
    }
    void start()
  }

  function touch() {
    clear()
    timer = setTimeout(fire, delay)
  }

  async function flush(force = false): Promise<void> {
    const waiting = timer !== null || again
    clear()
    again = false
    if (inflight) await inflight
    // The save in flight may have scheduled another (a change while it was out).
    const rescheduled = timer !== null
    clear()
    if (waiting || rescheduled || force) await start()
  }

  function cancel() {
    clear()
    again = false
  }

  return {
    touch,
    flush,
    cancel,
    get waiting() {
      return timer !== null
    },
    get running() {
      return inflight !== null
    },
  }
}
