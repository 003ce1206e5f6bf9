import { onMounted, ref } from 'vue'
import { failureText } from '@/api/errors'

/**
 * The state of a page that loads its data once shown and again on 刷新: `loading` while a load runs,
 * `loaded` once the first one ended (EmptyState waits for it instead of saying 暂无 too early), and
 * `error`, the Chinese message LoadError shows (`failure` when the server gave none).
 *
 *   const { loading, loaded, error, load } = useLoad(async () => { calls.value = await listOpenCalls() }, '可申报项目加载失败')
 */
export function useLoad(fetch: () => Promise<void>, failure: string, opts: { immediate?: boolean } = {}) {
  const loading = ref(false)
  const loaded = ref(false)
  const error = ref('')
  async function load() {
    loading.value = true
    try {
      await fetch()
      error.value = ''
    } catch (e) {
      error.value = failureText(e, failure)
    } finally {
      loading.value = false
      loaded.value = true
    }
  }
  if (opts.immediate !== false) onMounted(load)
  return { loading, loaded, error, load }
}
