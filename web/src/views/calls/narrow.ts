import { onBeforeUnmount, ref, type Ref } from 'vue'

/** Whether the window is phone-narrow (below 768 px), kept up to date while the page is mounted. */
export function useNarrow(): Ref<boolean> {
  const query = window.matchMedia('(max-width: 767px)')
  const narrow = ref(query.matches)
  const onChange = (e: MediaQueryListEvent) => (narrow.value = e.matches)
  query.addEventListener('change', onChange)
  onBeforeUnmount(() => query.removeEventListener('change', onChange))
  return narrow
}
