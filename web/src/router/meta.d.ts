import 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    /** Page title (the platform name is appended). */
    title?: string
    /** Needs a logged-in user; the guard asks GET /api/auth/me. */
    requiresAuth?: boolean
    /** Workbench module key (modules.ts): the page opens only when the module is open to the user. */
    module?: string
    /** 门户内容: the kind of portal content a list or detail page shows. */
    portalKind?: string
  }
}

export {}
