/**
 * 项目全流程 (lifecycle, seed 002, spec 40): the enterprise's pilot projects (项目总览), 发起备案 and the filing
 * (保存 / 提交), and 信息变更 of a filed project. Reviewers work on the review pages like every other case
 * (kinds `filing` and `filing_change`). 事前诊断 by an agency: the enterprise chooses it or the city assigns it, the
 * agency writes the report (诊断任务) and the enterprise confirms it on the case page (kind `diagnosis_report`).
 * 事后评估 the same way after 项目实施-改造中 (kind `evaluation_report`), 评估方式 chosen at 发起评估.
 * 项目签约: the enterprise's page, which its lead unit fills in part when asked (协助签约); not a review case.
 */
import { api, call, type CallOptions } from './client'
import type { EvaluationStart, EvaluationView, DiagnosisAssignments, DiagnosisReportInput, DiagnosisTask, DiagnosisTaskView, DiagnosisView, FilingChangeInput, FilingInput, LifecycleSettings, ProjectItem, ProjectStarted, ProjectView, PresubsidyInput, PresubsidyView, ProjectPresubsidies, SigningInput, SigningItem, SigningView, ImplementationInput, ImplementationItem, ImplementationView, SyncStatusList, CompletionInput, CompletionItem, CompletionView, AcceptanceList, AcceptanceView, AcceptanceAssignments, AcceptanceInput, WindowInput } from './types'

/** Case kind of 项目备案. */
export const FILING = 'filing'
/** Case kind of 信息变更 of a filed project. */
export const FILING_CHANGE = 'filing_change'

/** 授权委托书 template (链主带动), as the filing form's file field links it. */
export const AUTHORIZATION_TEMPLATE = '/api/projects/templates/authorization.pdf'

export async function listProjects(options?: CallOptions): Promise<ProjectItem[]> {
  return (await call(api.GET('/api/projects'), options)).items
}

/** 发起备案: a new project whose filing is a draft with 企业基本信息 prefilled. */
export function startProject(options?: CallOptions): Promise<ProjectStarted> {
  return call(api.POST('/api/projects'), options)
}

/** A project by its id or by its filing's case id. */
export function fetchProject(id: string, options?: CallOptions): Promise<ProjectView> {
  return call(api.GET('/api/projects/{id}', { params: { path: { id } } }), options)
}

export function saveFiling(id: string, body: FilingInput, options?: CallOptions): Promise<ProjectView> {
  return call(api.PUT('/api/projects/{id}/filing', { params: { path: { id } }, body }), options)
}

export function submitFiling(id: string, version: number, options?: CallOptions): Promise<ProjectView> {
  return call(api.POST('/api/projects/{id}/filing/submit', { params: { path: { id } }, body: { version } }), options)
}

/** 信息变更: opens the project's change (a draft prefilled with the filed record), starting one if none is open. */
export function startFilingChange(id: string, options?: CallOptions): Promise<ProjectView> {
  return call(api.POST('/api/projects/{id}/filing/change', { params: { path: { id } } }), options)
}

export function saveFilingChange(id: string, body: FilingChangeInput, options?: CallOptions): Promise<ProjectView> {
  return call(api.PUT('/api/projects/{id}/filing/change', { params: { path: { id } }, body }), options)
}

export function submitFilingChange(id: string, version: number, options?: CallOptions): Promise<ProjectView> {
  return call(api.POST('/api/projects/{id}/filing/change/submit', { params: { path: { id } }, body: { version } }), options)
}

/** 发起诊断: the project's 诊断方式 and the enterprise's self-assessment results to choose from. */
export function fetchDiagnosis(id: string, options?: CallOptions): Promise<DiagnosisView> {
  return call(api.GET('/api/projects/{id}/diagnosis', { params: { path: { id } } }), options)
}

/** 确认 (自诊断): the chosen result becomes the project's 改造前数字化水平等级. */
export function chooseDiagnosis(id: string, assessmentId: string, options?: CallOptions): Promise<DiagnosisView> {
  return call(api.PUT('/api/projects/{id}/diagnosis', { params: { path: { id } }, body: { assessment_id: assessmentId } }), options)
}

/** 发起诊断 (诊断机构诊断): the chosen agency receives the task of writing the 事前诊断 report. */
export function chooseDiagnosisAgency(id: string, agencyId: string, options?: CallOptions): Promise<DiagnosisView> {
  return call(api.POST('/api/projects/{id}/diagnosis/agency', { params: { path: { id } }, body: { agency_id: agencyId } }), options)
}

/** 发起评估 (事后评估): the project's evaluation, the 评估方式 and the agencies, the pre-diagnosis agency preselected. */
export function fetchEvaluation(id: string, options?: CallOptions): Promise<EvaluationView> {
  return call(api.GET('/api/projects/{id}/evaluation', { params: { path: { id } } }), options)
}

/** 确认 (发起评估): 评估机构评估 gives it to the chosen agency; 市工信局分配 sends it to the city. */
export function startEvaluation(id: string, body: EvaluationStart, options?: CallOptions): Promise<EvaluationView> {
  return call(api.POST('/api/projects/{id}/evaluation', { params: { path: { id } }, body }), options)
}

/** Which agency report a city's 分配 page works on: 事前诊断 or 事后评估. */
export type ReportPhase = 'diagnosis' | 'evaluation'

/** 事前诊断分配 / 事后评估分配 (city bureau): the projects sent to the city and the agencies to assign. */
export function listAssignments(phase: ReportPhase, options?: CallOptions): Promise<DiagnosisAssignments> {
  return phase === 'diagnosis' ? listDiagnosisAssignments(options) : call(api.GET('/api/lifecycle/evaluation-assignments'), options)
}

export function assignAgency(phase: ReportPhase, projectId: string, agencyId: string, options?: CallOptions): Promise<DiagnosisAssignments> {
  if (phase === 'diagnosis') return assignDiagnosisAgency(projectId, agencyId, options)
  return call(api.POST('/api/lifecycle/evaluation-assignments/{project_id}', { params: { path: { project_id: projectId } }, body: { agency_id: agencyId } }), options)
}

/** 事前诊断分配 (city bureau): the projects filed with 市工信局分配 and the agencies to assign. */
export function listDiagnosisAssignments(options?: CallOptions): Promise<DiagnosisAssignments> {
  return call(api.GET('/api/lifecycle/diagnosis-assignments'), options)
}

export function assignDiagnosisAgency(projectId: string, agencyId: string, options?: CallOptions): Promise<DiagnosisAssignments> {
  return call(api.POST('/api/lifecycle/diagnosis-assignments/{project_id}', { params: { path: { project_id: projectId } }, body: { agency_id: agencyId } }), options)
}

/** 诊断任务 (agency): its 事前诊断 reports, newest first. */
export async function listDiagnosisTasks(options?: CallOptions): Promise<DiagnosisTask[]> {
  return (await call(api.GET('/api/diagnosis-reports'), options)).items
}

export function fetchDiagnosisTask(caseId: string, options?: CallOptions): Promise<DiagnosisTaskView> {
  return call(api.GET('/api/diagnosis-reports/{case_id}', { params: { path: { case_id: caseId } } }), options)
}

export function saveDiagnosisReport(caseId: string, body: DiagnosisReportInput, options?: CallOptions): Promise<DiagnosisTaskView> {
  return call(api.PUT('/api/diagnosis-reports/{case_id}', { params: { path: { case_id: caseId } }, body }), options)
}

export function submitDiagnosisReport(caseId: string, version: number, options?: CallOptions): Promise<DiagnosisTaskView> {
  return call(api.POST('/api/diagnosis-reports/{case_id}/submit', { params: { path: { case_id: caseId } }, body: { version } }), options)
}

/** 事前诊断期限 of the signed-in city bureau's city (days after 备案完成; the platform's default unless set). */
export function fetchLifecycleSettings(options?: CallOptions): Promise<LifecycleSettings> {
  return call(api.GET('/api/lifecycle/settings'), options)
}

export function saveLifecycleSettings(diagnosisDays: number, options?: CallOptions): Promise<LifecycleSettings> {
  return call(api.PUT('/api/lifecycle/settings', { body: { diagnosis_days: diagnosisDays } }), options)
}

/** 项目签约 list: the enterprise's filed projects, or the pages sent to a lead unit (协助签约). */
export async function listSignings(options?: CallOptions): Promise<SigningItem[]> {
  return (await call(api.GET('/api/signings'), options)).items
}

export function fetchSigning(projectId: string, options?: CallOptions): Promise<SigningView> {
  return call(api.GET('/api/projects/{id}/signing', { params: { path: { id: projectId } } }), options)
}

export function saveSigning(projectId: string, body: SigningInput, options?: CallOptions): Promise<SigningView> {
  return call(api.PUT('/api/projects/{id}/signing', { params: { path: { id: projectId } }, body }), options)
}

/** 发送牵引单位: the page goes to the lead unit (行业型服务商协助填写 = 是), with what is typed. */
export function sendSigning(projectId: string, body: SigningInput, options?: CallOptions): Promise<SigningView> {
  return call(api.POST('/api/projects/{id}/signing/send', { params: { path: { id: projectId } }, body }), options)
}

/** 提交: the enterprise signs (or confirms the lead unit's part); the lead unit hands its part back. */
export function submitSigning(projectId: string, body: SigningInput, options?: CallOptions): Promise<SigningView> {
  return call(api.POST('/api/projects/{id}/signing/submit', { params: { path: { id: projectId } }, body }), options)
}

/** 信息变更 of a signed project: the whole record, checked as at 提交 (no review). */
export function changeSigning(projectId: string, body: SigningInput, options?: CallOptions): Promise<SigningView> {
  return call(api.POST('/api/projects/{id}/signing/change', { params: { path: { id: projectId } }, body }), options)
}

export async function listImplementations(options?: CallOptions): Promise<ImplementationItem[]> {
  return (await call(api.GET('/api/implementations'), options)).items
}

export function fetchImplementation(projectId: string, options?: CallOptions): Promise<ImplementationView> {
  return call(api.GET('/api/projects/{id}/implementation', { params: { path: { id: projectId } } }), options)
}

export function saveImplementation(projectId: string, body: ImplementationInput, options?: CallOptions): Promise<ImplementationView> {
  return call(api.PUT('/api/projects/{id}/implementation', { params: { path: { id: projectId } }, body }), options)
}

/** 发送牵引单位 (行业型服务商协助填写 = 是), with what is typed. */
export function sendImplementation(projectId: string, body: ImplementationInput, options?: CallOptions): Promise<ImplementationView> {
  return call(api.POST('/api/projects/{id}/implementation/send', { params: { path: { id: projectId } }, body }), options)
}

/** 提交: the enterprise's (已提交), or the lead unit's back to the enterprise. */
export function submitImplementation(projectId: string, body: ImplementationInput, options?: CallOptions): Promise<ImplementationView> {
  return call(api.POST('/api/projects/{id}/implementation/submit', { params: { path: { id: projectId } }, body }), options)
}

/** 信息变更 of a submitted page: checked as a submission, no review. */
export function changeImplementation(projectId: string, body: ImplementationInput, options?: CallOptions): Promise<ImplementationView> {
  return call(api.POST('/api/projects/{id}/implementation/change', { params: { path: { id: projectId } }, body }), options)
}

/** 国家平台同步 of the city's projects. */
export function fetchNationalSyncStatus(options?: CallOptions): Promise<SyncStatusList> {
  return call(api.GET('/api/national-sync/status'), options)
}

/** 预奖补 of a signed project: its signed contracts (which are claimed) and its applications. */
export function fetchProjectPresubsidies(projectId: string, options?: CallOptions): Promise<ProjectPresubsidies> {
  return call(api.GET('/api/projects/{id}/presubsidies', { params: { path: { id: projectId } } }), options)
}

/** 申请预奖补 for one or more signed contracts: answers the new application's case id. */
export async function startPresubsidy(projectId: string, contracts: string[], options?: CallOptions): Promise<string> {
  return (await call(api.POST('/api/projects/{id}/presubsidies', { params: { path: { id: projectId } }, body: { contracts } }), options)).case_id
}

export function fetchPresubsidy(caseId: string, options?: CallOptions): Promise<PresubsidyView> {
  return call(api.GET('/api/presubsidies/{case_id}', { params: { path: { case_id: caseId } } }), options)
}

export function savePresubsidy(caseId: string, body: PresubsidyInput, options?: CallOptions): Promise<PresubsidyView> {
  return call(api.PUT('/api/presubsidies/{case_id}', { params: { path: { case_id: caseId } }, body }), options)
}

export function submitPresubsidy(caseId: string, version: number, options?: CallOptions): Promise<PresubsidyView> {
  return call(api.POST('/api/presubsidies/{case_id}/submit', { params: { path: { case_id: caseId } }, body: { version } }), options)
}

/** 项目实施-改造完成 list: the enterprise's projects past 项目实施-改造中. */
export async function listCompletions(options?: CallOptions): Promise<CompletionItem[]> {
  return (await call(api.GET('/api/completions'), options)).items
}

export function fetchCompletion(projectId: string, options?: CallOptions): Promise<CompletionView> {
  return call(api.GET('/api/projects/{id}/completion', { params: { path: { id: projectId } } }), options)
}

/** 保存: what was typed, incomplete or not. */
export function saveCompletion(projectId: string, body: CompletionInput, options?: CallOptions): Promise<CompletionView> {
  return call(api.PUT('/api/projects/{id}/completion', { params: { path: { id: projectId } }, body }), options)
}

/** 提交: every rule checked; the project moves on to 项目入库. */
export function submitCompletion(projectId: string, body: CompletionInput, options?: CallOptions): Promise<CompletionView> {
  return call(api.POST('/api/projects/{id}/completion/submit', { params: { path: { id: projectId } }, body }), options)
}

/** 信息变更 of a submitted page. */
export function changeCompletion(projectId: string, body: CompletionInput, options?: CallOptions): Promise<CompletionView> {
  return call(api.POST('/api/projects/{id}/completion/change', { params: { path: { id: projectId } }, body }), options)
}

/** Case kind of 项目入库. */
export const ACCEPTANCE = 'acceptance'

/** 项目入库 list: the enterprise's projects whose 项目实施-改造完成 is submitted, and its city's window. */
export function listAcceptances(options?: CallOptions): Promise<AcceptanceList> {
  return call(api.GET('/api/acceptances'), options)
}

/** A project's 项目入库, by the project's id or the case's. */
export function fetchAcceptance(id: string, options?: CallOptions): Promise<AcceptanceView> {
  return call(api.GET('/api/projects/{id}/acceptance', { params: { path: { id } } }), options)
}

/** 保存 (inside the window): what was typed, incomplete or not. */
export function saveAcceptance(id: string, values: Record<string, unknown>, version: number, options?: CallOptions): Promise<AcceptanceView> {
  return call(api.PUT('/api/projects/{id}/acceptance', { params: { path: { id } }, body: { values: values as AcceptanceInput['values'], version } }), options)
}

/** 提交 / 重新提交 (inside the window): every required field checked; final once 已入库. */
export function submitAcceptance(id: string, version: number, options?: CallOptions): Promise<AcceptanceView> {
  return call(api.POST('/api/projects/{id}/acceptance/submit', { params: { path: { id } }, body: { version } }), options)
}

/** 项目入库管理 (city): the window, the projects with their experts, the city's experts. */
export function fetchAcceptanceAssignments(options?: CallOptions): Promise<AcceptanceAssignments> {
  return call(api.GET('/api/acceptance/assignments'), options)
}

/** 分配验收专家 of one project (until 验收专家审核 has opened). */
export function assignAcceptanceExpert(projectId: string, expertId: string, options?: CallOptions): Promise<AcceptanceAssignments> {
  return call(api.PUT('/api/projects/{id}/acceptance/expert', { params: { path: { id: projectId } }, body: { expert_id: expertId } }), options)
}

/** 项目入库开放时段 of the city. */
export function saveAcceptanceWindow(body: WindowInput, options?: CallOptions): Promise<AcceptanceAssignments> {
  return call(api.PUT('/api/acceptance/window', { body }), options)
}
