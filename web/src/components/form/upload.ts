import type { Ref } from 'vue'
import { uploadFile } from '@/api/files'
import type { UploadFn } from './schema'

/**
 * The `upload` of a FormRenderer whose file fields store attachments: the chosen file is stored (POST
 * /api/files, purpose attachment) and its name recorded in `names` by id, so the form and its read-only view
 * show it before the server's copy of the form names it.
 */
export function attachmentUpload(names: Ref<Record<string, string>>): UploadFn {
  return async (file: File) => {
    const f = await uploadFile('attachment', file).promise
    names.value = { ...names.value, [f.id]: f.name }
    return { id: f.id, name: f.name }
  }
}
