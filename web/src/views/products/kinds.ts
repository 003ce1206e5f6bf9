/** The products' review case kind: 产品申报 (a product entering a lead unit's pool), edited on its own form page. */
import { PRODUCT_ENTRY } from '@/api/products'
import { registerCaseKind } from '@/views/review/kinds'

registerCaseKind({
  key: PRODUCT_ENTRY,
  label: '产品入库申请',
  editPath: (caseId) => `/workbench/products/${encodeURIComponent(caseId)}/edit`,
  // The parts of the product form (ProductFormFields.vue).
  sections: [
    { title: '申报信息', keys: ['provider_name', 'lead_unit_id'] },
    { title: '产品/服务基本信息', keys: ['name', 'nature', 'ip_proof_file_ids', 'categories', 'description'] },
    { title: '部署与报价', keys: ['deploy', 'purchase', 'discount_rate'] },
    { title: '行业与场景', keys: ['industry_code', 'sub_industries', 'scenarios', 'cases'] },
    { title: '获奖与其他信息', keys: ['awards', 'other_note', 'evidence_file_ids'] },
  ],
})
