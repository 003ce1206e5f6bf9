import { ref } from 'vue'
import { ElMessage } from 'element-plus'
import { downloadReport } from '@/api/assessment'
import { ApiError } from '@/api/errors'

/** 下载报告: one download at a time per id, with a spinner and the server's message on failure. */
export function useReportDownload() {
  const downloading = ref<Set<string>>(new Set())

  async function download(id: string) {
    if (downloading.value.has(id)) return
    downloading.value = new Set([...downloading.value, id])
    try {
      await downloadReport(id)
    } catch (e) {
      ElMessage({
        type: 'error',
        message: e instanceof ApiError ? `报告下载失败：${e.message}` : '报告下载失败，请稍后重试',
        showClose: true,
        duration: 6000,
      })
    } finally {
      const next = new Set(downloading.value)
      next.delete(id)
      downloading.value = next
    }
  }

  return { downloading, download }
}
