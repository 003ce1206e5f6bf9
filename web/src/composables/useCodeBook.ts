import { computed, shallowRef, watch, type Ref } from 'vue'
import { getRegion, loadIndustries } from '@/api/reference'
import { loadServiceScopes } from '@/api/accounts'
import type { Industry } from '@/api/types'
import { codeKind, codesOf, withNames, type CodeBook } from '@/utils/codeNames'

/** Region names by code, kept for the page's lifetime (a reviewer opens many cases of the same towns). */
const regionNames = new Map<string, Promise<string | null>>()

function regionName(code: string): Promise<string | null> {
  let p = regionNames.get(code)
  if (!p) {
    p = getRegion(code)
      .then((r) => r.path.map((x) => x.name).join('') || r.name)
      .catch(() => {
        regionNames.delete(code)
        return null
      })
    regionNames.set(code, p)
  }
  return p
}

function flatten(nodes: readonly Industry[], into: Map<string, string>): Map<string, string> {
  for (const n of nodes) {
    into.set(n.code, n.name)
    flatten(n.children, into)
  }
  return into
}

/**
 * The names of the codes in `rows` (industries, regions, service scopes), fetched from the reference data the
 * forms use (IndustrySelect, RegionCascader, ServiceScopeSelect share these loaders and their caches). Until a
 * name arrives, or when it cannot be had, `named` shows the value as the server wrote it.
 *
 *   const { named } = useCodeBook(() => detail.value?.fields ?? [])
 *   named(row.key, row.value) // 'C 制造业'
 */
export function useCodeBook(rows: () => readonly { key: string; value: string }[]) {
  const book = shallowRef<CodeBook>({ industry: new Map(), region: new Map(), scope: new Map() })

  async function fill(list: readonly { key: string; value: string }[]) {
    const kinds = new Set(list.map((r) => codeKind(r.key)))
    const next = { ...book.value }
    const jobs: Promise<void>[] = []
    if (kinds.has('industry') && !next.industry.size) {
      jobs.push(
        loadIndustries()
          .then((tree) => void (next.industry = flatten(tree, new Map())))
          .catch(() => undefined),
      )
    }
    if (kinds.has('scope') && !next.scope.size) {
      jobs.push(
        loadServiceScopes()
          .then((items) => void (next.scope = new Map(items.map((s) => [s.code, s.label]))))
          .catch(() => undefined),
      )
    }
    const regions = codesOf('region', list).filter((c) => !next.region.has(c))
    if (regions.length) {
      jobs.push(
        Promise.all(regions.map(async (c) => [c, await regionName(c)] as const)).then((found) => {
          const m = new Map(next.region)
          for (const [c, n] of found) if (n) m.set(c, n)
          next.region = m
        }),
      )
    }
    if (!jobs.length) return
    await Promise.all(jobs)
    book.value = next
  }

  watch(rows, (list) => void fill(list), { immediate: true })

  const named = computed(() => {
    const b = book.value
    return (key: string, value: string) => withNames(key, value, b)
  })
  return { named, book: book as Ref<CodeBook> }
}
