import { ref } from 'vue'
import { DEFAULT_SITE, loadSite } from '@/api/reference'
import type { Site } from '@/api/types'

const site = ref<Site>({ ...DEFAULT_SITE })
let started = false

/** Platform display name and organizer; shared by header, footer and page titles. */
export function useSite() {
  if (!started) {
    started = true
    void loadSite().then((s) => {
      site.value = s
    })
  }
  return site
}
