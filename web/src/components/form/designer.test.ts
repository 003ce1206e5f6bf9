import { describe, expect, it } from 'vitest'
import {
  COLUMN_KINDS,
  PALETTE,
  addField,
  addSection,
  conditionCandidates,
  conditionValues,
  duplicateField,
  moveField,
  moveSection,
  newColumn,
  newField,
  nextFieldKey,
  patched,
  problemTarget,
  removeField,
  replaceField,
} from './designer'
import { sampleSchema } from './sampleSchema'
import { emptySchema, findField, type FormSchema } from './schema'

describe('keys', () => {
  it('new fields get f1, f2 … past every key in use, 「其他」 texts included', () => {
    let s = emptySchema()
    s = addField(s, 0, 'text').schema
    s = addField(s, 0, 'choice').schema
    expect(s.sections[0]!.fields.map((f) => f.key)).toEqual(['f1', 'f2'])
    s.sections[0]!.fields[0]!.key = 'f3_other'
    s.sections[0]!.fields[1] = { ...s.sections[0]!.fields[1]!, key: 'f3', type: 'choice', options: ['甲'], other: true }
    expect(nextFieldKey(s)).toBe('f1')
    s = addField(s, 0, 'text').schema
    expect(nextFieldKey(s)).toBe('f2')
  })
})

describe('edits return new schemas', () => {
  const frozen = (s: FormSchema) => JSON.parse(JSON.stringify(s)) as FormSchema

  it('adds every kind of the palette, each a field the renderer can draw', () => {
    let s = emptySchema()
    for (const p of PALETTE) s = addField(s, 0, p.kind).schema
    expect(s.sections[0]!.fields.map((f) => f.type)).toEqual([
      'text', 'long_text', 'number', 'money', 'date', 'date_range', 'choice', 'choice', 'yes_no', 'region', 'table', 'file', 'reference', 'computed', 'notice',
    ])
    const computed = s.sections[0]!.fields[13]!
    // The palette's table has only a text column: the sum waits for a numeric one.
    expect(computed).toMatchObject({ type: 'computed', sum: { table: '', column: '' } })
  })

  it('offers 附件 among the column kinds; a column turned into files keeps its name and required mark', () => {
    expect(COLUMN_KINDS.map((k) => k.label)).toEqual(['单行文本', '多行文本', '数字', '金额（万元）', '日期', '单选', '是/否', '附件'])
    const col = newColumn('file', 'c2', { label: '项目合同', required: true })
    expect(col).toEqual({ key: 'c2', label: '项目合同', required: true, type: 'file', accept: ['pdf'], max_mb: 20, max_count: 1 })
  })

  it('a sum added after a table with a money column takes it', () => {
    const s = sampleSchema()
    const r = addField(s, 1, 'computed', 2)
    expect(r.index).toBe(3)
    expect(r.schema.sections[1]!.fields[3]).toMatchObject({ type: 'computed', sum: { table: 'cases', column: 'amount' } })
    expect(s.sections[1]!.fields).toHaveLength(5)
  })

  it('moves fields within and across sections, and sections', () => {
    const s = sampleSchema()
    const down = moveField(s, 0, 15, 1)
    expect(down).toMatchObject({ section: 1, index: 0 })
    expect(down.schema.sections[1]!.fields[0]!.key).toBe('region')
    const up = moveField(down.schema, 1, 0, -1)
    expect(up.schema).toEqual(s)
    expect(moveField(s, 0, 0, -1).schema).toBe(s)
    const ms = moveSection(s, 1, -1)
    expect(ms.schema.sections.map((x) => x.key)).toEqual(['finance', 'basic'])
    expect(s.sections.map((x) => x.key)).toEqual(['basic', 'finance'])
  })

  it('duplicates with a new key and removes', () => {
    const s = frozen(sampleSchema())
    const d = duplicateField(s, 0, 1)
    expect(d.schema.sections[0]!.fields[2]).toMatchObject({ key: 'f1', label: '企业简介（副本）', type: 'long_text' })
    expect(removeField(d.schema, 0, 2)).toEqual(s)
  })

  it('renaming a key follows it into conditions and sums', () => {
    const s = sampleSchema()
    const hasPatents = findField(s, 'has_patents')!
    let r = replaceField(s, 0, 10, { ...hasPatents, key: 'patent_flag' })
    expect(findField(r, 'patents')!.when).toEqual({ field: 'patent_flag', equals: true })
    const years = findField(r, 'years')!
    r = replaceField(r, 1, 0, { ...years, key: 'finance' })
    expect(findField(r, 'revenue_total')).toMatchObject({ sum: { table: 'finance', column: 'revenue' } })
    expect(findField(s, 'patents')!.when!.field).toBe('has_patents')
  })

  it('patches drop emptied optional keys but keep the label and the notice text', () => {
    const f = newField('number', 'f1')
    expect(patched(f, { unit: '人', min: 0 })).toMatchObject({ unit: '人', min: 0 })
    expect(patched({ ...f, unit: '人' }, { unit: '' })).not.toHaveProperty('unit')
    expect(patched(f, { label: '' })).toHaveProperty('label', '')
    expect(patched(newField('notice', 'f2'), { text: '' })).toHaveProperty('text', '')
  })

  it('adds sections with fresh keys', () => {
    const r = addSection(sampleSchema())
    expect(r.index).toBe(2)
    expect(r.schema.sections[2]).toMatchObject({ key: 's1', fields: [] })
  })
})

describe('conditions', () => {
  it('may name earlier 是/否 and single choices, with their values', () => {
    const s = sampleSchema()
    expect(conditionCandidates(s, 0, 11).map((f) => f.key)).toEqual(['domain', 'has_patents'])
    expect(conditionCandidates(s, 0, 8).map((f) => f.key)).toEqual([])
    expect(conditionValues(findField(s, 'has_patents')!)).toEqual([
      { label: '是', value: true },
      { label: '否', value: false },
    ])
    expect(conditionValues(findField(s, 'domain')!).map((v) => v.value)).toEqual(['装备', '软件', '其他'])
  })
})

describe('problems of the check', () => {
  it('point at a section, a field, a column', () => {
    expect(problemTarget('sections[0].fields[2].when')).toEqual({ section: 0, field: 2, column: null, rest: 'when' })
    expect(problemTarget('sections[1].fields[0].columns[1].type')).toEqual({ section: 1, field: 0, column: 1, rest: 'type' })
    expect(problemTarget('sections[3].title')).toEqual({ section: 3, field: null, column: null, rest: 'title' })
    expect(problemTarget('sections[2].fields[4]')).toEqual({ section: 2, field: 4, column: null, rest: '' })
    expect(problemTarget('title')).toEqual({ section: null, field: null, column: null, rest: 'title' })
  })
})
