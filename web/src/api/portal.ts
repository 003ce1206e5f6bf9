/**
 * 门户内容 (issue 20, spec 50 § Portal): the public lists and pages of 通知公告, 政策文件, 结果公示 (with 公示异议),
 * 服务指南, 常见问题 and links; and, for the operator's and government bodies' administrators, their management.
 */
import { api, call, type CallOptions } from './client'
import type {
  PortalHome,
  PortalItemDetail,
  PortalItemInput,
  PortalItemPage,
  PortalKind,
  PortalManagedItem,
  PortalManagedList,
  PortalObjection,
  PortalObjectionInput,
  PortalObjectionList,
} from './types'

export const PORTAL_KINDS: readonly { kind: PortalKind; label: string; path: string }[] = [
  { kind: 'notice', label: '通知公告', path: '/notices' },
  { kind: 'policy', label: '政策文件', path: '/policies' },
  { kind: 'publicity', label: '结果公示', path: '/publicity' },
  { kind: 'guide', label: '服务指南', path: '/guides' },
  { kind: 'faq', label: '常见问题', path: '/faqs' },
  { kind: 'link', label: '友情链接', path: '' },
]
export const AREAS = ['数字化转型', '智能制造', '工业互联网', '软件和信息服务', '专精特新', '其他'] as const
export const PROJECT_TYPES = ['试点项目', '专项资金', '认定评定', '示范推广', '其他'] as const
export const APPLY_STATUSES = [
  ['upcoming', '未开始'],
  ['open', '申报中'],
  ['closed', '已截止'],
] as const

export function portalHome(options?: CallOptions): Promise<PortalHome> {
  return call(api.GET('/api/portal/home'), options)
}

export interface ItemFilters {
  kind: PortalKind
  q?: string
  apply_status?: string
  area?: string
  project_type?: string
  page?: number
}

export function listPortalItems(query: ItemFilters, options?: CallOptions): Promise<PortalItemPage> {
  return call(api.GET('/api/portal/items', { params: { query } }), options)
}

export function getPortalItem(id: string, options?: CallOptions): Promise<PortalItemDetail> {
  return call(api.GET('/api/portal/items/{id}', { params: { path: { id } } }), options)
}

/** 公示异议 (signed in, during the publicity period). */
export function fileObjection(id: string, body: PortalObjectionInput, options?: CallOptions): Promise<PortalObjection> {
  return call(api.POST('/api/portal/items/{id}/objections', { params: { path: { id } }, body }), options)
}

export function myObjections(options?: CallOptions): Promise<PortalObjectionList> {
  return call(api.GET('/api/portal/objections'), options)
}

export function listManagedItems(query: { kind?: string; status?: string }, options?: CallOptions): Promise<PortalManagedList> {
  return call(api.GET('/api/portal/manage', { params: { query } }), options)
}

export function createPortalItem(body: PortalItemInput, options?: CallOptions): Promise<PortalManagedItem> {
  return call(api.POST('/api/portal/manage', { body }), options)
}

export function updatePortalItem(id: string, body: PortalItemInput, options?: CallOptions): Promise<PortalManagedItem> {
  return call(api.PUT('/api/portal/manage/{id}', { params: { path: { id } }, body }), options)
}

export function publishPortalItem(id: string, options?: CallOptions): Promise<PortalManagedItem> {
  return call(api.POST('/api/portal/manage/{id}/publish', { params: { path: { id } } }), options)
}

export function retirePortalItem(id: string, options?: CallOptions): Promise<PortalManagedItem> {
  return call(api.POST('/api/portal/manage/{id}/retire', { params: { path: { id } } }), options)
}

export function itemObjections(id: string, options?: CallOptions): Promise<PortalObjectionList> {
  return call(api.GET('/api/portal/manage/{id}/objections', { params: { path: { id } } }), options)
}

export function answerObjection(id: string, answer: string, options?: CallOptions): Promise<PortalObjection> {
  return call(api.POST('/api/portal/manage/objections/{id}/answer', { params: { path: { id } }, body: { answer } }), options)
}

/** Makes an uploaded image public for rich text; gives the URL the `<img src>` names. */
export function publishImage(file_id: string, options?: CallOptions): Promise<{ url: string }> {
  return call(api.POST('/api/portal/images', { body: { file_id } }), options)
}
