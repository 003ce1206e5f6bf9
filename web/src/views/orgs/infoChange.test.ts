import { describe, expect, it } from 'vitest'
import '@/components/form/testDom'
import { createSSRApp, h } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { ID_INJECTION_KEY, ZINDEX_INJECTION_KEY } from 'element-plus'
import FormRenderer from '@/components/form/FormRenderer.vue'
import { allFields, type FormSchema } from '@/components/form/schema'
import type { OrgMe } from '@/api/types'
import infoChangeForm from '../../../../data/forms/info_change.json'
import { prefillValues, toRequest } from './infoChange'

/** The form the server embeds and serves (GET /api/orgs/me/change-requests/form). */
const schema = infoChangeForm as FormSchema

const me = {
  organization: { name: '惠州市华阳精机有限公司', uscc: '91440300708461136T', region_code: '441302' },
  profile: { sub_industry: '模具制造', contact_name: '赵经理', contact_phone_masked: '135****1111' },
} as unknown as OrgMe

describe('信息变更 on the form engine', () => {
  it('the schema has exactly the keys the stored change has, with the credit code, phone and region checked', () => {
    const fields = allFields(schema).map((l) => l.field)
    expect(fields.map((f) => f.key)).toEqual(['name', 'uscc', 'region_code', 'sub_industry', 'contact_name', 'contact_phone', 'attachment_ids'])
    expect(fields.find((f) => f.key === 'uscc')).toMatchObject({ type: 'text', format: 'uscc', required: true })
    expect(fields.find((f) => f.key === 'contact_phone')).toMatchObject({ type: 'text', format: 'phone', required: true })
    expect(fields.find((f) => f.key === 'region_code')).toMatchObject({ type: 'region', required: true })
    expect(fields.find((f) => f.key === 'attachment_ids')).toMatchObject({ type: 'file', max_count: 5 })
    // The request sends every field of the form, under the same keys.
    expect(Object.keys(toRequest({})).sort()).toEqual(fields.map((f) => f.key).sort())
  })

  it('starts from the registered information and the profile; the phone is typed anew', () => {
    expect(prefillValues(me, null)).toEqual({
      name: '惠州市华阳精机有限公司',
      uscc: '91440300708461136T',
      region_code: '441302',
      sub_industry: '模具制造',
      contact_name: '赵经理',
      contact_phone: '',
      attachment_ids: [],
    })
    // Before GET /api/orgs/me has answered, the session's organization.
    expect(prefillValues(null, { name: '甲公司', uscc: null, region_code: null })).toEqual({
      name: '甲公司',
      uscc: '',
      sub_industry: '',
      contact_name: '',
      contact_phone: '',
      attachment_ids: [],
    })
  })

  it('sends text trimmed, the credit code in capitals, an empty 细分行业 as null, only file ids', () => {
    expect(
      toRequest({
        name: ' 惠州市华阳精机股份有限公司 ',
        uscc: '91440300708461136t ',
        region_code: '441302',
        sub_industry: '  ',
        contact_name: '钱经理',
        contact_phone: ' 135 0000 1111',
        attachment_ids: ['f-1', 3, 'f-2'],
      }),
    ).toEqual({
      name: '惠州市华阳精机股份有限公司',
      uscc: '91440300708461136T',
      region_code: '441302',
      sub_industry: null,
      contact_name: '钱经理',
      contact_phone: '135 0000 1111',
      attachment_ids: ['f-1', 'f-2'],
    })
  })

  it('FormRenderer draws it: required marks, the formats, the region picker, files up to 5, the server’s messages', async () => {
    const errors = [{ field: 'uscc', message: '「统一社会信用代码」校验位不正确，请核对后重新输入' }]
    const app = createSSRApp({ render: () => h(FormRenderer, { schema, modelValue: prefillValues(me, null), errors }) })
    app.provide(ID_INJECTION_KEY, { prefix: 1, current: 0 })
    app.provide(ZINDEX_INJECTION_KEY, { current: 0 })
    const html = await renderToString(app)
    const at = (key: string) => {
      const i = html.indexOf(`data-field="${key}"`)
      const next = html.indexOf('data-field="', i + 12)
      return html.slice(html.lastIndexOf('<', i), next < 0 ? undefined : html.lastIndexOf('<', next))
    }
    const text = (s: string) => s.replace(/<!--.*?-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()
    for (const key of ['name', 'uscc', 'region_code', 'contact_name', 'contact_phone']) expect(at(key), key).toContain('is-required')
    expect(at('sub_industry')).not.toContain('is-required')
    expect(at('uscc')).toContain('placeholder="请输入18位统一社会信用代码"')
    expect(at('uscc')).toContain('is-error')
    expect(text(html)).toContain('「统一社会信用代码」校验位不正确，请核对后重新输入')
    expect(at('contact_phone')).toContain('placeholder="请输入11位手机号码"')
    expect(at('region_code')).toContain('el-cascader')
    expect(text(at('attachment_ids'))).toContain('最多 5 个')
    expect(text(html)).toContain('信息变更须经市级主管部门审核通过后生效')
  })
})
