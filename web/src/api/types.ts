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
export type ManagedUser = UserPage['items'][number]
export type UserCreate = Body<paths['/api/users']['post']>
export type UserUpdate = Body<paths['/api/users/{id}']['put']>

export type AuditPage = Ok<paths['/api/audit']['get']>
export type AuditEntry = AuditPage['items'][number]
export type AuditQuery = NonNullable<paths['/api/audit']['get']['parameters']['query']>

export type RegionListResponse = Ok<paths['/api/regions']['get']>
export type Region = RegionListResponse['items'][number]
export type RegionDetail = Ok<paths['/api/regions/{code}']['get']>

export type Industry = Ok<paths['/api/industries']['get']>['items'][number]

export type FilePurpose = Ok<paths['/api/files/purposes']['get']>['items'][number]
/**
 * `credential` (证照与证明材料: licences, credit reports, cooperation proofs, contracts; 10 MB) is listed by
 * the server's GET /api/files/purposes; named here until it is in the generated schema.
 */
export type FilePurposeName = FilePurpose['purpose'] | 'credential'
export type StoredFile = Ok<paths['/api/files']['post'], 201>
export type FileListPage = Ok<paths['/api/files']['get']>
