/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_SITE_SUPPORT?: string
  readonly VITE_SITE_ICP?: string
  readonly VITE_SITE_SERVICE_HOURS?: string
  readonly VITE_SITE_ORGANIZER?: string
}

interface ImportMeta {
  readonly env: ImportMetaEnv
}
