/**
 * The components rendered to HTML with Vue's server renderer: these run in the default (node) environment,
 * without a DOM, so the drawing of each kind, conditions, errors and the read-only view are checked on every
 * `npx vitest run` (the interactive tests in FormRenderer.test.ts / FormDesigner.test.ts need happy-dom).
 */
import { describe, expect, it } from 'vitest'
import './testDom'
import { createSSRApp, h, type Component } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { ID_INJECTION_KEY, ZINDEX_INJECTION_KEY } from 'element-plus'
import FormDesigner from './FormDesigner.vue'
import FormRenderer from './FormRenderer.vue'
import FormView from './FormView.vue'
import { sampleSchema, validValues } from './sampleSchema'
import type { FormValues } from './schema'

const schema = sampleSchema()

async function render(component: Component, props: Record<string, unknown>): Promise<string> {
  const app = createSSRApp({ render: () => h(component, props) })
  app.provide(ID_INJECTION_KEY, { prefix: 1, current: 0 })
  app.provide(ZINDEX_INJECTION_KEY, { current: 0 })
  return renderToString(app)
}

/** Text of the HTML without tags and comments. */
const text = (html: string) =>
  html
    .replace(/<!--.*?-->/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()

/** The HTML from the element with `data-field="path"` up to the next field of the same level. */
function fieldHtml(html: string, path: string): string {
  const at = html.indexOf(`data-field="${path}"`)
  if (at < 0) return ''
  const start = html.lastIndexOf('<', at)
  const next = html.indexOf('data-field="', at + 12 + path.length)
  return html.slice(start, next < 0 ? undefined : html.lastIndexOf('<', next))
}

const renderer = (values: FormValues, props: Record<string, unknown> = {}) => render(FormRenderer, { schema, modelValue: values, ...props })

describe('FormRenderer (server-rendered)', () => {
  it('draws every section as a tab pane and every shown field of each kind', async () => {
    const html = await renderer({})
    expect(html).toContain('id="pane-basic"')
    expect(html).toContain('id="pane-finance"')
    for (const key of ['org_name', 'intro', 'contact', 'staff', 'ratio', 'capital', 'founded', 'period', 'domain', 'needs', 'has_patents', 'note', 'years', 'revenue_total', 'cases', 'cases_total', 'license']) {
      expect(html, key).toContain(`data-field="${key}"`)
    }
    expect(fieldHtml(html, 'intro')).toContain('is-required')
    expect(text(fieldHtml(html, 'staff'))).toContain('人')
    expect(text(fieldHtml(html, 'staff'))).toContain('请填写整数，范围 0～100000人')
    expect(text(fieldHtml(html, 'capital'))).toContain('万元')
    expect(text(fieldHtml(html, 'org_name'))).toContain('自动带出，如需修改请更新单位信息')
    expect(text(fieldHtml(html, 'revenue_total'))).toContain('由「近三年经营情况」的「营业收入」自动合计')
    expect(text(fieldHtml(html, 'license'))).toContain('此处暂不能上传文件')
    expect(text(fieldHtml(html, 'license'))).toContain('支持 PDF、JPG 格式，单个文件不超过 20 MB，最多 2 个（已上传 0 个）')
    expect(text(fieldHtml(html, 'note'))).toContain('以下内容据实填写')
    // Two options and 其他: radio buttons; three and 其他 as check boxes.
    expect(fieldHtml(html, 'domain').match(/el-radio__label/g)).toHaveLength(3)
    expect(fieldHtml(html, 'needs').match(/el-checkbox__label/g)).toHaveLength(4)
    expect(html).not.toContain('data-field="domain_other"')
  })

  it('draws a formatted text with its placeholder and rule, and a region with the region picker', async () => {
    const html = await renderer({ credit_code: '91440300708461136T' })
    const code = fieldHtml(html, 'credit_code')
    expect(code).toContain('is-required')
    expect(code).toContain('placeholder="请输入18位统一社会信用代码"')
    expect(code).toContain('data-format="uscc"')
    expect(text(code)).toContain('18位，由数字和大写字母组成（不使用I、O、Z、S、V）')
    const mobile = fieldHtml(html, 'mobile')
    expect(mobile).toContain('placeholder="请输入11位手机号码"')
    expect(mobile).toContain('inputmode="tel"')
    expect(text(mobile)).toContain('中国大陆手机号码，11位数字')
    const region = fieldHtml(html, 'region')
    expect(region).toContain('is-required')
    expect(region).toContain('el-cascader')
    expect(region).toContain('请选择省/市/区县/镇街')
  })

  it('draws fixed rows by name, and the minimum of added rows with 添加一行', async () => {
    const html = await renderer({})
    const years = html.slice(html.indexOf('data-field="years"'), html.indexOf('data-field="revenue_total"'))
    expect(text(years)).toContain('年度')
    expect(years.match(/<th[^>]*scope="row"[^>]*>[^<]*<\/th>/g)?.map(text)).toEqual(['2021年', '2022年', '2023年'])
    expect(years).toContain('data-field="years[2].revenue"')
    expect(text(years)).toContain('近三年经营情况 2023年 营业收入')
    const cases = html.slice(html.indexOf('data-field="cases"'), html.indexOf('data-field="cases_total"'))
    expect(cases).toContain('data-field="cases[0].client"')
    expect(cases).not.toContain('data-field="cases[1].client"')
    expect(text(cases)).toContain('添加一行')
    expect(text(cases)).toContain('至少 1 行，最多 5 行（已填 0 行）')
  })

  it('draws a conditional field only while its condition holds; 「其他」 opens its text', async () => {
    expect(await renderer({ has_patents: false, patents: '6' })).not.toContain('data-field="patents"')
    const shown = await renderer({ has_patents: true, domain: '其他', needs: ['其他'] })
    expect(shown).toContain('data-field="patents"')
    expect(shown).toContain('data-field="domain_other"')
    expect(shown).toContain('data-field="needs_other"')
  })

  it('shows server problems in the summary and under their fields, leaving out hidden ones', async () => {
    const errors = [
      { field: 'intro', message: '请填写「企业简介」' },
      { field: 'patents', message: '请填写「发明专利数」' },
      { field: 'years[2].revenue', message: '请填写「近三年经营情况」2023年的「营业收入」' },
      { field: 'capital', message: '「注册资本」不能为负数' },
    ]
    const html = await renderer({ has_patents: false }, { errors })
    const summary = text(html.slice(0, html.indexOf('<form')))
    expect(summary).toContain('还有 2 项未填写、1 项需更正，请完善后再提交')
    expect(summary).toContain('近三年经营情况 · 2023年 · 营业收入')
    expect(summary).toContain('注册资本 「注册资本」不能为负数')
    expect(summary).not.toContain('发明专利数')
    expect(fieldHtml(html, 'intro')).toContain('is-error')
    expect(fieldHtml(html, 'years[2].revenue')).toContain('is-error')
    // (The message itself is drawn in the browser, after Element Plus's transition: FormRenderer.test.ts.)
    expect(fieldHtml(html, 'capital')).toContain('is-error')
    expect(fieldHtml(html, 'contact')).not.toContain('is-error')
  })
})

describe('FormView (server-rendered)', () => {
  it('shows labels and values as the server prints them; tables as tables; files by name; hidden fields and notices left out', async () => {
    const values = { ...validValues(), revenue_total: '4500.250001', org_name: '惠州某某智能装备有限公司' }
    const html = await render(FormView, { schema, values, fileNames: { 'f-1': '营业执照.pdf' } })
    const value = (key: string) => text(fieldHtml(html, key)).trim()
    expect(value('org_name')).toBe('单位名称 惠州某某智能装备有限公司')
    expect(value('domain')).toBe('申报方向 其他（工业互联网平台）')
    expect(value('needs')).toBe('转型需求 研发设计、其他（绿色低碳）')
    expect(value('staff')).toBe('研发人员 25 人')
    expect(value('capital')).toBe('注册资本 1500.5 万元')
    expect(value('period')).toBe('项目周期 2024-01-01 至 2024-12-31')
    expect(value('has_patents')).toBe('是否拥有发明专利 是')
    expect(value('patents')).toMatch(/^发明专利数 6 项( |$)/)
    expect(value('revenue_total')).toBe('三年营业收入合计 4500.250001 万元')
    expect(value('license')).toBe('营业执照 营业执照.pdf')
    expect(fieldHtml(html, 'license')).toContain('href="/api/files/f-1"')
    expect(value('years')).toBe('近三年经营情况 年度 营业收入 研发人员 2021年 1200 万元 20 人 2022年 1500.25 万元 22 人 2023年 1800.000001 万元')
    expect(value('ratio')).toBe('研发投入占比 3.75 %')
    expect(value('credit_code')).toBe('统一社会信用代码 91440300708461136T')
    expect(value('mobile')).toBe('联系电话 138 0013 8000')
    expect(value('region')).toMatch(/^所在地区 441302( |$)/)
    const named = await render(FormView, { schema, values, regionNames: { '441302': '惠城区' } })
    expect(text(fieldHtml(named, 'region'))).toMatch(/^所在地区 惠城区（441302）( |$)/)
    expect(html).not.toContain('data-field="note"')
    expect(html).toContain('基本情况')

    const hidden = await render(FormView, { schema, values: { ...values, has_patents: false } })
    expect(hidden).not.toContain('data-field="patents"')
    expect(text(fieldHtml(hidden, 'license'))).toContain('下载文件')
    const empty = await render(FormView, { schema, values: {} })
    expect(text(fieldHtml(empty, 'contact')).trim()).toBe('联系人 未填写')
  })
})

describe('FormDesigner (server-rendered)', () => {
  it('lists the sections and fields with their kinds, the palette, and the selected section’s settings', async () => {
    const html = await render(FormDesigner, { modelValue: schema, check: () => new Promise(() => {}) })
    const outline = text(html.slice(html.indexOf('aria-label="分组与字段"'), html.indexOf('aria-label="设置"')))
    expect(outline).toContain('基本情况')
    expect(outline).toContain('经营情况')
    expect(outline).toContain('* 发明专利数 数字 · 有条件')
    expect(outline).toContain('转型需求 多选')
    expect(outline).toContain('近三年经营情况 表格')
    expect(outline).toContain('说明 说明文字')
    for (const kind of ['text', 'long_text', 'number', 'money', 'date', 'date_range', 'choice', 'choice_multiple', 'yes_no', 'region', 'table', 'file', 'reference', 'computed', 'notice']) {
      expect(html, kind).toContain(`data-test="fd-add-${kind}"`)
    }
    expect(text(html)).toContain('分组设置')
    expect(text(html)).toContain('正在检查…')
  })
})
