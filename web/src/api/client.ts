import createClient, { type Middleware } from 'openapi-fetch'
import { ElMessage } from 'element-plus'
import type { paths } from './schema'
import { ApiError, failureText, networkError, toApiError, unexpectedResponse } from './errors'

export { ApiError } from './errors'

/** Header the server requires on every mutating request (CSRF defence for cookie sessions). */
export const CSRF_HEADER = 'X-Requested-With'
export const CSRF_VALUE = 'shuzhuan'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The CSRF header on every mutating request of the typed client. */
export const csrf: Middleware = {
  onRequest({ request }) {
    if (!SAFE_METHODS.has(request.method.toUpperCase())) {
      request.headers.set(CSRF_HEADER, CSRF_VALUE)
    }
    return request
  },
}

/** Typed client for the shuzhuan API; paths and bodies are checked against the generated schema. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' })
api.use(csrf)

export interface CallOptions {
  /**
   * Do not show the error message to the user (the caller handles it).
   * A function decides per error, e.g. `(e) => e.status === 401`.
   */
  silent?: boolean | ((e: ApiError) => boolean)
}

/**
 * For `silent` when the caller shows errors itself (a dialog with an inline message): everything stays
 * silent except an expired session, which still sends the user to the login page.
 */
export const unlessUnauthenticated = (e: ApiError): boolean => !(e.status === 401 && e.code === 'unauthenticated')

type Unauthenticated = (e: ApiError) => void
let onUnauthenticated: Unauthenticated | null = null

/** Registered once by the router: what to do when the session has expired mid-work. */
export function setUnauthenticatedHandler(fn: Unauthenticated) {
  onUnauthenticated = fn
}

/**
 * Show an API error to the user (one toast; field errors are shown by the form). A server failure (5xx)
 * carries its request id, for the user to quote to support.
 */
export function reportError(e: unknown) {
  const err = e instanceof ApiError ? e : new ApiError(0, 'client_error', '操作失败，请稍后重试')
  const message = err.status >= 500 ? failureText(err) : err.message
  ElMessage({ type: 'error', message, grouping: true, showClose: true, duration: 5000 })
}

interface FetchResult<T> {
  data?: T
  error?: unknown
  response: Response
}

/**
 * Await an `api.GET/POST/...` call and return its data, or throw an ApiError after
 * showing `error.message` (unless silenced). A 401 `unauthenticated` from anything but
 * the session probe hands over to the registered handler (back to the login page).
 */
export async function call<T>(request: Promise<FetchResult<T>>, options: CallOptions = {}): Promise<T> {
  let result: FetchResult<T>
  try {
    result = await request
  } catch (e) {
    // fetch() rejects on network failure; JSON.parse on a non-JSON success body throws SyntaxError.
    const err = e instanceof SyntaxError ? unexpectedResponse(200) : networkError()
    handle(err, options)
    throw err
  }
  const { data, error, response } = result
  if (!response.ok || error !== undefined) {
    const err = toApiError(response.status, error, response.headers.get('x-request-id'))
    handle(err, options)
    throw err
  }
  return data as T
}

/**
 * A query without its empty values (`''`, null, undefined): list filters left blank are not sent, so the
 * server applies no filter rather than matching the empty text.
 */
export function withoutEmpty<Q extends object>(query: Q): Q {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== '' && v !== null && v !== undefined)) as Q
}

function handle(err: ApiError, options: CallOptions) {
  const silent = typeof options.silent === 'function' ? options.silent(err) : options.silent === true
  if (silent) return
  if (err.status === 401 && err.code === 'unauthenticated' && onUnauthenticated) {
    onUnauthenticated(err)
    return
  }
  reportError(err)
}
