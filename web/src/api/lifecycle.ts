/**
 * 项目全流程 (lifecycle, seed 002, spec 40): the enterprise's pilot projects (项目总览), 发起备案 and the filing
 * (保存 / 提交), and 信息变更 of a filed project. Reviewers work on the review pages like every other case
 * (kinds `filing` and `filing_change`).
 */
import { api, call, type CallOptions } from './client'
import type { DiagnosisView, FilingChangeInput, FilingInput, ProjectItem, ProjectStarted, ProjectView } from './types'

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
