/**
 * Which attachments the page can show itself (pure, unit-tested). Files are served as attachments that may
 * not be framed (Content-Disposition: attachment, frame-ancestors 'none'), so a preview fetches the file and
 * shows it from a `blob:` URL typed by the page: an image in an <img>, a PDF in an <iframe> where the site's
 * CSP allows blob: frames (else in a new tab, which the browser's PDF viewer opens).
 */
export type PreviewKind = 'pdf' | 'image'

const IMAGE = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp'])

/** What a file's name says it is, or null when the page cannot show it (Word, Excel, archives …). */
export function previewKind(name: string): PreviewKind | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name.trim())?.[1]?.toLowerCase()
  if (!ext) return null
  if (ext === 'pdf') return 'pdf'
  return IMAGE.has(ext) ? 'image' : null
}

/** The type the blob is given: the page decides, never the file, so a preview cannot turn into a page. */
export function previewType(kind: PreviewKind, served: string): string {
  if (kind === 'pdf') return 'application/pdf'
  return /^image\/(png|jpeg|gif|webp|bmp)$/.test(served) ? served : 'image/png'
}

/** Whether a CSP violation report is the page's own blob: frame being refused (the preview then opens a tab). */
export function blocksBlobFrame(e: { violatedDirective: string; blockedURI: string }): boolean {
  return /^(frame-src|child-src|default-src)/.test(e.violatedDirective) && e.blockedURI.startsWith('blob')
}
