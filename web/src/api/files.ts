import { api, call, CSRF_HEADER, CSRF_VALUE } from './client'
import { ApiError, networkError, toApiError, unexpectedResponse } from './errors'
import type { FileListPage, FilePurpose, FilePurposeName, StoredFile } from './types'

let purposesPromise: Promise<FilePurpose[]> | null = null

/** Allowed types and sizes per upload purpose (cached for the page's lifetime). */
export function loadFilePurposes(): Promise<FilePurpose[]> {
  if (!purposesPromise) {
    purposesPromise = call(api.GET('/api/files/purposes')).then((r) => r.items)
    purposesPromise.catch(() => {
      purposesPromise = null
    })
  }
  return purposesPromise
}

/** The current organization's files, newest first, one page at a time (page sizes 10/20/50/100). */
export async function listFiles(page: number, pageSize: number): Promise<FileListPage> {
  const query = { page, page_size: pageSize }
  return call<FileListPage>(api.GET('/api/files', { params: { query } }))
}

export function fileDownloadUrl(id: string): string {
  return `/api/files/${encodeURIComponent(id)}`
}

export interface UploadHandle {
  promise: Promise<StoredFile>
  abort: () => void
}

/**
 * Upload one file (multipart: `purpose` first, then `file`). XMLHttpRequest rather than fetch
 * because it reports upload progress, which matters for 100 MB evidence files on slow links.
 * Rejects with an ApiError carrying the server's message (413 oversize, 422 wrong type ...).
 */
export function uploadFile(purpose: FilePurposeName, file: File, onProgress?: (percent: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest()
  const promise = new Promise<StoredFile>((resolve, reject) => {
    const form = new FormData()
    form.append('purpose', purpose)
    form.append('file', file, file.name)
    xhr.open('POST', '/api/files')
    xhr.setRequestHeader(CSRF_HEADER, CSRF_VALUE)
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable && onProgress) onProgress(Math.min(99, Math.floor((ev.loaded / ev.total) * 100)))
    }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          onProgress?.(100)
          resolve(JSON.parse(xhr.responseText) as StoredFile)
        } catch {
          reject(unexpectedResponse(xhr.status))
        }
      } else {
        reject(toApiError(xhr.status, xhr.responseText))
      }
    }
    xhr.onerror = () => reject(networkError())
    xhr.onabort = () => reject(new ApiError(0, 'aborted', '已取消上传'))
    xhr.send(form)
  })
  return { promise, abort: () => xhr.abort() }
}
