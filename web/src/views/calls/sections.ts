import type { Department } from '@/api/types'

export interface DepartmentOption {
  id: string
  /** The path from the top department, so that two 综合科 under different offices are told apart. */
  label: string
}

/** The enabled departments of the tree, depth first, each labelled with its path; under a disabled
 * department nothing is offered (the server refuses a disabled department). */
export function enabledDepartments(tree: Department[], path: string[] = []): DepartmentOption[] {
  const out: DepartmentOption[] = []
  for (const d of [...tree].sort((a, b) => a.sort_order - b.sort_order)) {
    if (!d.enabled) continue
    const here = [...path, d.name]
    out.push({ id: d.id, label: here.join(' / ') })
    out.push(...enabledDepartments(d.children, here))
  }
  return out
}
