import { describe, expect, it, vi } from 'vitest'
import type { Industry } from '@/api/types'
import rows from '../../../data/reference/industries.json'
import { buildIndustryOptions, industryMatches, type IndustryOption } from './IndustrySelect.vue'

// The component imports Element Plus's stylesheets (on-demand styles); Node cannot load .css.
vi.mock('element-plus/es/components/base/style/css', () => ({}))
vi.mock('element-plus/es/components/cascader/style/css', () => ({}))

/** The tree GET /api/industries serves, built from the shipped file the way the server does. */
function apiTree(): Industry[] {
  const byParent = new Map<string | null, typeof rows>()
  for (const r of rows) byParent.set(r.parent, [...(byParent.get(r.parent) ?? []), r])
  const build = (parent: string | null): Industry[] =>
    (byParent.get(parent) ?? [])
      .slice()
      .sort((a, b) => (a.code < b.code ? -1 : 1))
      .map((r) => ({ code: r.code, name: r.name, level: r.level, children: build(r.code) }))
  return build(null)
}

const tree = apiTree()

function find(options: IndustryOption[], code: string): IndustryOption | undefined {
  for (const o of options) {
    if (o.value === code) return o
    const hit = o.children && find(o.children, code)
    if (hit) return hit
  }
  return undefined
}

function count(options: IndustryOption[], pred: (o: IndustryOption) => boolean): number {
  return options.reduce((n, o) => n + (pred(o) ? 1 : 0) + (o.children ? count(o.children, pred) : 0), 0)
}

describe('IndustrySelect options', () => {
  it('offers all four levels of the shipped table, every level choosable by default', () => {
    const options = buildIndustryOptions(tree)
    expect(options.map((o) => o.value).join('')).toBe('ABCDEFGHIJKLMNOPQRST')
    for (const level of ['section', 'division', 'group', 'class']) {
      expect(count(options, (o) => o.level === level)).toBe({ section: 20, division: 97, group: 473, class: 1382 }[level])
    }
    expect(count(options, (o) => o.disabled)).toBe(0)
    const c = find(options, 'C')!
    const d39 = c.children!.find((o) => o.value === '39')!
    const g397 = d39.children!.find((o) => o.value === '397')!
    expect(g397.label).toBe('397 电子器件制造')
    const c3971 = g397.children!.find((o) => o.value === '3971')!
    expect(c3971).toMatchObject({ label: '3971 电子真空器件制造', level: 'class', disabled: false })
    // Leaves carry no children array, so the cascader shows no arrow on them.
    expect('children' in c3971).toBe(false)
    expect(find(options, '382')?.name).toBe('输配电及控制设备制造')
    expect(find(options, '358')?.name).toBe('医疗仪器设备及器械制造')
  })

  it('stops at the deepest allowed level (门类 and 大类 only)', () => {
    const options = buildIndustryOptions(tree, ['section', 'division'])
    expect(count(options, () => true)).toBe(117)
    const d39 = find(options, '39')!
    expect(d39.disabled).toBe(false)
    expect(d39.children).toBeUndefined()
    expect(find(options, '397')).toBeUndefined()
  })

  it('with only 小类 allowed, the levels above open but cannot be chosen', () => {
    const options = buildIndustryOptions(tree, ['class'])
    expect(count(options, (o) => !o.disabled)).toBe(1382)
    expect(count(options, (o) => !o.disabled && o.level !== 'class')).toBe(0)
    expect(find(options, 'C')).toMatchObject({ disabled: true })
    expect(find(options, '397')!.children!.length).toBeGreaterThan(0)
    expect(find(options, '3971')).toMatchObject({ disabled: false })
  })

  it('allows levels that are not next to each other', () => {
    const options = buildIndustryOptions(tree, ['division', 'class'])
    expect(find(options, 'C')!.disabled).toBe(true)
    expect(find(options, '39')!.disabled).toBe(false)
    expect(find(options, '397')!.disabled).toBe(true)
    expect(find(options, '3971')!.disabled).toBe(false)
  })
})

describe('IndustrySelect search', () => {
  const o = (value: string, name: string) => ({ value, name })

  it('finds a code and what is below it, with or without the section letter, in any width', () => {
    for (const k of ['397', 'C397', 'c397', 'ｃ３９７', ' 397 ']) {
      expect(industryMatches(o('397', '电子器件制造'), k), k).toBe(true)
      expect(industryMatches(o('3971', '电子真空器件制造'), k), k).toBe(true)
      expect(industryMatches(o('396', '智能消费设备制造'), k), k).toBe(false)
      expect(industryMatches(o('39', '计算机、通信和其他电子设备制造业'), k), k).toBe(false)
    }
  })

  it('finds a section by its letter', () => {
    expect(industryMatches(o('C', '制造业'), 'C')).toBe(true)
    expect(industryMatches(o('D', '电力、热力、燃气及水生产和供应业'), 'c')).toBe(false)
  })

  it('finds names by any part, brackets in either width', () => {
    expect(industryMatches(o('3971', '电子真空器件制造'), '真空')).toBe(true)
    expect(industryMatches(o('1922', '皮箱、包（袋）制造'), '包(袋)')).toBe(true)
    expect(industryMatches(o('7517', '三维（3D）打印技术推广服务'), '3d')).toBe(true)
    expect(industryMatches(o('3971', '电子真空器件制造'), '纺织')).toBe(false)
    expect(industryMatches(o('3971', '电子真空器件制造'), '')).toBe(true)
  })

  it('works on the whole table: "真空" finds 电子真空器件制造, "382" finds its group and classes', () => {
    const flat: IndustryOption[] = []
    const walk = (os: IndustryOption[]) => os.forEach((x) => (flat.push(x), x.children && walk(x.children)))
    walk(buildIndustryOptions(tree))
    expect(flat.filter((x) => industryMatches(x, '真空')).map((x) => x.value)).toContain('3971')
    const hits = flat.filter((x) => industryMatches(x, '382')).map((x) => x.value)
    expect(hits[0]).toBe('382')
    expect(hits.every((c) => c.startsWith('382'))).toBe(true)
    expect(hits.length).toBeGreaterThan(1)
  })
})
