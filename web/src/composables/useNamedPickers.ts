import { onBeforeUnmount, onMounted } from 'vue'

/**
 * Element Plus (2.14) opens a date picker's panel as a popper with role="dialog" and no name, and the date
 * picker does not pass on `visible-change`; axe (and a screen reader) wants a name. Give each picker a
 * `popper-class`; while the page is mounted this names its panel whenever it is (re)drawn:
 *
 *   useNamedPickers({ 'call-window-picker': '选择申报时间' })
 *   <el-date-picker popper-class="call-window-picker" … />
 */
export function useNamedPickers(names: Record<string, string>): void {
  const name = () => {
    for (const [cls, label] of Object.entries(names)) {
      document.querySelectorAll(`.${cls}`).forEach((el) => {
        if (el.getAttribute('aria-label') !== label) el.setAttribute('aria-label', label)
      })
    }
  }
  let observer: MutationObserver | null = null
  onMounted(() => {
    observer = new MutationObserver(name)
    observer.observe(document.body, { childList: true, subtree: true })
    name()
  })
  onBeforeUnmount(() => observer?.disconnect())
}
