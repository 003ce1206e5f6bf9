/**
 * In-site notifications (审核通知, docs/review-engine.md): assigned / returned / rejected / approved
 * messages about review cases, the unread count for the header badge, mark read.
 *
 * Shapes declared by hand (named as in the doc) until the endpoints are in the generated schema.
 */
import { call, request, type CallOptions } from './client'

export interface Notification {
  id: string
  title: string
  body: string
  case_id?: string | null
  /** `assigned`, `returned`, `rejected`, `approved`, `advanced`, `message`. */
  event?: string
  created_at: string
  read: boolean
}

export interface NotificationPage {
  items: Notification[]
  total: number
  unread: number
}

export interface NotificationQuery {
  unread_only?: boolean
  page?: number
  page_size?: number
}

export function listNotifications(query: NotificationQuery = {}, options?: CallOptions): Promise<NotificationPage> {
  return call(
    request<NotificationPage>('GET', '/api/notifications', {
      query: { unread_only: query.unread_only ? true : undefined, page: query.page, page_size: query.page_size },
    }),
    options,
  )
}

export async function fetchUnreadCount(options?: CallOptions): Promise<number> {
  return (await call(request<{ count: number }>('GET', '/api/notifications/unread-count'), options)).count
}

export async function markNotificationRead(id: string, options?: CallOptions): Promise<void> {
  await call(request<unknown>('POST', `/api/notifications/${encodeURIComponent(id)}/read`), options)
}

export async function markAllNotificationsRead(options?: CallOptions): Promise<void> {
  await call(request<unknown>('POST', '/api/notifications/read-all'), options)
}
