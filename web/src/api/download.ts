/**
 * Downloads of generated files (PDF reports, the review timeline): fetched first, so a refusal or a
 * failing generator is shown as a message instead of a page of JSON, then saved under the server's
 * file name.
 */
import { networkError, toApiError } from './errors'

/** File name from `Content-Disposition` (RFC 5987 `filename*` first). */
export function dispositionName(header: string | null): string | null {
  if (!header) return null
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim())
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header)
  return plain?.[1]?.trim() ?? null
}

/** GET `url` and save the body as a file; rejects with an ApiError carrying the server's message. */
export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  let res: Response
  try {
    res = await fetch(url, { credentials: 'same-origin' })
  } catch {
    throw networkError()
  }
  if (!res.ok) {
    let body: unknown = null
    try {
      body = await res.json()
    } catch {
      /* not JSON */
    }
    throw toApiError(res.status, body)
  }
  const blob = await res.blob()
  const href = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = href
  a.download = dispositionName(res.headers.get('Content-Disposition')) ?? fallbackName
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(href), 30_000)
}
