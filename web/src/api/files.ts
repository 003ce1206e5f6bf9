import { api, call, CSRF_HEADER, CSRF_VALUE, type CallOptions } from './client'
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
export async function listFiles(page: number, pageSize: number, options?: CallOptions): Promise<FileListPage> {
  const query = { page, page_size: pageSize }
  return call<FileListPage>(api.GET('/api/files', { params: { query } }), options)
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

type FileName = Pick<StoredFile, 'id' | 'name' | 'size'>

/**
 * Names of the organization's own files by id (forms keep only ids; a 再次申报 template names files of the
 * first application). Pages through GET /api/files, newest first, until every id is found or `maxPages`
 * pages of 100 were read; ids not found are left out.
 */
export async function lookupFileNames(ids: readonly string[], maxPages = 5): Promise<FileName[]> {
  const wanted = new Set(ids)
  const found: FileName[] = []
  for (let page = 1; wanted.size && page <= maxPages; page++) {
    const res = await call(api.GET('/api/files', { params: { query: { page, page_size: 100 } } }), { silent: true })
    for (const f of res.items) {
      if (wanted.delete(f.id)) found.push({ id: f.id, name: f.name, size: f.size })
    }
    if (page * 100 >= res.total) break
  }
  return found
}

/**
 * A stored file's bytes (GET /api/files/{id}, same session), for the page to preview. Rejects with the
 * server's ApiError (404 when the file is not the caller's to see) or a network error.
 */
export async function fetchFileBlob(id: string): Promise<Blob> {
  let res: Response
  try {
    res = await fetch(fileDownloadUrl(id), { credentials: 'same-origin', headers: { Accept: '*/*' } })
  } catch {
    throw networkError()
  }
  if (!res.ok) throw toApiError(res.status, await res.text().catch(() => ''))
  return res.blob()
}
