/** The providers' review case kind: 服务商申报 (joining a lead unit's alliance), edited on its own form page. */
import { ALLIANCE_JOIN } from '@/api/providers'
import { registerCaseKind } from '@/views/review/kinds'

registerCaseKind({
  key: ALLIANCE_JOIN,
  label: '服务商入库申请',
  editPath: (caseId) => `/workbench/provider-applications/${encodeURIComponent(caseId)}/edit`,
})
