/**
 * The lifecycle's review case kinds: 项目备案 (`filing`) and its 信息变更 (`filing_change`), both edited on the
 * filing page of 项目备案, which opens a project by its own id and by the case id of its filing or change.
 */
import { registerCaseKind } from '@/views/review/kinds'

/** The form's keys live under `values.` (the lead unit is the case's own field). */
const values = (keys: string) => keys.split(' ').map((k) => (k === 'lead_unit_id' ? k : `values.${k}`))
const sections = [
  { title: '企业基本信息', keys: values('enterprise_name uscc town nature category size main_product sub_industry quality_sme address headcount digital_headcount profile') },
  { title: '项目基本信息', keys: values('project_name summary site_address planned_investment period target_level diagnosis_mode lead_unit_id scenario_provider chain_leader authorization_files chain_evidence_files') },
]
const editPath = (caseId: string) => `/workbench/projects/${encodeURIComponent(caseId)}`

registerCaseKind({ key: 'filing', label: '项目备案', editPath, sections })
registerCaseKind({ key: 'filing_change', label: '项目备案信息变更', editPath, sections })

/**
 * The agency's reports, 事前诊断报告 (`diagnosis_report`) and 事后评估报告 (`evaluation_report`): the agency writes
 * them on 诊断任务 (its owner's edit page) and the enterprise, at 企业确认, confirms (通过) or returns (退回) on the
 * case page. One registration for both: they differ only in their words.
 */
for (const [key, phase, result] of [
  ['diagnosis_report', '事前诊断', '诊断结果'],
  ['evaluation_report', '事后评估', '评估结果'],
]) {
  registerCaseKind({
    key,
    label: `${phase}报告确认`,
    editPath: (caseId: string) => `/workbench/agency/diagnoses/${encodeURIComponent(caseId)}`,
    sections: [
      { title: '项目信息', keys: ['project_name', 'enterprise_name', 'filing_number', 'mode'] },
      { title: result, keys: values('report_files level opinion') },
    ],
  })
}

/** 项目入库 (`acceptance`): 镇街审核 → 验收专家审核 → 市工信复审; the enterprise edits it on 项目入库. */
registerCaseKind({
  key: 'acceptance',
  label: '项目入库',
  editPath: (caseId: string) => `/workbench/acceptances/${encodeURIComponent(caseId)}`,
  sections: [
    { title: '企业基本信息', keys: values('enterprise_name uscc address headcount digital_headcount') },
    { title: '项目基本信息', keys: values('project_name summary site_address period level_before level_after needs products results') },
    { title: '佐证材料', keys: values('contract_files evaluation_report_files cloud_report_files invoice_files screenshot_files other_files') },
  ],
})
