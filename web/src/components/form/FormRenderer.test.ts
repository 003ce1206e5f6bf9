// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { installFormA11y } from '@/utils/formA11y'
import { byText, click, hasDom, mountWithModel, settle, type, type Mounted } from './testDom'
import FormRenderer from './FormRenderer.vue'
import FormView from './FormView.vue'
import { sampleSchema, validValues } from './sampleSchema'
import type { FormSchema, FormValues } from './schema'

const schema = sampleSchema()

/** A table whose rows each carry their own file: a contract's name and its 项目合同 (PDF). */
const contractsSchema: FormSchema = {
  title: '合同',
  sections: [
    {
      key: 's',
      title: '合同情况',
      fields: [
        {
          key: 'contracts',
          label: '合同',
          type: 'table',
          min_rows: 1,
          max_rows: 5,
          columns: [
            { key: 'name', label: '项目名称', type: 'text' },
            { key: 'scan', label: '项目合同', type: 'file', accept: ['pdf'], max_mb: 10, max_count: 1, required: true },
          ],
        },
      ],
    },
  ],
}
let mounted: Mounted<FormValues> | null = null

// As main.ts does: form items tie their label, required mark and error to their controls.
beforeAll(() => {
  if (hasDom) installFormA11y()
})

afterEach(() => {
  mounted?.unmount()
  mounted = null
})

function mount(values: FormValues = {}, props: Record<string, unknown> = {}) {
  mounted = mountWithModel<FormValues>(FormRenderer, values, { schema, ...props })
  return mounted
}

const item = (el: HTMLElement, path: string) => el.querySelector<HTMLElement>(`[data-field="${path}"]`)
const input = (el: HTMLElement, path: string) => item(el, path)?.querySelector<HTMLInputElement>('input:not([type=radio]):not([type=checkbox]), textarea')

describe.skipIf(!hasDom)('FormRenderer', { timeout: 30_000 }, () => {
  it('draws one tab per section and a labelled input of each kind', async () => {
    const { el } = mount()
    await settle()
    const tabs = [...el.querySelectorAll('[role=tab]')].map((t) => t.textContent?.trim())
    expect(tabs).toEqual(['基本情况', '经营情况'])
    // Required marks, hints, the reference note, the file rules and the notice.
    expect(item(el, 'intro')!.classList.contains('is-required')).toBe(true)
    expect(item(el, 'org_name')!.textContent).toContain('自动带出，如需修改请更新单位信息')
    expect(item(el, 'license')!.textContent).toContain('支持 PDF、JPG 格式，单个文件不超过 20 MB，最多 2 个（已上传 0 个）')
    expect(item(el, 'license')!.querySelector('[data-test=form-file-unavailable]')).not.toBeNull()
    expect(el.querySelector('[role=note]')!.textContent).toContain('以下内容据实填写')
    // Every input is named by its label (<label for>) or an aria attribute.
    const unnamed = [...el.querySelectorAll<HTMLInputElement>('input:not([type=hidden]):not([type=file]), textarea')].filter((i) => {
      if (i.getAttribute('aria-label') || i.getAttribute('aria-labelledby')) return false
      if (i.id && el.querySelector(`label[for="${i.id}"]`)) return false
      return !i.closest('label')
    })
    expect(unnamed.map((i) => i.closest('[data-field]')?.getAttribute('data-field'))).toEqual([])
    // Fixed rows named in the first column under its heading; the cell named 「表 行 列」.
    const years = item(el, 'years')!
    expect(years.querySelector('thead th')!.textContent).toBe('年度')
    expect([...years.querySelectorAll('tbody th')].map((t) => t.textContent)).toEqual(['2021年', '2022年', '2023年'])
    expect(item(el, 'years[1].revenue')!.querySelector('label')!.textContent).toContain('近三年经营情况 2022年 营业收入')
  })

  it('keeps a conditional field hidden until 是, and its value when hidden again', async () => {
    const m = mount({ patents: '6' })
    await settle()
    expect(item(m.el, 'patents')).toBeNull()
    await click(byText(item(m.el, 'has_patents')!, '.el-radio', '是'))
    expect(m.model.value.has_patents).toBe(true)
    expect(input(m.el, 'patents')!.value).toBe('6')
    await type(input(m.el, 'patents'), '7')
    expect(m.model.value.patents).toBe('7')
    await click(byText(item(m.el, 'has_patents')!, '.el-radio', '否'))
    expect(item(m.el, 'patents')).toBeNull()
    expect(m.model.value).toMatchObject({ has_patents: false, patents: '7' })
  })

  it('emits a new object each change, numbers and amounts as the text typed', async () => {
    const initial = Object.freeze({ contact: '张三' })
    const m = mount(initial)
    await settle()
    await type(input(m.el, 'staff'), '25')
    await type(input(m.el, 'capital'), '1500.250000')
    await type(input(m.el, 'ratio'), '３．５')
    expect(m.model.value).toEqual({ contact: '张三', staff: '25', capital: '1500.250000', ratio: '３．５' })
    expect(m.emitted).toHaveLength(3)
    expect(new Set(m.emitted).size).toBe(3)
    expect(initial).toEqual({ contact: '张三' })
  })

  it('opens the 「其他」 text when 其他 is picked, bound to <key>_other', async () => {
    const m = mount()
    await settle()
    expect(item(m.el, 'domain_other')).toBeNull()
    await click(byText(item(m.el, 'domain')!, '.el-radio', '其他'))
    expect(m.model.value.domain).toBe('其他')
    await type(input(m.el, 'domain_other'), '工业互联网平台')
    expect(m.model.value.domain_other).toBe('工业互联网平台')
    await click(byText(item(m.el, 'needs')!, '.el-checkbox', '生产制造'))
    await click(byText(item(m.el, 'needs')!, '.el-checkbox', '研发设计'))
    expect(m.model.value.needs).toEqual(['研发设计', '生产制造'])
  })

  it('recomputes sums live, exactly, in 万元', async () => {
    const m = mount({ years: [{ revenue: '1200' }, { revenue: '1500.25' }, {}] })
    await settle()
    expect(input(m.el, 'revenue_total')!.value).toBe('2700.25')
    expect(item(m.el, 'revenue_total')!.textContent).toContain('万元')
    await type(input(m.el, 'years[2].revenue'), '1800.000001')
    expect(m.model.value.years).toEqual([{ revenue: '1200' }, { revenue: '1500.25' }, { revenue: '1800.000001' }])
    expect(input(m.el, 'revenue_total')!.value).toBe('4500.250001')
  })

  it('adds and removes rows within min_rows and max_rows', async () => {
    const m = mount()
    await settle()
    const cases = () => item(m.el, 'cases')!
    const add = () => cases().querySelector<HTMLButtonElement>('[data-test=form-table-add]')!
    const removes = () => [...cases().querySelectorAll<HTMLButtonElement>('[data-test=form-table-remove]')]
    expect(removes()).toHaveLength(1)
    expect(removes()[0]!.disabled).toBe(true)
    await type(input(m.el, 'cases[0].client'), '甲公司')
    expect(m.model.value.cases).toEqual([{ client: '甲公司' }])
    for (let i = 0; i < 4; i++) await click(add())
    expect(m.model.value.cases).toHaveLength(5)
    expect(add().disabled).toBe(true)
    await click(add())
    expect(m.model.value.cases).toHaveLength(5)
    await click(removes()[0])
    expect(m.model.value.cases).toHaveLength(4)
    expect((m.model.value.cases as unknown[])[0]).toEqual({})
    for (let i = 0; i < 3; i++) await click(removes()[0])
    expect(m.model.value.cases).toHaveLength(1)
    expect(removes()[0]!.disabled).toBe(true)
    expect(cases().textContent).toContain('至少 1 行，最多 5 行（已填 1 行）')
  })

  it('shows server problems under their fields and in a summary with per-tab counts; a summary item opens its tab', async () => {
    const errors = [
      { field: 'intro', message: '请填写「企业简介」' },
      { field: 'domain_other', message: '选择了「其他」，请填写「申报方向」的「其他」说明' },
      { field: 'patents', message: '请填写「发明专利数」' },
      { field: 'years[2].revenue', message: '请填写「近三年经营情况」2023年的「营业收入」' },
      { field: 'license', message: '请上传「营业执照」' },
    ]
    const m = mount({ has_patents: false, domain: '其他' }, { errors })
    await settle()
    const tabs = [...m.el.querySelectorAll('[role=tab]')].map((t) => t.textContent?.replace(/\s+/g, ''))
    // The hidden field's problem (patents) is left out.
    expect(tabs).toEqual(['基本情况2（2个问题）', '经营情况2（2个问题）'])
    const summary = m.el.querySelector('[data-test=form-summary]')!
    expect(summary.getAttribute('role')).toBe('alert')
    expect(summary.textContent).toContain('近三年经营情况 · 2023年 · 营业收入')
    expect(summary.textContent).toContain('申报方向（其他说明）')
    expect(summary.textContent).not.toContain('发明专利数')
    expect(item(m.el, 'intro')!.querySelector('.el-form-item__error')!.textContent).toContain('请填写「企业简介」')
    expect(item(m.el, 'domain_other')!.querySelector('.el-form-item__error')!.textContent).toContain('请填写「申报方向」的「其他」说明')
    expect(item(m.el, 'years[2].revenue')!.querySelector('.el-form-item__error')!.textContent).toContain('2023年的「营业收入」')

    const second = () => m.el.querySelectorAll<HTMLElement>('[role=tab]')[1]!
    expect(second().getAttribute('aria-selected')).toBe('false')
    await click(byText(summary, 'a', '营业执照'))
    expect(second().getAttribute('aria-selected')).toBe('true')

    // Fixing a field clears its message at once, and the tab's count.
    await type(input(m.el, 'years[2].revenue'), '1800')
    // (The message leaves with Element Plus's transition; the item is no longer in error at once.)
    expect(item(m.el, 'years[2].revenue')!.classList.contains('is-error')).toBe(false)
    expect(item(m.el, 'intro')!.classList.contains('is-error')).toBe(true)
    expect(second().textContent?.replace(/\s+/g, '')).toBe('经营情况1（1个问题）')
  })

  it('checks a file before uploading it, then lists it by name', async () => {
    const sent: string[] = []
    const upload = async (file: File) => {
      sent.push(file.name)
      return { id: `id-${file.name}`, name: file.name }
    }
    const m = mount({}, { upload })
    await settle()
    const field = item(m.el, 'license')!
    const choose = async (file: File) => {
      const input = field.querySelector<HTMLInputElement>('input[type=file]')!
      Object.defineProperty(input, 'files', { value: [file], configurable: true })
      input.dispatchEvent(new Event('change', { bubbles: true }))
      await settle()
    }
    await choose(new File(['x'], '照片.png', { type: 'image/png' }))
    expect(sent).toEqual([])
    expect(field.querySelector('[data-test=form-file-problem]')!.textContent).toBe('文件“照片.png”格式不支持，请上传 PDF、JPG 格式的文件')
    await choose(new File(['%PDF'], '营业执照.pdf', { type: 'application/pdf' }))
    expect(sent).toEqual(['营业执照.pdf'])
    expect(m.model.value.license).toEqual(['id-营业执照.pdf'])
    expect(byText(field, 'a', '营业执照.pdf')!.getAttribute('href')).toBe('/api/files/id-%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf')
  })

  it('uploads a file into a table cell and emits its id in that row', async () => {
    const sent: string[] = []
    const upload = async (file: File) => {
      sent.push(file.name)
      return { id: `id-${file.name}`, name: file.name }
    }
    mounted = mountWithModel<FormValues>(FormRenderer, { contracts: [{ name: '产线改造' }, { name: '系统集成' }] }, { schema: contractsSchema, upload })
    const m = mounted
    await settle()
    const cell = item(m.el, 'contracts[1].scan')!
    expect(cell.classList.contains('is-required')).toBe(true)
    expect(cell.querySelector('.el-form-item__label')!.textContent).toContain('合同 第2行 项目合同')
    expect(cell.textContent).toContain('支持 PDF 格式，单个文件不超过 10 MB，最多 1 个（已上传 0 个）')
    const input = cell.querySelector<HTMLInputElement>('input[type=file]')!
    Object.defineProperty(input, 'files', { value: [new File(['%PDF'], '合同.pdf', { type: 'application/pdf' })], configurable: true })
    input.dispatchEvent(new Event('change', { bubbles: true }))
    await settle()
    expect(sent).toEqual(['合同.pdf'])
    expect(m.model.value.contracts).toEqual([{ name: '产线改造' }, { name: '系统集成', scan: ['id-合同.pdf'] }])
    expect(byText(cell, 'a', '合同.pdf')!.getAttribute('href')).toBe('/api/files/id-%E5%90%88%E5%90%8C.pdf')
    // The other row's cell is its own: nothing uploaded there.
    expect(item(m.el, 'contracts[0].scan')!.querySelector('a')).toBeNull()
    // Removing the last file empties the cell (the row is as it was).
    await click(cell.querySelector('[aria-label="移除合同.pdf"]'))
    expect(m.model.value.contracts).toEqual([{ name: '产线改造' }, { name: '系统集成' }])
  })

  it('is read only when asked', async () => {
    const m = mount(validValues(), { readonly: true })
    await settle()
    const enabled = [...m.el.querySelectorAll<HTMLInputElement>('input:not([type=hidden]), textarea')].filter((i) => !i.disabled && i.type !== 'file')
    expect(enabled.map((i) => i.closest('[data-field]')?.getAttribute('data-field'))).toEqual([])
    expect(m.el.querySelector('[data-test=form-table-add]')).toBeNull()
  })

  it('shows locked fields without letting them change, the rest editable', async () => {
    const m = mount(validValues(), { locked: ['contact', 'region'] })
    await settle()
    expect(input(m.el, 'contact')!.disabled).toBe(true)
    expect(input(m.el, 'region')!.disabled).toBe(true)
    expect(input(m.el, 'intro')!.disabled).toBe(false)
  })
})

describe.skipIf(!hasDom)('FormView', () => {
  it('shows labels and values as the server prints them, tables as tables, files by name, hidden fields left out', async () => {
    const el = document.createElement('div')
    document.body.appendChild(el)
    const { createApp, h } = await import('vue')
    const values = { ...validValues(), revenue_total: '4500.250001' }
    const app = createApp({ render: () => h(FormView, { schema, values, fileNames: { 'f-1': '营业执照.pdf' } }) })
    app.mount(el)
    await settle()
    const value = (key: string) => el.querySelector(`[data-field="${key}"] dd`)?.textContent?.trim()
    expect(value('domain')).toBe('其他（工业互联网平台）')
    expect(value('staff')).toBe('25 人')
    expect(value('revenue_total')).toBe('4500.250001 万元')
    expect(value('license')).toBe('营业执照.pdf')
    expect(el.querySelector('[data-field="license"] a')!.getAttribute('href')).toBe('/api/files/f-1')
    expect([...el.querySelectorAll('[data-field="years"] tbody tr')].map((r) => r.textContent)).toEqual([
      '2021年1200 万元20 人',
      '2022年1500.25 万元22 人',
      '2023年1800.000001 万元',
    ])
    expect(el.querySelector('[data-field="note"]')).toBeNull()
    app.unmount()
    const hidden = createApp({ render: () => h(FormView, { schema, values: { ...values, has_patents: false } }) })
    hidden.mount(el)
    await settle()
    expect(el.querySelector('[data-field="patents"]')).toBeNull()
    expect(el.querySelector('[data-field="has_patents"] dd')!.textContent?.trim()).toBe('否')
    hidden.unmount()
    el.remove()
  })

  it('lists the files of a table cell by name, linking to their download', async () => {
    const el = document.createElement('div')
    document.body.appendChild(el)
    const { createApp, h } = await import('vue')
    const values = { contracts: [{ name: '产线改造', scan: ['f-1'] }, { name: '系统集成' }] }
    const app = createApp({ render: () => h(FormView, { schema: contractsSchema, values, fileNames: { 'f-1': '项目合同.pdf' } }) })
    app.mount(el)
    await settle()
    const rows = [...el.querySelectorAll('[data-field="contracts"] tbody tr')]
    expect(rows.map((r) => r.textContent?.replace(/\s+/g, ''))).toEqual(['1产线改造项目合同.pdf', '2系统集成'])
    expect(rows[0]!.querySelector('a')!.getAttribute('href')).toBe('/api/files/f-1')
    app.unmount()
    el.remove()
  })
})
