/**
 * The 信息变更 dialog's values (InfoChangeDialog.vue): the form itself is the server's schema
 * (data/forms/info_change.json, GET /api/orgs/me/change-requests/form) drawn by FormRenderer, with the
 * server's keys (`name`, `uscc`, `region_code`, `sub_industry`, `contact_name`, `contact_phone`,
 * `attachment_ids`). Here: what the form starts from (the registered information and the profile) and the
 * request it sends.
 */
import type { ChangeRequestCreate, OrgMe } from '@/api/types'
import type { FormValues } from '@/components/form/schema'

/** The signed-in user's organization as the session knows it (before GET /api/orgs/me has answered). */
export interface SessionOrg {
  name?: string | null
  uscc?: string | null
  region_code?: string | null
}

/**
 * The form filled in with what is registered now, so the applicant changes only what differs. The phone
 * starts empty: the profile keeps only its masked form, and the reviewer must read the number to reach them.
 */
export function prefillValues(me: OrgMe | null | undefined, session: SessionOrg | null | undefined): FormValues {
  const o = me?.organization
  const p = me?.profile
  const values: FormValues = {
    name: o?.name ?? session?.name ?? '',
    uscc: o?.uscc ?? session?.uscc ?? '',
    sub_industry: p?.sub_industry ?? '',
    contact_name: p?.contact_name ?? '',
    contact_phone: '',
    attachment_ids: [],
  }
  const region = o?.region_code ?? session?.region_code
  if (region) values.region_code = region
  return values
}

function str(v: unknown): string {
  return typeof v === 'string' ? v.trim() : ''
}

/** The request from the form's values: text trimmed, the credit code in capitals, an empty 细分行业 as null. */
export function toRequest(values: FormValues): ChangeRequestCreate {
  const ids = Array.isArray(values.attachment_ids) ? values.attachment_ids.filter((x): x is string => typeof x === 'string') : []
  return {
    name: str(values.name),
    uscc: str(values.uscc).toUpperCase(),
    region_code: str(values.region_code),
    sub_industry: str(values.sub_industry) || null,
    contact_name: str(values.contact_name),
    contact_phone: str(values.contact_phone),
    attachment_ids: ids,
  }
}
