/**
 * Deployment texts shown in the footer. The platform name and organizer come from the server
 * (GET /api/site); these are build-time settings (VITE_* environment variables) until the
 * server exposes them as settings too.
 */
export const footerConfig = {
  technicalSupport: import.meta.env.VITE_SITE_SUPPORT || '数转（shuzhuan）开源项目',
  icp: import.meta.env.VITE_SITE_ICP || 'ICP备案号：由部署单位配置',
  serviceHours: import.meta.env.VITE_SITE_SERVICE_HOURS || '工作日 8:30-12:00，14:00-17:30',
  /** Shown when GET /api/site has no organizer. */
  defaultOrganizer: import.meta.env.VITE_SITE_ORGANIZER || '由部署单位配置',
}
