/**
 * Names for the API shapes the UI uses, all derived from the GENERATED `schema.d.ts`
 * (run `npm run gen:api`). Nothing here is hand-written: every alias points into `paths`,
 * so renaming a component schema on the server does not break the front end, while
 * changing a response shape fails the type check.
 */
import type { paths } from './schema'

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never
type Body<Op> = Op extends { requestBody?: infer B } ? Json<NonNullable<B>> : never
type Ok<Op, S extends number = 200> = Op extends { responses: infer R } ? (S extends keyof R ? Json<R[S]> : never) : never

export type ErrorEnvelope = Json<paths['/api/auth/me']['get']['responses'][401]>
export type FieldError = ErrorEnvelope['error']['fields'][number]

export type Site = Ok<paths['/api/site']['get']>
export type Health = Ok<paths['/api/health']['get']>

export type SessionUser = Ok<paths['/api/auth/me']['get']>['user']
export type Organization = SessionUser['organization']
export type Role = SessionUser['roles'][number]
export type OrgKind = Organization['kind']
export type LoginRequest = Body<paths['/api/auth/login']['post']>
export type SmsLoginRequest = Body<paths['/api/auth/login/sms']['post']>

export type Captcha = Ok<paths['/api/captcha']['get']>
export type PasswordPolicy = Ok<paths['/api/auth/password-policy']['get']>
export type SmsSendRequest = Body<paths['/api/sms/send']['post']>
export type SmsPurpose = SmsSendRequest['purpose']
export type SmsSent = Ok<paths['/api/sms/send']['post']>
export type PasswordResetRequest = Body<paths['/api/auth/password/reset']['post']>
export type PasswordChangeRequest = Body<paths['/api/auth/password']['post']>
export type PhoneChangeRequest = Body<paths['/api/auth/phone']['post']>

export type CompanyMatch = Ok<paths['/api/companies/search']['get']>['items'][number]
export type ServiceScope = Ok<paths['/api/providers/service-scopes']['get']>['items'][number]
export type RegisterRequest = Body<paths['/api/register']['post']>
export type RegisterKind = RegisterRequest['kind']

export type OrgMe = Ok<paths['/api/orgs/me']['get']>
export type OrgDetail = OrgMe['organization']
export type CertificationStatus = OrgDetail['certification_status']
export type OrgProfile = OrgMe['profile']
export type ProfileUpdate = Body<paths['/api/orgs/me/profile']['put']>
export type ChangeRequestCreate = Body<paths['/api/orgs/me/change-requests']['post']>
export type ChangeRequestCreated = Ok<paths['/api/orgs/me/change-requests']['post'], 201>
export type ChangeRequest = Ok<paths['/api/orgs/me/change-requests']['get']>['items'][number]
export type Material = Ok<paths['/api/orgs/me/materials']['get']>['items'][number]
export type MaterialCreate = Body<paths['/api/orgs/me/materials']['post']>

export type Department = Ok<paths['/api/departments']['get']>['items'][number]
export type DepartmentInput = Body<paths['/api/departments']['post']>

export type Permission = Ok<paths['/api/permissions']['get']>['items'][number]
export type UserPage = Ok<paths['/api/users']['get']>
export type UserQuery = NonNullable<paths['/api/users']['get']['parameters']['query']>
export type ManagedUser = UserPage['items'][number]
export type UserCreate = Body<paths['/api/users']['post']>
export type UserUpdate = Body<paths['/api/users/{id}']['put']>

export type AuditPage = Ok<paths['/api/audit']['get']>
export type AuditEntry = AuditPage['items'][number]
export type AuditQuery = NonNullable<paths['/api/audit']['get']['parameters']['query']>
export type AuditVocabulary = Ok<paths['/api/audit/vocabulary']['get']>

export type RegionListResponse = Ok<paths['/api/regions']['get']>
export type Region = RegionListResponse['items'][number]
export type RegionDetail = Ok<paths['/api/regions/{code}']['get']>

export type Industry = Ok<paths['/api/industries']['get']>['items'][number]

// 评估评测 (assessment): the edition, the draft and the results. Their JSON members (`content`, `answers`,
// `result`) are bare objects in the schema; their shapes are in assessment.ts.
export type EditionView = Ok<paths['/api/assessment/edition']['get']>
export type DraftView = NonNullable<Ok<paths['/api/assessments/draft']['get']>>
export type MissingItem = DraftView['missing'][number]
export type SaveDraftBody = Body<paths['/api/assessments/draft']['put']>
export type AssessmentList = Ok<paths['/api/assessments']['get']>
export type AssessmentSummary = AssessmentList['items'][number]
export type AssessmentDetail = Ok<paths['/api/assessments/{id}']['get']>

export type FilePurpose = Ok<paths['/api/files/purposes']['get']>['items'][number]
export type FilePurposeName = FilePurpose['purpose']
export type StoredFile = Ok<paths['/api/files']['post'], 201>
export type FileListPage = Ok<paths['/api/files']['get']>

// 审核 (the review engine): cases, actions, round diffs, the to-do list, the message board, flows and
// the in-site notifications ------------------------------------------------------------------------------

export type CasePage = Ok<paths['/api/review/cases']['get']>
/** One row of the owner list (我的申请). */
export type CaseSummary = CasePage['items'][number]
export type CaseQuery = NonNullable<paths['/api/review/cases']['get']['parameters']['query']>
export type CaseDetail = Ok<paths['/api/review/cases/{id}']['get']>
/** The form read-only: a labelled row, value already formatted as text. */
export type FieldRow = CaseDetail['fields'][number]
/** A stored file attached to a case or a trail record (download: GET /api/files/{id}). */
export type FileRef = CaseDetail['attachments'][number]
/** One stage of 审核进度. */
export type ProgressStage = CaseDetail['progress'][number]
/** One record of 办理记录 (append-only). */
export type TrailEntry = CaseDetail['trail'][number]
/** A submission (round) and when it was made. */
export type RoundRef = CaseDetail['rounds'][number]
export type RoundDiff = Ok<paths['/api/review/cases/{id}/diff']['get']>
export type FieldChange = RoundDiff['changes'][number]
export type ActionRequest = Body<paths['/api/review/cases/{id}/actions']['post']>

export type TaskPage = Ok<paths['/api/review/tasks']['get']>
/** One row of the to-do list (待办审核). */
export type TaskItem = TaskPage['items'][number]
/** Per stage counts on the to-do page (待审核 / 已通过). */
export type StageCount = TaskPage['counts'][number]
export type TaskQuery = NonNullable<paths['/api/review/tasks']['get']['parameters']['query']>
export type BatchItem = Body<paths['/api/review/tasks/batch-approve']['post']>['items'][number]
export type BatchApproveResponse = Ok<paths['/api/review/tasks/batch-approve']['post']>
export type BatchResult = BatchApproveResponse['results'][number]

/** A message on a case's 留言板. */
export type CaseMessage = Ok<paths['/api/review/cases/{id}/messages']['get']>['items'][number]
/** A message on any case the caller's organization owns or reviews (workbench 留言板). */
export type BoardMessage = Ok<paths['/api/review/messages']['get']>['items'][number]

export type FlowList = Ok<paths['/api/review/flows']['get']>
export type FlowView = FlowList['items'][number]

export type NotificationPage = Ok<paths['/api/notifications']['get']>
export type Notification = NotificationPage['items'][number]
export type NotificationQuery = NonNullable<paths['/api/notifications']['get']['parameters']['query']>

// 服务商 and 牵引单位 (providers): lead units, memberships, alliance members ---------------------------

/** A lead unit (数字化牵引单位) to choose from. */
export type LeadUnit = Ok<paths['/api/lead-units']['get']>['items'][number]
/** A lead unit the provider is bound to (approved application). */
export type Membership = Ok<paths['/api/providers/me/memberships']['get']>['items'][number]
/** A member of the lead unit's 产业生态联合体 (生态伙伴). */
export type AllianceMember = Ok<paths['/api/lead-units/me/members']['get']>['items'][number]
export type PoolQuery = NonNullable<paths['/api/lead-units/me/pool']['get']['parameters']['query']>

// 产品 (products): categories and the public catalogue ---------------------------------------------------

/** 产品/服务类别（业务环节）: one group (产品生命周期数字化 …) and its business areas / systems. */
export type CategoryGroup = Ok<paths['/api/products/categories']['get']>['groups'][number]
export type ProductPage = Ok<paths['/api/catalogue/products']['get']>
/** An approved product as lists and the catalogue show it. */
export type ProductCard = ProductPage['items'][number]
export type ProviderPage = Ok<paths['/api/catalogue/providers/{id}']['get']>
export type CatalogueQuery = NonNullable<paths['/api/catalogue/products']['get']['parameters']['query']>

// 申报审核 and 推荐函 (calls/reviewing) ---------------------------------------------------------------------

/** A track on 申报审核: its counts, deadlines and letters. */
export type ReviewingRow = Ok<paths['/api/calls/reviewing']['get']>['items'][number]
export type LetterList = Ok<paths['/api/calls/letters']['get']>
export type RecommendationLetter = LetterList['own'][number]
/** 推荐汇总与公示: a program the bureau takes part in. */
export type ResultProgram = Ok<paths['/api/calls/results']['get']>['items'][number]
export type NewResultNotice = Body<paths['/api/calls/results']['post']>
/** A published 结果公示 with its list. */
export type ResultNotice = Ok<paths['/api/public/results/{id}']['get']>
export type ResultNoticePage = Ok<paths['/api/public/results']['get']>
export type ResultNoticeSummary = ResultNoticePage['items'][number]
/** 指定单位 read from an uploaded workbook. */
export type NamedApplicant = Ok<paths['/api/calls/named-applicants']['post']>['items'][number]

// 项目全流程 (lifecycle): the enterprise's projects and their filing.
export type ProjectList = Ok<paths['/api/projects']['get']>
export type ProjectItem = ProjectList['items'][number]
export type ProjectStageSlot = ProjectItem['stages'][number]
export type ProjectView = Ok<paths['/api/projects/{id}']['get']>
export type FilingView = ProjectView['filing']
export type FilingInput = Body<paths['/api/projects/{id}/filing']['put']>
export type FilingChangeInput = Body<paths['/api/projects/{id}/filing/change']['put']>
export type ProjectStarted = Ok<paths['/api/projects']['post'], 201>
export type DiagnosisView = Ok<paths['/api/projects/{id}/diagnosis']['get']>
export type DiagnosisSlot = ProjectItem['diagnosis']
export type EvaluationView = Ok<paths['/api/projects/{id}/evaluation']['get']>
export type EvaluationSlot = ProjectItem['evaluation']
export type EvaluationStart = Body<paths['/api/projects/{id}/evaluation']['post']>
// 事前诊断 by an agency: the city's 事前诊断分配 and the agency's 诊断任务.
export type DiagnosisAssignments = Ok<paths['/api/lifecycle/diagnosis-assignments']['get']>
export type DiagnosisAssignment = DiagnosisAssignments['items'][number]
export type DiagnosisTask = Ok<paths['/api/diagnosis-reports']['get']>['items'][number]
export type DiagnosisTaskView = Ok<paths['/api/diagnosis-reports/{case_id}']['get']>
export type SigningItem = Ok<paths['/api/signings']['get']>['items'][number]
export type SigningView = Ok<paths['/api/projects/{id}/signing']['get']>
export type SigningInput = Body<paths['/api/projects/{id}/signing']['put']>
export type SignedProduct = SigningView['products'][number]
export type ImplementationItem = Ok<paths['/api/implementations']['get']>['items'][number]
export type ImplementationView = Ok<paths['/api/projects/{id}/implementation']['get']>
export type ImplementationInput = Body<paths['/api/projects/{id}/implementation']['put']>
export type ImplementationForm = ImplementationView['form']
export type CompletionItem = Ok<paths['/api/completions']['get']>['items'][number]
export type CompletionView = Ok<paths['/api/projects/{id}/completion']['get']>
export type CompletionInput = Body<paths['/api/projects/{id}/completion']['put']>
export type CompletionForm = CompletionView['form']
export type AcceptanceList = Ok<paths['/api/acceptances']['get']>
export type AcceptanceItem = AcceptanceList['items'][number]
export type AcceptanceWindow = AcceptanceList['window']
export type AcceptanceView = Ok<paths['/api/projects/{id}/acceptance']['get']>
export type AcceptanceInput = Body<paths['/api/projects/{id}/acceptance']['put']>
export type AcceptanceAssignments = Ok<paths['/api/acceptance/assignments']['get']>
export type WindowInput = Body<paths['/api/acceptance/window']['put']>
export type SyncStatusList = Ok<paths['/api/national-sync/status']['get']>
export type ProjectPresubsidies = Ok<paths['/api/projects/{id}/presubsidies']['get']>
export type PresubsidyView = Ok<paths['/api/presubsidies/{case_id}']['get']>
export type PresubsidyInput = Body<paths['/api/presubsidies/{case_id}']['put']>
export type DiagnosisReportInput = Body<paths['/api/diagnosis-reports/{case_id}']['put']>
export type LifecycleSettings = Ok<paths['/api/lifecycle/settings']['get']>
export type AnnouncementList = Ok<paths['/api/announcements']['get']>
export type AnnouncementItem = AnnouncementList['items'][number]
export type ManagedAnnouncements = Ok<paths['/api/announcements/manage']['get']>
export type ManagedAnnouncement = ManagedAnnouncements['items'][number]
export type AnnouncementInput = Body<paths['/api/announcements/manage']['post']>
export type Dashboard = Ok<paths['/api/dashboard']['get']>
export type DashboardCaseQuery = NonNullable<paths['/api/dashboard/cases']['get']['parameters']['query']>
export type DashboardCasePage = Ok<paths['/api/dashboard/cases']['get']>
export type DashboardOverdueQuery = NonNullable<paths['/api/dashboard/overdue']['get']['parameters']['query']>
export type DashboardOverduePage = Ok<paths['/api/dashboard/overdue']['get']>
export type DashboardAssessmentQuery = NonNullable<paths['/api/dashboard/assessments']['get']['parameters']['query']>
export type DashboardAssessmentPage = Ok<paths['/api/dashboard/assessments']['get']>

// 企业管理 and 信用核查 (issue 20, seed 003 §4.3.4)
export type EnterpriseQuery = NonNullable<paths['/api/enterprises']['get']['parameters']['query']>
export type EnterpriseList = Ok<paths['/api/enterprises']['get']>
export type EnterpriseRow = EnterpriseList['items'][number]
export type DishonestListInfo = EnterpriseList['list']
export type EnterpriseProfile = Ok<paths['/api/enterprises/{id}']['get']>
export type CreditAnswer = Ok<paths['/api/enterprises/credit-checks']['post']>
export type CreditBatchResult = Ok<paths['/api/enterprises/credit-checks/batch']['post']>

// 门户内容 and 站内搜索 (issue 20)
export type PortalHome = Ok<paths['/api/portal/home']['get']>
export type PortalItemSummary = PortalHome['notices'][number]
export type PortalRecommended = PortalHome['recommended'][number]
export type PortalItemPage = Ok<paths['/api/portal/items']['get']>
export type PortalItemDetail = Ok<paths['/api/portal/items/{id}']['get']>
export type PortalObjection = Ok<paths['/api/portal/items/{id}/objections']['post']>
export type PortalObjectionInput = Body<paths['/api/portal/items/{id}/objections']['post']>
export type PortalObjectionList = Ok<paths['/api/portal/objections']['get']>
export type PortalManagedList = Ok<paths['/api/portal/manage']['get']>
export type PortalManagedItem = PortalManagedList['items'][number]
export type PortalItemInput = Body<paths['/api/portal/manage']['post']>
export type PortalKind = PortalManagedItem['kind']
export type SearchResults = Ok<paths['/api/search']['get']>
export type SearchHit = SearchResults['items'][number]
