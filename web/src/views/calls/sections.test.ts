import { describe, expect, it } from 'vitest'
import type { Department } from '@/api/types'
import { enabledDepartments } from './sections'

const dept = (id: string, name: string, sort_order: number, enabled: boolean, children: Department[] = []): Department => ({
  id,
  name,
  sort_order,
  enabled,
  children,
  parent_id: null,
  leader: null,
})

describe('enabledDepartments', () => {
  it('offers enabled departments in order, labelled by path, and nothing under a disabled one', () => {
    const tree = [
      dept('b', '产业科', 2, true, [dept('b1', '综合组', 1, true)]),
      dept('a', '信息化推进科', 1, true, [dept('a1', '综合组', 1, true), dept('a2', '停用组', 2, false)]),
      dept('c', '已撤销科', 3, false, [dept('c1', '遗留组', 1, true)]),
    ]
    expect(enabledDepartments(tree)).toEqual([
      { id: 'a', label: '信息化推进科' },
      { id: 'a1', label: '信息化推进科 / 综合组' },
      { id: 'b', label: '产业科' },
      { id: 'b1', label: '产业科 / 综合组' },
    ])
  })
})
