/**
 * 工作台公告 (seed 001 §1.4.1): the announcements that reach the signed-in user (平台公告 on the workbench), and for
 * the operator's and government bodies' administrators, their own (公告管理).
 */
import { api, call, type CallOptions } from './client'
import type { AnnouncementInput, AnnouncementList, ManagedAnnouncements } from './types'

export function listAnnouncements(options?: CallOptions): Promise<AnnouncementList> {
  return call(api.GET('/api/announcements'), options)
}

/** 已读 (once per user, however many clicks). */
export function readAnnouncement(id: string, options?: CallOptions): Promise<AnnouncementList> {
  return call(api.POST('/api/announcements/{id}/read', { params: { path: { id } } }), options)
}

export function listManagedAnnouncements(options?: CallOptions): Promise<ManagedAnnouncements> {
  return call(api.GET('/api/announcements/manage'), options)
}

/** 发布 (publish) or 保存草稿. */
export function createAnnouncement(body: AnnouncementInput, options?: CallOptions): Promise<ManagedAnnouncements> {
  return call(api.POST('/api/announcements/manage', { body }), options)
}

export function publishAnnouncement(id: string, options?: CallOptions): Promise<ManagedAnnouncements> {
  return call(api.POST('/api/announcements/manage/{id}/publish', { params: { path: { id } } }), options)
}

export function retireAnnouncement(id: string, options?: CallOptions): Promise<ManagedAnnouncements> {
  return call(api.POST('/api/announcements/manage/{id}/retire', { params: { path: { id } } }), options)
}
