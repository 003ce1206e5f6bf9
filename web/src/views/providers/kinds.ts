/** The providers' review case kind: 服务商申报 (joining a lead unit's alliance), edited on its own form page. */
import { ALLIANCE_JOIN } from '@/api/providers'
import { registerCaseKind } from '@/views/review/kinds'

registerCaseKind({
  key: ALLIANCE_JOIN,
  label: '服务商入库申请',
  editPath: (caseId) => `/workbench/provider-applications/${encodeURIComponent(caseId)}/edit`,
  // The tabs of the application form (applicationForm.ts APPLICATION_TABS).
  sections: [
    {
      title: '基本信息',
      keys: ['application', 'company_name', 'uscc', 'logo_file_ids', 'license_file_ids', 'nature', 'credit_report_file_ids', 'lead_unit_id', 'cooperation_proof_file_ids'],
    },
    { title: '数字化转型服务能力', keys: ['product_count', 'introduction', 'guarantee', 'team_list_file_ids'] },
    { title: '产品信息', collection: 'products' },
  ],
})
