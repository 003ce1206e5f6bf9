// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { byText, click, hasDom, mountWithModel, settle, type, type Mounted } from './testDom'
import FormDesigner from './FormDesigner.vue'
import { emptySchema, type FormProblem, type FormSchema } from './schema'

let mounted: Mounted<FormSchema> | null = null

afterEach(() => {
  mounted?.unmount()
  mounted = null
})

function mount(check: (s: FormSchema) => Promise<FormProblem[]>, schema = emptySchema()) {
  mounted = mountWithModel<FormSchema>(FormDesigner, schema, { check, checkDelay: 0 })
  return mounted
}

const q = <T extends Element = HTMLElement>(el: HTMLElement, sel: string) => el.querySelector<T>(sel)
/** The input of `sel` (el-input passes data-test to its <input>; other elements hold one). */
const inputOf = (el: HTMLElement, sel: string) => {
  const found = q<HTMLInputElement>(el, sel)
  return found?.matches('input, textarea') ? found : found?.querySelector<HTMLInputElement>('input, textarea')
}

describe.skipIf(!hasDom)('FormDesigner', { timeout: 30_000 }, () => {
  it('adds a field, edits its label, adds an option, and the preview shows it', async () => {
    const checked: FormSchema[] = []
    const m = mount(async (s) => {
      checked.push(s)
      return []
    })
    await settle()
    await click(q(m.el, '[data-test=fd-add-choice]'))
    expect(m.model.value.sections[0]!.fields).toEqual([{ key: 'f1', label: '', type: 'choice', options: ['选项1', '选项2'] }])
    await type(inputOf(m.el, '[data-test=fs-label]'), '企业规模')
    await click(q(m.el, '[data-test=fs-add-option]'))
    await type(inputOf(m.el, '[data-test=fs-option-2]'), '大型')
    expect(m.model.value.sections[0]!.fields[0]).toEqual({ key: 'f1', label: '企业规模', type: 'choice', options: ['选项1', '选项2', '大型'] })
    // The outline names it; the live check saw the latest schema.
    expect(q(m.el, '[data-test=fd-field-f1]')!.textContent).toContain('企业规模')
    await settle(10)
    expect(checked.at(-1)).toEqual(m.model.value)
    expect(q(m.el, '[data-test=fd-check-ok]')!.textContent).toContain('未发现问题')

    await click(byText(m.el, '[role=tab]', '预览'))
    const preview = q(m.el, '[data-test=fd-preview]')!
    const item = q(preview, '[data-field=f1]')!
    expect(item.querySelector('.el-form-item__label')!.textContent).toBe('企业规模')
    expect([...item.querySelectorAll('.el-radio')].map((r) => r.textContent?.trim())).toEqual(['选项1', '选项2', '大型'])
    // The preview can be filled in, without touching the schema.
    const before = m.model.value
    await click(byText(item, '.el-radio', '大型'))
    expect(item.querySelector('.el-radio.is-checked')!.textContent?.trim()).toBe('大型')
    expect(m.model.value).toBe(before)
  })

  it('gives a key when the official leaves it empty, and follows a renamed key into conditions', async () => {
    const schema: FormSchema = {
      title: '表',
      sections: [
        {
          key: 's1',
          title: '分组',
          fields: [
            { key: 'has_patents', label: '是否有专利', type: 'yes_no' },
            { key: 'patents', label: '专利数', type: 'number', when: { field: 'has_patents', equals: true } },
          ],
        },
      ],
    }
    const m = mount(async () => [], schema)
    await settle()
    await click(q(m.el, '[data-test=fd-field-has_patents]'))
    const key = inputOf(m.el, '[data-test=fs-key]')!
    await type(key, 'patent_flag')
    expect(m.model.value.sections[0]!.fields[1]!.when).toEqual({ field: 'patent_flag', equals: true })
    await type(key, '')
    key.dispatchEvent(new FocusEvent('blur'))
    await settle()
    expect(m.model.value.sections[0]!.fields[0]!.key).toBe('f1')
    expect(m.model.value.sections[0]!.fields[1]!.when).toEqual({ field: 'f1', equals: true })
  })

  it('lists the check’s problems; one opens its field', async () => {
    const m = mount(async (s) =>
      s.sections[0]!.fields.length
        ? [{ field: 'sections[0].fields[1].label', message: '分组「一、基本情况」的字段「f2」缺少名称' }]
        : [{ field: 'sections[0].fields', message: '分组「一、基本情况」还没有字段' }],
    )
    await settle(10)
    expect(q(m.el, '[data-test=fd-problems]')!.textContent).toContain('还没有字段')
    await click(q(m.el, '[data-test=fd-add-text]'))
    await click(q(m.el, '[data-test=fd-add-number]'))
    await click(q(m.el, '[data-test=fd-section-0]'))
    await settle(10)
    const problem = byText(m.el, '[data-test=fd-problems] button', '分组「一、基本情况」的字段「f2」缺少名称')!
    expect(q(m.el, '[data-test=fd-field-f2]')!.textContent).toContain('1')
    await click(problem)
    expect(q(m.el, '[data-test=fd-field-f2]')!.getAttribute('aria-current')).toBe('true')
    expect(q(m.el, '[data-test=fs-label]')!.closest('.el-form-item')!.classList.contains('is-error')).toBe(true)
  })

  it('says 「暂无法检查」 quietly when the check cannot answer', async () => {
    const m = mount(async () => {
      throw new Error('404')
    })
    await settle(10)
    expect(q(m.el, '[data-test=fd-check-unavailable]')!.textContent).toBe('暂无法检查')
    await click(q(m.el, '[data-test=fd-add-table]'))
    await settle(10)
    expect(m.model.value.sections[0]!.fields[0]!.type).toBe('table')
    expect(q(m.el, '[data-test=fd-check-unavailable]')).not.toBeNull()
  })
})
