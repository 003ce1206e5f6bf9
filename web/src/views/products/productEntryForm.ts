/**
 * 产品独立申报 (seed 000 §04; docs/providers-products.md `product_entry` form): a product form plus the
 * reviewing lead unit (审核数字化牵引单位), chosen among the lead units the provider is bound to.
 */
import type { DraftFile } from '@/utils/localDraft'
import type { FieldProblem } from '@/utils/fieldPaths'
import {
  emptyProduct,
  productFieldLabel,
  productFiles,
  readProduct,
  str,
  validateProduct,
  writeProduct,
  type ProductValues,
} from '@/views/products/productForm'
import type { FileNames } from '@/utils/localDraft'

export interface ProductEntryValues extends ProductValues {
  lead_unit_id: string
}

export function emptyProductEntry(): ProductEntryValues {
  return { ...emptyProduct(), lead_unit_id: '' }
}

export function readProductEntry(json: unknown, names: FileNames = new Map()): ProductEntryValues {
  const f = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {}
  return { ...readProduct(f, names), lead_unit_id: str(f.lead_unit_id) }
}

/** The form JSON to save: `base` (with the names the server fills in) with the edited fields replaced. */
export function writeProductEntry(v: ProductEntryValues, base: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...base, ...writeProduct(v), lead_unit_id: v.lead_unit_id }
}

export function productEntryFiles(v: ProductEntryValues): DraftFile[] {
  return productFiles(v)
}

export function validateProductEntry(v: ProductEntryValues): FieldProblem[] {
  const out = validateProduct(v)
  if (!v.lead_unit_id) out.push({ field: 'lead_unit_id', message: '请选择审核数字化牵引单位' })
  return out
}

export function productEntryFieldLabel(path: string): string {
  return productFieldLabel(path)
}
