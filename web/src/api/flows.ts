/**
 * 审核流程管理 (system administrator, docs/review-engine.md "Flows"): the current version of every flow,
 * the versions of one flow, and saving an edited flow as a new version. The generated schema types
 * `spec` as an untyped object; its shape is `FlowSpec` in views/review/flowSpec.ts.
 */
import { api, call, type CallOptions } from './client'
import type { paths } from './schema'
import type { FlowSpec } from '@/views/review/flowSpec'

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never

export type FlowList = Json<paths['/api/review/flows']['get']['responses'][200]>
export type FlowView = FlowList['items'][number]

/** The current version of each flow, by key. */
export async function listFlows(options?: CallOptions): Promise<FlowView[]> {
  return (await call(api.GET('/api/review/flows'), options)).items
}

/** Every version of one flow, newest first. */
export async function listFlowVersions(key: string, options?: CallOptions): Promise<FlowView[]> {
  return (await call(api.GET('/api/review/flows/{key}', { params: { path: { key } } }), options)).items
}

/**
 * Saves `spec` as the next version of flow `key` (201 the new version; the server sets the version
 * number). 422 carries the server's Chinese reason (`FlowError`).
 */
export function createFlowVersion(key: string, spec: FlowSpec, options?: CallOptions): Promise<FlowView> {
  // The schema declares the body as a bare object (`FlowSpec` is not in the OpenAPI document).
  const body = spec as unknown as Record<string, never>
  return call(api.POST('/api/review/flows/{key}', { params: { path: { key } }, body }), options)
}
