/**
 * The lifecycle's review case kinds: 项目备案 (`filing`) and its 信息变更 (`filing_change`), both edited on the
 * filing page of 项目备案, which opens a project by its own id and by the case id of its filing or change.
 */
import { registerCaseKind } from '@/views/review/kinds'

const sections = [
  { title: '企业基本信息', keys: ['values.enterprise_name', 'values.uscc', 'values.town', 'values.nature', 'values.category', 'values.size', 'values.main_product', 'values.sub_industry', 'values.quality_sme', 'values.address', 'values.headcount', 'values.digital_headcount', 'values.profile'] },
  { title: '项目基本信息', keys: ['values.project_name', 'values.summary', 'values.site_address', 'values.planned_investment', 'values.period', 'values.target_level', 'values.diagnosis_mode', 'lead_unit_id', 'values.scenario_provider', 'values.chain_leader', 'values.authorization_files', 'values.chain_evidence_files'] },
]
const editPath = (caseId: string) => `/workbench/projects/${encodeURIComponent(caseId)}`

registerCaseKind({ key: 'filing', label: '项目备案', editPath, sections })
registerCaseKind({ key: 'filing_change', label: '项目备案信息变更', editPath, sections })

/**
 * 事前诊断报告 (`diagnosis_report`): the agency writes it on 诊断任务 (its owner's edit page) and the enterprise,
 * at 企业确认, confirms it (通过) or returns it (退回) on the case page.
 */
registerCaseKind({
  key: 'diagnosis_report',
  label: '事前诊断报告确认',
  editPath: (caseId: string) => `/workbench/agency/diagnoses/${encodeURIComponent(caseId)}`,
  sections: [
    { title: '项目信息', keys: ['project_name', 'enterprise_name', 'filing_number', 'mode'] },
    { title: '诊断结果', keys: ['values.report_files', 'values.level', 'values.opinion'] },
  ],
})

/** 事后评估报告 (`evaluation_report`): the same, after 项目实施-改造中, on the same 诊断任务 page. */
registerCaseKind({
  key: 'evaluation_report',
  label: '事后评估报告确认',
  editPath: (caseId: string) => `/workbench/agency/diagnoses/${encodeURIComponent(caseId)}`,
  sections: [
    { title: '项目信息', keys: ['project_name', 'enterprise_name', 'filing_number', 'mode'] },
    { title: '评估结果', keys: ['values.report_files', 'values.level', 'values.opinion'] },
  ],
})
