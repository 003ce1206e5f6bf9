import type { FieldError } from './types'

/** Fallback messages (Chinese) for failures that carry no server envelope. */
const STATUS_MESSAGES: Record<number, string> = {
  400: '请求有误，请检查后重试',
  401: '登录已失效，请重新登录',
  403: '没有权限执行此操作',
  404: '请求的资源不存在',
  409: '数据已被他人修改，请刷新后重试',
  413: '文件超过大小限制',
  422: '提交的信息有误，请检查后重试',
  429: '操作过于频繁，请稍后再试',
  500: '服务器内部错误，请稍后重试',
  502: '服务暂时不可用，请稍后重试',
  503: '服务暂时不可用，请稍后重试',
  504: '服务响应超时，请稍后重试',
}

/**
 * An error from the API, built from the server's error envelope
 * `{"error":{"code","message","fields":[{"field","message"}],"request_id"}}`
 * or, when the body is not an envelope (proxy page, network failure), from the HTTP status.
 */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: FieldError[]
  readonly requestId: string | null

  constructor(status: number, code: string, message: string, fields: FieldError[] = [], requestId: string | null = null) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields
    this.requestId = requestId
  }

  /** Field errors as a map `field -> message` (first message wins), for `el-form-item :error`. */
  fieldMap(): Record<string, string> {
    const map: Record<string, string> = {}
    for (const f of this.fields) if (!(f.field in map)) map[f.field] = f.message
    return map
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null
}

/**
 * Turn whatever came back with a failing status into an ApiError. `headerRequestId` (the response's
 * `x-request-id`) stands in when the body is not an envelope (a proxy's error page).
 */
export function toApiError(status: number, body: unknown, headerRequestId: string | null = null): ApiError {
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body)
    } catch {
      /* not JSON: fall through to the status message */
    }
  }
  if (isRecord(body) && isRecord(body.error)) {
    const e = body.error
    const fields: FieldError[] = Array.isArray(e.fields)
      ? e.fields
          .filter(isRecord)
          .map((f) => ({ field: String(f.field ?? ''), message: String(f.message ?? '') }))
      : []
    const message =
      typeof e.message === 'string' && e.message
        ? e.message
        : (STATUS_MESSAGES[status] ?? `请求失败（HTTP ${status}）`)
    return new ApiError(
      status,
      typeof e.code === 'string' ? e.code : `http_${status}`,
      message,
      fields,
      typeof e.request_id === 'string' ? e.request_id : headerRequestId,
    )
  }
  return new ApiError(status, `http_${status}`, STATUS_MESSAGES[status] ?? `请求失败（HTTP ${status}）`, [], headerRequestId)
}

/**
 * What an error screen or a failure line says: the server's message and, when the request got that far,
 * its request id for the user to quote to support (「数据加载失败 … 请求编号：…」); `fallback` for anything
 * that is not an ApiError.
 */
export function failureText(e: unknown, fallback = '加载失败，请稍后重试'): string {
  if (!(e instanceof ApiError)) return fallback
  return e.requestId ? `${e.message}（请求编号：${e.requestId}）` : e.message
}

export function networkError(): ApiError {
  return new ApiError(0, 'network_error', '网络连接失败，请检查网络后重试')
}

export function unexpectedResponse(status: number): ApiError {
  return new ApiError(status, 'bad_response', '服务器返回了无法识别的内容，请稍后重试')
}
