/** A route query value as one string ('' when absent or repeated). */
export function queryString(v: unknown): string {
  return typeof v === 'string' ? v : ''
}
