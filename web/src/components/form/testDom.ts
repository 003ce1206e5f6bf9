/**
 * Helpers of this folder's component tests: mount a component with a v-model held by the test, type and click
 * as a user does, wait for Vue and Element Plus. No test library: Vue's own `createApp` on a happy-dom
 * document.
 */
import { vi } from 'vitest'
import { createApp, defineComponent, h, nextTick, ref, type Component, type Ref } from 'vue'

// The on-demand Element Plus styles the components import (vite.config.ts); Node cannot load .css.
const styles = [
  'autocomplete', 'base', 'alert', 'button', 'cascader', 'checkbox', 'checkbox-group', 'date-picker', 'date-picker-panel', 'form', 'form-item', 'icon', 'input',
  'input-number', 'option', 'radio', 'radio-group', 'select', 'switch', 'tab-pane', 'tabs', 'tag', 'upload',
]
for (const s of styles) vi.doMock(`element-plus/es/components/${s}/style/css`, () => ({}))

// The region picker (region fields) reads the region tree from the server, which the tests do not run.
vi.doMock('@/api/reference', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/api/reference')>()),
  listRegions: async () => [],
  getRegion: async (code: string) => {
    throw new Error(`no region ${code} in tests`)
  },
}))

/**
 * Whether a DOM is there. The component tests ask for happy-dom in their first line
 * (`// @vitest-environment happy-dom`); run elsewhere (the node environment, where Vue compiles components
 * for the server) they skip themselves instead of failing on a missing `document`.
 */
export const hasDom = typeof document !== 'undefined'

export interface Mounted<T> {
  el: HTMLElement
  model: Ref<T>
  /** Every value the component emitted for its v-model, in order. */
  emitted: T[]
  unmount: () => void
}

/** Mounts `component` with `props` and a v-model the test can read (`model`) and see emitted (`emitted`). */
export function mountWithModel<T>(component: Component, initial: T, props: Record<string, unknown> = {}): Mounted<T> {
  const model = ref(initial) as Ref<T>
  const emitted: T[] = []
  const Host = defineComponent({
    setup() {
      return () =>
        h(component, {
          ...props,
          modelValue: model.value,
          'onUpdate:modelValue': (v: T) => {
            emitted.push(v)
            model.value = v
          },
        })
    },
  })
  const el = document.createElement('div')
  document.body.appendChild(el)
  const app = createApp(Host)
  app.mount(el)
  return {
    el,
    model,
    emitted,
    unmount: () => {
      app.unmount()
      el.remove()
    },
  }
}

/** Lets Vue, promises and Element Plus's timers settle. */
export async function settle(ms = 0) {
  for (let i = 0; i < 3; i++) {
    await nextTick()
    await new Promise((r) => setTimeout(r, ms))
  }
}

/** Types into an input or textarea as a user does. */
export async function type(input: Element | null | undefined, text: string) {
  if (!input) throw new Error('no input to type into')
  const el = input as HTMLInputElement
  el.value = text
  el.dispatchEvent(new Event('input', { bubbles: true }))
  el.dispatchEvent(new Event('change', { bubbles: true }))
  await settle()
}

export async function click(el: Element | null | undefined) {
  if (!el) throw new Error('nothing to click')
  ;(el as HTMLElement).click()
  await settle()
}

/** The first element whose own text is `text` (trimmed), among `selector`. */
export function byText(root: ParentNode, selector: string, text: string): HTMLElement | undefined {
  return [...root.querySelectorAll<HTMLElement>(selector)].find((e) => e.textContent?.trim() === text)
}
