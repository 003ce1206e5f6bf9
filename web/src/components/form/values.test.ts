import { describe, expect, it } from 'vitest'
import { sampleSchema, validValues } from './sampleSchema'
import { findField, type FileField, type TableField } from './schema'
import {
  addRow,
  canAddRow,
  canRemoveRow,
  countsBySection,
  fileIds,
  fileProblem,
  pathTarget,
  removeRow,
  shownProblems,
  shownRows,
  withCell,
  withValue,
} from './values'

const schema = sampleSchema()
const years = findField(schema, 'years') as TableField
const cases = findField(schema, 'cases') as TableField
const license = findField(schema, 'license') as FileField

describe('edits make new objects', () => {
  it('withValue never touches the values it is given', () => {
    const before = Object.freeze({ a: 1, b: 2 })
    expect(withValue(before, 'a', 3)).toEqual({ a: 3, b: 2 })
    expect(withValue(before, 'a', undefined)).toEqual({ b: 2 })
    expect(before).toEqual({ a: 1, b: 2 })
  })
})

describe('tables', () => {
  it('a fixed-row table has exactly its rows, stored in order once a cell is typed', () => {
    expect(shownRows(years, {})).toEqual([{}, {}, {}])
    const rows = withCell(years, {}, 1, 'revenue', '1500.25')
    expect(rows).toEqual([{}, { revenue: '1500.25' }, {}])
    expect(canAddRow(years, 3)).toBe(false)
    expect(canRemoveRow(years, 3)).toBe(false)
    expect(addRow(years, { years: rows })).toEqual(rows)
  })

  it('an added-rows table shows its minimum, adds up to max_rows and removes down to min_rows', () => {
    expect(shownRows(cases, {})).toEqual([{}])
    let values = { cases: addRow(cases, {}) }
    expect(values.cases).toEqual([{}, {}])
    for (let i = 0; i < 10; i++) values = { cases: addRow(cases, values) }
    expect(values.cases).toHaveLength(5)
    expect(canAddRow(cases, 5)).toBe(false)
    values = { cases: withCell(cases, values, 4, 'client', '戊') }
    values = { cases: removeRow(cases, values, 0) }
    expect(values.cases).toHaveLength(4)
    expect(values.cases[3]).toEqual({ client: '戊' })
    for (let i = 0; i < 10; i++) values = { cases: removeRow(cases, values, 0) }
    expect(values.cases).toHaveLength(1)
    expect(canRemoveRow(cases, 1)).toBe(false)
  })

  it('a required added-rows table keeps at least one row', () => {
    const t: TableField = { ...cases, min_rows: 0, required: true }
    expect(shownRows(t, {})).toHaveLength(1)
    expect(canRemoveRow(t, 1)).toBe(false)
    expect(canRemoveRow({ ...t, required: false }, 1)).toBe(true)
  })

  it('a cell edit keeps the other rows and cells', () => {
    const values = validValues()
    const rows = withCell(years, values, 0, 'rd', '21')
    expect(rows[0]).toEqual({ revenue: '1200', rd: '21' })
    expect(rows[1]).toBe((values.years as unknown[])[1])
    expect((values.years as Record<string, unknown>[])[0]!.rd).toBe('20')
    expect(withCell(years, values, 0, 'rd', undefined)[0]).toEqual({ revenue: '1200' })
  })
})

describe('files are checked before they are sent', () => {
  const file = (name: string, size = 1024) => ({ name, size })
  it('type, size, emptiness and count, in Chinese', () => {
    expect(fileProblem(license, file('执照.PDF'), 0)).toBeNull()
    expect(fileProblem(license, file('执照.png'), 0)).toBe('文件“执照.png”格式不支持，请上传 PDF、JPG 格式的文件')
    expect(fileProblem(license, file('执照.pdf', 21 * 1024 * 1024), 0)).toBe('文件“执照.pdf”大小为 21 MB，超过 20 MB 的限制')
    expect(fileProblem({ ...license, max_mb: 50 }, file('执照.pdf', 21 * 1024 * 1024), 0)).toBeNull()
    expect(fileProblem(license, file('执照.pdf', 0), 0)).toBe('文件“执照.pdf”为空，请重新选择')
    expect(fileProblem(license, file('执照.pdf'), 2)).toBe('「营业执照」最多上传 2 个文件')
  })
})

describe('a table file column holds files as a file field does', () => {
  const scan: FileField = { key: 'scan', label: '项目合同', type: 'file', accept: ['pdf'], max_count: 1, required: true }
  const contracts: TableField = { key: 'contracts', label: '合同', type: 'table', max_rows: 5, columns: [{ key: 'name', label: '项目名称', type: 'text' }, scan] }
  const withContracts = { ...schema, sections: [...schema.sections, { key: 'more', title: '合同情况', fields: [contracts] }] }

  it('the cell keeps its ids in its row; anything else in it reads as no file', () => {
    const rows = withCell(contracts, {}, 1, 'scan', ['f-1'])
    expect(rows).toEqual([{}, { scan: ['f-1'] }])
    expect(fileIds(rows[1]!, 'scan')).toEqual(['f-1'])
    expect(fileIds(rows[0]!, 'scan')).toEqual([])
    expect(fileIds({ scan: 'f-1' }, 'scan')).toEqual([])
    expect(fileIds({ scan: ['f-1', 2] }, 'scan')).toEqual(['f-1'])
  })

  it('is checked before sending and named in problems by table, row and column', () => {
    expect(fileProblem(scan, { name: '合同.pdf', size: 1024 }, 1)).toBe('「项目合同」最多上传 1 个文件')
    expect(fileProblem(scan, { name: '合同.docx', size: 1024 }, 0)).toBe('文件“合同.docx”格式不支持，请上传 PDF 格式的文件')
    expect(pathTarget(withContracts, 'contracts[1].scan')).toMatchObject({ sectionIndex: 2, label: '合同 · 第2行 · 项目合同' })
    const shown = shownProblems(withContracts, {}, [{ field: 'contracts[1].scan', message: '请上传「合同」第2行的「项目合同」' }])
    expect(shown).toEqual([{ field: 'contracts[1].scan', message: '请上传「合同」第2行的「项目合同」', label: '合同 · 第2行 · 项目合同', sectionIndex: 2 }])
  })
})

describe('server problems by path', () => {
  it('name their field, section and label', () => {
    expect(pathTarget(schema, 'staff')).toMatchObject({ sectionIndex: 0, label: '研发人员' })
    expect(pathTarget(schema, 'domain_other')).toMatchObject({ sectionIndex: 0, label: '申报方向（其他说明）' })
    expect(pathTarget(schema, 'years[1].revenue')).toMatchObject({ sectionIndex: 1, label: '近三年经营情况 · 2022年 · 营业收入' })
    expect(pathTarget(schema, 'cases[0].client')).toMatchObject({ sectionIndex: 1, label: '典型案例 · 第1行 · 客户名称' })
    expect(pathTarget(schema, 'form.license')?.field.key).toBe('license')
    expect(pathTarget(schema, 'contact_other')).toBeNull()
    expect(pathTarget(schema, 'nothing')).toBeNull()
  })

  it('are counted per section, once per path, leaving out hidden fields', () => {
    const problems = [
      { field: 'intro', message: '请填写「企业简介」' },
      { field: 'intro', message: '第二条同一字段' },
      { field: 'patents', message: '请填写「发明专利数」' },
      { field: 'years[2].revenue', message: '请填写「近三年经营情况」2023年的「营业收入」' },
      { field: 'license', message: '请上传「营业执照」' },
      { field: 'form', message: '表单格式不正确' },
    ]
    const hidden = shownProblems(schema, { has_patents: false }, problems)
    expect(hidden.map((p) => p.field)).toEqual(['intro', 'years[2].revenue', 'license', 'form'])
    expect(hidden[0]!.message).toBe('请填写「企业简介」')
    expect(countsBySection(schema, hidden)).toEqual([1, 2])
    const shown = shownProblems(schema, { has_patents: true }, problems)
    expect(countsBySection(schema, shown)).toEqual([2, 2])
    expect(shown.find((p) => p.field === 'form')).toMatchObject({ label: '表单', sectionIndex: -1 })
  })
})
