/**
 * Names for the API shapes the UI uses, all derived from the GENERATED `schema.d.ts`
 * (run `npm run gen:api`). Nothing here is hand-written: every alias points into `paths`,
 * so renaming a component schema on the server does not break the front end, while
 * changing a response shape fails the type check.
 */
import type { paths } from './schema'

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never

export type ErrorEnvelope = Json<paths['/api/auth/me']['get']['responses'][401]>
export type FieldError = ErrorEnvelope['error']['fields'][number]

export type Site = Json<paths['/api/site']['get']['responses'][200]>
export type Health = Json<paths['/api/health']['get']['responses'][200]>

export type SessionUser = Json<paths['/api/auth/me']['get']['responses'][200]>['user']
export type Organization = SessionUser['organization']
export type LoginRequest = NonNullable<
  paths['/api/auth/login']['post']['requestBody']
>['content']['application/json']

export type RegionListResponse = Json<paths['/api/regions']['get']['responses'][200]>
export type Region = RegionListResponse['items'][number]
export type RegionDetail = Json<paths['/api/regions/{code}']['get']['responses'][200]>

export type Industry = Json<paths['/api/industries']['get']['responses'][200]>['items'][number]

export type FilePurpose = Json<paths['/api/files/purposes']['get']['responses'][200]>['items'][number]
export type FilePurposeName = FilePurpose['purpose']
export type StoredFile = Json<paths['/api/files']['post']['responses'][201]>
export type FileListPage = Json<paths['/api/files']['get']['responses'][200]>
