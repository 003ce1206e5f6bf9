import { api, call } from './client'
import type { Industry, Region, RegionDetail, RegionListResponse, Site } from './types'

/** Children of a region; no parent = provinces. */
export async function listRegions(parent?: string): Promise<Region[]> {
  const query = parent ? { parent } : {}
  return (await call<RegionListResponse>(api.GET('/api/regions', { params: { query } }))).items
}

export function getRegion(code: string): Promise<RegionDetail> {
  return call(api.GET('/api/regions/{code}', { params: { path: { code } } }))
}

let industriesPromise: Promise<Industry[]> | null = null

/** The national industry classification tree (GB/T 4754-2017), fetched once per page load. */
export function loadIndustries(): Promise<Industry[]> {
  if (!industriesPromise) {
    industriesPromise = call(api.GET('/api/industries')).then((r) => r.items)
    industriesPromise.catch(() => {
      industriesPromise = null
    })
  }
  return industriesPromise
}

export const DEFAULT_SITE: Site = {
  name: '中小企业数字化转型服务平台',
  organizer: '',
}

let sitePromise: Promise<Site> | null = null

/** Platform display name and organizer (a server setting); falls back to the default name. */
export function loadSite(): Promise<Site> {
  if (!sitePromise) {
    sitePromise = call(api.GET('/api/site'), { silent: true })
      .then((s) => ({ ...DEFAULT_SITE, ...s, name: s.name || DEFAULT_SITE.name }))
      .catch(() => DEFAULT_SITE)
  }
  return sitePromise
}
