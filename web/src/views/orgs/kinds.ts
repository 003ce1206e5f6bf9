/**
 * The organization's review case kinds: 服务商认证 (a provider's certification) and 信息变更 (name, credit
 * code, region or contact). The owner edits either on the case page with the organization's form
 * (OrgCaseEditForm.vue; fields in caseForms.ts).
 */
import { defineAsyncComponent } from 'vue'
import { INFO_CHANGE, PROVIDER_CERTIFICATION } from '@/api/orgs'
import { registerCaseKind } from '@/views/review/kinds'

const editComponent = defineAsyncComponent(() => import('./OrgCaseEditForm.vue'))

registerCaseKind({
  key: PROVIDER_CERTIFICATION,
  label: '服务商认证审核',
  editComponent,
  sections: [
    { title: '企业信息', keys: ['company_name', 'uscc', 'region_code', 'address', 'industry_code'] },
    { title: '服务信息', keys: ['service_scopes', 'introduction'] },
    { title: '联系人', keys: ['contact_name', 'contact_phone'] },
  ],
})
registerCaseKind({
  key: INFO_CHANGE,
  label: '信息变更',
  editComponent,
  sections: [
    { title: '变更后的企业信息', keys: ['name', 'uscc', 'region_code', 'sub_industry'] },
    { title: '联系人', keys: ['contact_name', 'contact_phone'] },
  ],
})
