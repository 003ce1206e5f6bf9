/**
 * The calls' review case kinds: an enterprise's application to a call (003: district → city → province, or
 * city → province where the track has no district review) and
 * to a pilot call (004: the city), both edited on the application page of 我要申报 / 我的项目.
 */
import { registerCaseKind } from '@/views/review/kinds'

const editPath = (caseId: string) => `/workbench/calls/applications/${encodeURIComponent(caseId)}`

registerCaseKind({ key: 'call_application', label: '项目申报', editPath })
registerCaseKind({ key: 'call_application_city', label: '项目申报', editPath })
registerCaseKind({ key: 'pilot_application', label: '试点企业申报', editPath })
