// @vitest-environment happy-dom
/**
 * The 信息变更 dialog on the form engine: it draws the server's schema with FormRenderer, starts from the
 * registered information, sends the request and shows the server's problems under their fields. Interactive:
 * needs happy-dom (skipped without it, like the form folder's component tests).
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { click, hasDom, mountWithModel, settle, type, type Mounted } from '@/components/form/testDom'
import { ApiError } from '@/api/errors'
import infoChangeForm from '../../../../data/forms/info_change.json'

const submitChangeRequest = vi.fn()

vi.mock('@/api/orgs', () => ({
  fetchInfoChangeForm: vi.fn(async () => infoChangeForm),
  listChangeRequests: vi.fn(async () => []),
  submitChangeRequest: (...args: unknown[]) => submitChangeRequest(...args),
}))
vi.mock('vue-router', () => ({ useRouter: () => ({ push: vi.fn() }) }))
vi.mock('@/stores/session', () => ({ useSessionStore: () => ({ user: { organization: { name: '惠州市华阳精机有限公司' } } }) }))
vi.mock('@/stores/org', () => ({
  useOrgStore: () => ({
    me: {
      organization: { name: '惠州市华阳精机有限公司', uscc: '91440300708461136T', region_code: '441302' },
      profile: { sub_industry: '模具制造', contact_name: '赵经理' },
    },
  }),
}))

// The dialog's own Element Plus styles (the form folder's helpers mock the form's); Node cannot load .css.
for (const s of ['loading', 'dialog', 'overlay', 'table', 'table-column', 'result', 'empty', 'scrollbar', 'tooltip', 'popper', 'cascader', 'cascader-panel', 'badge'])
  vi.doMock(`element-plus/es/components/${s}/style/css`, () => ({}))

const { default: InfoChangeDialog } = await import('./InfoChangeDialog.vue')

let mounted: Mounted<boolean> | null = null
afterEach(() => {
  mounted?.unmount()
  mounted = null
  submitChangeRequest.mockReset()
})

const field = (key: string) => document.body.querySelector<HTMLElement>(`[data-test=info-change-form] [data-field="${key}"]`)
const input = (key: string) => field(key)?.querySelector<HTMLInputElement>('input')

describe.skipIf(!hasDom)('InfoChangeDialog', { timeout: 30_000 }, () => {
  it('draws the server’s form filled from the registered information, and shows refusals under their fields', async () => {
    mounted = mountWithModel<boolean>(InfoChangeDialog, false)
    mounted.model.value = true
    await settle(10)
    expect(input('name')!.value).toBe('惠州市华阳精机有限公司')
    expect(input('uscc')!.value).toBe('91440300708461136T')
    expect(input('contact_phone')!.value).toBe('')
    expect(field('region_code')!.querySelector('.el-cascader')).not.toBeNull()
    expect(field('attachment_ids')).not.toBeNull()

    submitChangeRequest.mockRejectedValueOnce(
      new ApiError(422, 'validation', '请检查标红的填写项', [{ field: 'contact_phone', message: '「联系电话」应为11位手机号码，当前为10位' }]),
    )
    await type(input('contact_phone'), '1350000111')
    await click(document.body.querySelector('[data-test=info-change-submit]'))
    await settle(10)
    expect(submitChangeRequest).toHaveBeenCalledTimes(1)
    expect(submitChangeRequest.mock.calls[0]![0]).toEqual({
      name: '惠州市华阳精机有限公司',
      uscc: '91440300708461136T',
      region_code: '441302',
      sub_industry: '模具制造',
      contact_name: '赵经理',
      contact_phone: '1350000111',
      attachment_ids: [],
    })
    expect(field('contact_phone')!.classList.contains('is-error')).toBe(true)
    expect(document.body.textContent).toContain('「联系电话」应为11位手机号码，当前为10位')

    submitChangeRequest.mockResolvedValueOnce({ message: '信息变更申请已提交，待市工信局审核通过后生效' })
    await type(input('contact_phone'), '13500001111')
    await click(document.body.querySelector('[data-test=info-change-submit]'))
    await settle(10)
    expect(submitChangeRequest.mock.calls[1]![0]).toMatchObject({ contact_phone: '13500001111' })
    expect(document.body.querySelector('[data-test=info-change-submitted]')!.textContent).toContain('信息变更申请已提交，待市工信局审核通过后生效')
  })
})
