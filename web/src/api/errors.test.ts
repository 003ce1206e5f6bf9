import { describe, expect, it } from 'vitest'
import { ApiError, failureText, toApiError } from './errors'

describe('toApiError', () => {
  it('reads the server envelope', () => {
    const e = toApiError(422, {
      error: {
        code: 'validation_failed',
        message: '提交的信息有误',
        fields: [
          { field: 'purpose', message: '请选择文件用途' },
          { field: 'purpose', message: '第二条' },
          { field: 'name', message: '请填写名称' },
        ],
        request_id: 'r-1',
      },
    })
    expect(e).toBeInstanceOf(ApiError)
    expect(e.status).toBe(422)
    expect(e.code).toBe('validation_failed')
    expect(e.message).toBe('提交的信息有误')
    expect(e.requestId).toBe('r-1')
    expect(e.fieldMap()).toEqual({ purpose: '请选择文件用途', name: '请填写名称' })
  })

  it('parses an envelope given as text (XMLHttpRequest)', () => {
    const e = toApiError(413, '{"error":{"code":"too_large","message":"文件超过 100 MB","fields":[]}}')
    expect(e.code).toBe('too_large')
    expect(e.message).toBe('文件超过 100 MB')
    expect(e.requestId).toBeNull()
  })

  it('falls back to a Chinese message for bodies that are not an envelope', () => {
    expect(toApiError(502, '<html>Bad Gateway</html>').message).toBe('服务暂时不可用，请稍后重试')
    expect(toApiError(502, '<html>Bad Gateway</html>').code).toBe('http_502')
    expect(toApiError(418, undefined).message).toBe('请求失败（HTTP 418）')
    expect(toApiError(500, { error: { code: 'internal' } }).message).toBe('服务器内部错误，请稍后重试')
  })
})

describe('failureText', () => {
  it('gives the request id with the message, for the user to quote to support', () => {
    const e = toApiError(500, { error: { code: 'internal', message: '服务器内部错误', fields: [], request_id: '01HZX3' } })
    expect(failureText(e)).toBe('服务器内部错误（请求编号：01HZX3）')
  })

  it('takes the x-request-id header when the body is not an envelope', () => {
    const e = toApiError(502, '<html>Bad Gateway</html>', 'req-42')
    expect(e.requestId).toBe('req-42')
    expect(failureText(e)).toBe('服务暂时不可用，请稍后重试（请求编号：req-42）')
  })

  it('says only the message when there is no id, and the fallback for anything else', () => {
    expect(failureText(new ApiError(0, 'network_error', '网络连接失败，请检查网络后重试'))).toBe('网络连接失败，请检查网络后重试')
    expect(failureText(new TypeError('x'), '保存失败')).toBe('保存失败')
  })
})
