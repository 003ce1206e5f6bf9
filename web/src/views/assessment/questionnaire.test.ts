import { describe, expect, it } from 'vitest'
import type { Answers, EditionContent } from '@/api/assessment'
// The edition the server ships (same shape as GET /api/assessment/edition → content).
import data from '../../../../data/reference/assessment/2024.json'
import {
  evaluateRate,
  fillInKind,
  fillInLabel,
  pageOfQuestion,
  parseBand,
  parseField,
  parseFillIn,
  questionAnswered,
  rateRules,
  toRequest,
  toggleOption,
} from './questionnaire'

const edition = data as unknown as EditionContent
const q = (no: number) => edition.questions.find((x) => x.no === no)!
const rules = rateRules(edition)

function answers(a: Partial<Answers> = {}): Answers {
  return { questions: {}, scenarios: {}, ...a }
}

describe('rate bands', () => {
  it('parses the option labels', () => {
    expect(parseBand('[0-10%]')).toEqual({ lower: 0, upper: 10, lowerClosed: true, upperClosed: true })
    expect(parseBand('(10%,20%]')).toEqual({ lower: 10, upper: 20, lowerClosed: false, upperClosed: true })
    expect(parseBand('增加')).toBeNull()
  })

  it('finds the Q2 and Q3 rules, Q3 against Q2’s total', () => {
    expect(rules.map((r) => r.question)).toEqual([2, 3])
    expect(rules[1]!.totalQuestion).toBe(2)
  })

  it('derives the manual example: 60/200 → 30 % → C, 30/200 → 15 % → B', () => {
    const a = answers({
      questions: {
        '2': { fill_ins: { q2_equipment_total: 200, q2_equipment_digitized: 60 } },
        '3': { fill_ins: { q3_equipment_networked: 30 } },
      },
    })
    expect(evaluateRate(rules[0]!, q(2), a)).toMatchObject({ state: 'computed', display: '30.00', option: 'C' })
    expect(evaluateRate(rules[1]!, q(3), a)).toMatchObject({ state: 'computed', display: '15.00', option: 'B' })
    expect(questionAnswered(q(2), a, rules)).toBe(true)
  })

  it('puts boundaries in the closed side: exactly 10 % is A, 20 % is B, 0 of 0 is A', () => {
    const at = (part: number, total: number) =>
      evaluateRate(rules[0]!, q(2), answers({ questions: { '2': { fill_ins: { q2_equipment_total: total, q2_equipment_digitized: part } } } }))
    expect(at(10, 100)).toMatchObject({ option: 'A' })
    expect(at(11, 100)).toMatchObject({ option: 'B' })
    expect(at(20, 100)).toMatchObject({ option: 'B' })
    expect(at(1, 3)).toMatchObject({ option: 'C', display: '33.33' })
    expect(at(2, 3)).toMatchObject({ option: 'E', display: '66.67' })
    expect(at(0, 0)).toMatchObject({ option: 'A', display: '0.00' })
  })

  it('refuses a part larger than the total and waits for both counts', () => {
    const bad = answers({ questions: { '2': { fill_ins: { q2_equipment_total: 10, q2_equipment_digitized: 20 } } } })
    expect(evaluateRate(rules[0]!, q(2), bad)).toEqual({ state: 'invalid', message: '数字化设备数量不能大于设备总数' })
    const half = answers({ questions: { '2': { fill_ins: { q2_equipment_total: 10 } } } })
    expect(evaluateRate(rules[0]!, q(2), half)).toEqual({ state: 'incomplete' })
    expect(questionAnswered(q(2), half, rules)).toBe(false)
  })
})

describe('options', () => {
  it('无 and the other options exclude each other on multi-choice questions', () => {
    expect(toggleOption(q(6), ['B', 'C'], 'A', true)).toEqual(['A'])
    expect(toggleOption(q(6), ['A'], 'D', true)).toEqual(['D'])
    expect(toggleOption(q(6), ['D'], 'B', true)).toEqual(['B', 'D'])
    expect(toggleOption(q(6), ['B', 'D'], 'D', false)).toEqual(['B'])
  })

  it('single choice keeps one', () => {
    expect(toggleOption(q(5), ['B'], 'C', true)).toEqual(['C'])
  })
})

describe('fill-ins', () => {
  it('kinds follow the unit as on the server', () => {
    expect(fillInKind({ unit: '台' })).toBe('count')
    expect(fillInKind({ unit: '万元/年' })).toBe('amount')
    expect(fillInKind({ unit: '吨标准煤' })).toBe('quantity')
    expect(fillInKind({ unit: null })).toBe('percent')
    expect(fillInLabel({ label: '其中生产设备数量为（台）', unit: '台' })).toBe('其中生产设备数量为')
  })

  it('checks what is typed', () => {
    const count = { label: '其中生产设备数量为（台）', unit: '台' }
    expect(parseFillIn('', count)).toEqual({ ok: true, value: null })
    expect(parseFillIn(' 200 ', count)).toEqual({ ok: true, value: 200 })
    expect(parseFillIn('1,200', count)).toEqual({ ok: true, value: 1200 })
    expect(parseFillIn('2.5', count)).toEqual({ ok: false, message: '生产设备数量须为整数' })
    expect(parseFillIn('-1', count)).toEqual({ ok: false, message: '生产设备数量不能为负数' })
    expect(parseFillIn('abc', count)).toEqual({ ok: false, message: '生产设备数量须为数字' })
    expect(parseFillIn('98.5', { label: '具体数值为', unit: null })).toEqual({ ok: true, value: 98.5 })
    expect(parseFillIn('101', { label: '具体数值为', unit: null })).toMatchObject({ ok: false })
  })
})

describe('request body', () => {
  it('sends counts, not the derived band or rate, and drops empty entries', () => {
    const a = answers({
      questions: {
        '1': { options: ['B', 'C'] },
        '2': { options: ['C'], fill_ins: { q2_equipment_total: 200, q2_equipment_digitized: 60, q2_rate: 30 } },
        '4': { options: [] },
        '11': { options: ['A'], fill_ins: { q11_avg_investment: null } },
      },
      scenarios: { '1': 2, '2': null },
    })
    expect(toRequest(edition, a, rules)).toEqual({
      questions: {
        '1': { options: ['B', 'C'] },
        '2': { fill_ins: { q2_equipment_total: 200, q2_equipment_digitized: 60 } },
        '11': { options: ['A'] },
      },
      scenarios: { '1': 2 },
    })
  })

  it('maps questions to dimension pages and error fields to items', () => {
    expect(pageOfQuestion(edition, 7)).toBe(0)
    expect(pageOfQuestion(edition, 8)).toBe(1)
    expect(pageOfQuestion(edition, 15)).toBe(2)
    expect(parseField('questions.2')).toEqual({ kind: 'question', no: 2 })
    expect(parseField('scenarios.16')).toEqual({ kind: 'scenario', no: 16 })
    expect(parseField('answers')).toBeNull()
  })
})
