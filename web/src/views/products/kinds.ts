/** The products' review case kind: 产品申报 (a product entering a lead unit's pool), edited on its own form page. */
import { PRODUCT_ENTRY } from '@/api/products'
import { registerCaseKind } from '@/views/review/kinds'

registerCaseKind({
  key: PRODUCT_ENTRY,
  label: '产品入库申请',
  editPath: (caseId) => `/workbench/products/${encodeURIComponent(caseId)}/edit`,
})
