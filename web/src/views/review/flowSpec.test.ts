import { describe, expect, it } from 'vitest'
import {
  changeAssigneeKind,
  cloneSpec,
  describeAssignee,
  moveStage,
  newStage,
  newStageKey,
  opinionActions,
  opinionEditable,
  parseFlowSpec,
  removeStage,
  setActionAllowed,
  setOpinionRequired,
  stageChain,
  stageRows,
  toPayload,
  validateFlow,
  validKey,
  type FlowSpec,
  type StageSpec,
} from './flowSpec'

/** As the server stores the seeded 商品上架 flow (canonical form: reject and return in opinion_required). */
const LISTING_JSON = {
  key: 'listing',
  name: '商品上架',
  version: 1,
  stages: [
    {
      key: 'operator_review',
      name: '运营人员初审',
      assignee: { kind: 'fixed_organization', org_id: 'platform_operator' },
      actions: ['approve', 'reject', 'return', 'withdraw'],
      opinion_required: ['reject', 'return'],
      return_to: 'owner',
      deadline_days: null,
    },
    {
      key: 'expert_review',
      name: '专家评审',
      assignee: { kind: 'assigned_by_stage', stage_key: 'operator_review' },
      actions: ['approve', 'reject', 'return', 'withdraw'],
      opinion_required: ['reject', 'return'],
      return_to: 'owner',
      deadline_days: null,
    },
    {
      key: 'province_review',
      name: '工信厅终审',
      assignee: { kind: 'region_authority', level: 'province', role: 'reviews' },
      actions: ['approve', 'reject', 'return', 'withdraw'],
      opinion_required: ['reject', 'return'],
      return_to: 'owner',
      deadline_days: 15,
    },
  ],
}

function listing(): FlowSpec {
  const spec = parseFlowSpec(JSON.parse(JSON.stringify(LISTING_JSON)))
  if (!spec) throw new Error('fixture does not parse')
  return spec
}

function stage(over: Partial<StageSpec> = {}): StageSpec {
  return {
    key: 'city_review',
    name: '市工信审核',
    assignee: { kind: 'region_authority', level: 'city', role: 'reviews' },
    actions: ['approve', 'reject', 'return', 'withdraw'],
    opinion_required: [],
    return_to: 'owner',
    deadline_days: null,
    ...over,
  }
}

function flow(stages: StageSpec[]): FlowSpec {
  return { key: 'info_change', name: '信息变更', version: 1, stages }
}

describe('describing who reviews', () => {
  it('names the region authority by level, with the role when it is not the reviewers', () => {
    expect(describeAssignee({ kind: 'region_authority', level: 'city', role: 'reviews' })).toBe('申请单位所在地 市级 主管部门')
    expect(describeAssignee({ kind: 'region_authority', level: 'town', role: 'reviews' })).toBe('申请单位所在地 乡镇（街道）级 主管部门')
    expect(describeAssignee({ kind: 'region_authority', level: 'province', role: 'chief' })).toBe('申请单位所在地 省级 主管部门（chief）')
  })

  it('names the field of the case and the fixed placeholders', () => {
    expect(describeAssignee({ kind: 'case_organization', field: 'lead_unit_id' })).toBe('申请中选择的单位（lead_unit_id）')
    expect(describeAssignee({ kind: 'case_person', field: 'acceptance_expert_id' })).toBe('主管部门指定的人员（acceptance_expert_id）')
    expect(describeAssignee({ kind: 'fixed_organization', org_id: 'platform_operator' })).toBe('固定单位：平台运营')
    expect(describeAssignee({ kind: 'fixed_organization', org_id: 'pre_review_org' })).toBe('固定单位：预审机构')
    expect(describeAssignee({ kind: 'fixed_organization', org_id: 'third_party_review_org' })).toBe('固定单位：第三方初审机构')
    expect(describeAssignee({ kind: 'fixed_organization', org_id: 'voucher_evaluation_org' })).toBe('固定单位：服务券评估机构')
    expect(describeAssignee({ kind: 'fixed_organization', org_id: 'org-42' })).toBe('固定单位：org-42')
  })

  it('says which stage assigns, the previous one or another', () => {
    const spec = listing()
    expect(describeAssignee(spec.stages[1]!.assignee, spec.stages, 1)).toBe('上一环节指定（运营人员初审）')
    expect(describeAssignee(spec.stages[1]!.assignee, spec.stages, 2)).toBe('由环节“运营人员初审”指定')
    expect(describeAssignee({ kind: 'assigned_by_stage', stage_key: 'gone' })).toBe('由环节“gone”指定')
  })

  it('names the responsible section by level and role', () => {
    expect(describeAssignee({ kind: 'responsible_section', level: 'city', role: 'city_section_leader' })).toBe('责任科室：市级 · 市处室领导')
    expect(describeAssignee({ kind: 'responsible_section', level: 'district', role: 'district_member' })).toBe('责任科室：县级 · 区县经办人员')
  })

  it('lists each stage for the tables', () => {
    const rows = stageRows(listing())
    expect(rows.map((r) => r.index)).toEqual([1, 2, 3])
    expect(rows[0]).toEqual({
      index: 1,
      key: 'operator_review',
      name: '运营人员初审',
      assignee: '固定单位：平台运营',
      actions: '通过、不通过、退回、撤回',
      opinion: '不通过、退回',
      returnTo: '申请单位',
      deadline: '不限',
    })
    expect(rows[2]?.deadline).toBe('15 天')
    expect(stageChain(listing())).toBe('运营人员初审 → 专家评审 → 工信厅终审')
  })

  it('always counts reject and return as needing an opinion, and no return target without return', () => {
    const s = stage({ actions: ['approve', 'return'], opinion_required: ['approve'], return_to: 'previous_stage' })
    expect(opinionActions(s)).toEqual(['approve', 'return'])
    expect(stageRows(flow([stage(), s]))[1]?.returnTo).toBe('上一环节')
    expect(stageRows(flow([stage({ actions: ['approve'] })]))[0]?.returnTo).toBe('—')
  })
})

describe('reading the spec of a FlowView', () => {
  it('fills the serde defaults', () => {
    const spec = parseFlowSpec({
      key: 'k',
      name: 'n',
      version: 2,
      stages: [{ key: 's', name: '环节', assignee: { kind: 'case_organization', field: 'enterprise_id' }, actions: ['approve'] }],
    })
    expect(spec?.stages[0]).toEqual({
      key: 's',
      name: '环节',
      assignee: { kind: 'case_organization', field: 'enterprise_id' },
      actions: ['approve'],
      opinion_required: [],
      return_to: 'owner',
      deadline_days: null,
    })
  })

  it('refuses what is not a flow', () => {
    expect(parseFlowSpec(null)).toBeNull()
    expect(parseFlowSpec({ stages: 'x' })).toBeNull()
    expect(parseFlowSpec({ stages: [{ assignee: { kind: 'robot' }, actions: [] }] })).toBeNull()
    expect(parseFlowSpec({ stages: [{ assignee: { kind: 'region_authority', level: 'galaxy', role: 'r' }, actions: [] }] })).toBeNull()
    expect(parseFlowSpec({ stages: [{ assignee: { kind: 'fixed_organization', org_id: 'x' }, actions: ['dance'] }] })).toBeNull()
  })

  it('copies deeply and sends empty deadlines as null', () => {
    const spec = listing()
    const copy = cloneSpec(spec)
    copy.stages[0]!.name = '改名'
    expect(spec.stages[0]!.name).toBe('运营人员初审')
    ;(copy.stages[1] as { deadline_days: unknown }).deadline_days = undefined
    const payload = toPayload(copy)
    expect(payload.stages[1]?.deadline_days).toBeNull()
    expect(payload.stages[2]?.deadline_days).toBe(15)
    expect(JSON.parse(JSON.stringify(payload)).stages[0].assignee).toEqual({ kind: 'fixed_organization', org_id: 'platform_operator' })
  })
})

describe('validating like FlowDefinition::new', () => {
  it('accepts the seeded flow', () => {
    expect(validateFlow(listing())).toEqual([])
  })

  it('checks keys and names', () => {
    expect(validKey('city_review')).toBe(true)
    expect(validKey('City')).toBe(false)
    expect(validKey('1st')).toBe(false)
    expect(validKey('a'.repeat(65))).toBe(false)
    expect(validKey('a'.repeat(64))).toBe(true)
    expect(validateFlow({ ...flow([stage()]), key: 'Bad-Key' })).toEqual([
      '流程标识“Bad-Key”不合规：应以小写字母开头，只含小写字母、数字和下划线，不超过64个字符',
    ])
    expect(validateFlow({ ...flow([stage()]), name: '  ' })).toEqual(['流程名称不能为空'])
    expect(validateFlow(flow([]))).toEqual(['流程至少需要一个审核环节'])
    expect(validateFlow(flow([stage({ key: 'x-1' })]))[0]).toBe(
      '环节标识“x-1”不合规：应以小写字母开头，只含小写字母、数字和下划线，不超过64个字符',
    )
    expect(validateFlow(flow([stage(), stage()]))).toEqual(['环节标识“city_review”重复'])
    expect(validateFlow(flow([stage({ name: ' ' })]))).toEqual(['环节“city_review”的名称不能为空'])
  })

  it('checks actions and opinions', () => {
    expect(validateFlow(flow([stage({ actions: ['approve', 'approve'] })]))).toEqual(['环节“市工信审核”的操作“通过”重复'])
    expect(validateFlow(flow([stage({ actions: ['reject', 'return'] })]))).toEqual(['环节“市工信审核”必须允许审核通过，否则事项无法办结'])
    expect(validateFlow(flow([stage({ opinion_required: ['withdraw'] })]))).toEqual(['环节“市工信审核”的撤回不填写意见，不能设置为必填'])
    expect(validateFlow(flow([stage({ actions: ['approve'], opinion_required: ['return'] })]))).toEqual([
      '环节“市工信审核”不允许“退回”，不能要求填写其意见',
    ])
    expect(validateFlow(flow([stage({ opinion_required: ['approve', 'approve'] })]))).toEqual(['环节“市工信审核”的操作“通过”重复'])
  })

  it('refuses a first stage that returns to the previous stage', () => {
    expect(validateFlow(flow([stage({ return_to: 'previous_stage' })]))).toEqual([
      '第一个环节“市工信审核”没有上一环节，不能设置为退回上一环节',
    ])
    expect(validateFlow(flow([stage({ key: 'a' }), stage({ key: 'b', return_to: 'previous_stage' })]))).toEqual([])
  })

  it('checks the assignee rule', () => {
    expect(validateFlow(flow([stage({ assignee: { kind: 'region_authority', level: 'city', role: ' ' } })]))).toEqual([
      '环节“市工信审核”的办理人规则缺少角色',
    ])
    expect(validateFlow(flow([stage({ assignee: { kind: 'responsible_section', level: 'city', role: '' } })]))).toEqual([
      '环节“市工信审核”的办理人规则缺少角色',
    ])
    expect(validateFlow(flow([stage({ assignee: { kind: 'case_organization', field: '' } })]))).toEqual(['环节“市工信审核”的办理人规则缺少事项字段'])
    expect(validateFlow(flow([stage({ assignee: { kind: 'fixed_organization', org_id: '' } })]))).toEqual(['环节“市工信审核”的办理人规则缺少单位'])
    // Assigned by itself or by a later stage: refused.
    expect(validateFlow(flow([stage({ assignee: { kind: 'assigned_by_stage', stage_key: 'city_review' } })]))).toEqual([
      '环节“市工信审核”的办理人应由它之前的环节指定，“city_review”不是它之前的环节',
    ])
  })

  it('checks the deadline', () => {
    expect(validateFlow(flow([stage({ deadline_days: 1 })]))).toEqual([])
    expect(validateFlow(flow([stage({ deadline_days: 365 })]))).toEqual([])
    expect(validateFlow(flow([stage({ deadline_days: 0 })]))).toEqual(['环节“市工信审核”的办理期限应为1至365天，当前为0天'])
    expect(validateFlow(flow([stage({ deadline_days: 366 })]))).toEqual(['环节“市工信审核”的办理期限应为1至365天，当前为366天'])
  })

  it('reports the stages in order, the first as the server would', () => {
    const spec = listing()
    spec.stages[0]!.name = ''
    spec.stages[2]!.deadline_days = 400
    expect(validateFlow(spec)).toEqual(['环节“operator_review”的名称不能为空', '环节“工信厅终审”的办理期限应为1至365天，当前为400天'])
  })

  it('catches a reorder that puts the assigned stage first', () => {
    const spec = listing()
    spec.stages = moveStage(spec.stages, 1, -1)
    expect(spec.stages.map((s) => s.key)).toEqual(['expert_review', 'operator_review', 'province_review'])
    expect(validateFlow(spec)).toEqual(['环节“专家评审”的办理人应由它之前的环节指定，“operator_review”不是它之前的环节'])
  })
})

describe('editing stages', () => {
  it('moves within bounds and removes', () => {
    const xs = ['a', 'b', 'c']
    expect(moveStage(xs, 0, 1)).toEqual(['b', 'a', 'c'])
    expect(moveStage(xs, 2, -1)).toEqual(['a', 'c', 'b'])
    expect(moveStage(xs, 0, -1)).toEqual(['a', 'b', 'c'])
    expect(moveStage(xs, 2, 1)).toEqual(['a', 'b', 'c'])
    expect(xs).toEqual(['a', 'b', 'c'])
    expect(removeStage(xs, 1)).toEqual(['a', 'c'])
  })

  it('adds a stage with a free key that passes once named', () => {
    const spec = listing()
    expect(newStageKey(spec.stages)).toBe('stage_4')
    expect(newStageKey([{ key: 'stage_2' }, { key: 'stage_3' }])).toBe('stage_4')
    const s = newStage(spec.stages)
    spec.stages.push(s)
    expect(validateFlow(spec)).toEqual(['环节“stage_4”的名称不能为空'])
    s.name = '市工信复审'
    expect(validateFlow(spec)).toEqual([])
  })

  it('switches the rule kind, carrying the level and naming the previous stage', () => {
    const authority = { kind: 'region_authority', level: 'district', role: 'reviews' } as const
    expect(changeAssigneeKind(authority, 'responsible_section')).toEqual({ kind: 'responsible_section', level: 'district', role: 'district_member' })
    expect(changeAssigneeKind(authority, 'region_authority')).toBe(authority)
    expect(changeAssigneeKind(authority, 'fixed_organization')).toEqual({ kind: 'fixed_organization', org_id: 'platform_operator' })
    expect(changeAssigneeKind(authority, 'case_organization')).toEqual({ kind: 'case_organization', field: 'lead_unit_id' })
    expect(changeAssigneeKind(authority, 'assigned_by_stage', [{ key: 'a' }, { key: 'b' }])).toEqual({ kind: 'assigned_by_stage', stage_key: 'b' })
    expect(changeAssigneeKind({ kind: 'fixed_organization', org_id: 'x' }, 'region_authority')).toEqual({
      kind: 'region_authority',
      level: 'city',
      role: 'reviews',
    })
  })

  it('keeps actions and opinions consistent and in canonical order', () => {
    const s = stage({ actions: ['approve', 'withdraw'], opinion_required: ['approve'] })
    setActionAllowed(s, 'return', true)
    expect(s.actions).toEqual(['approve', 'return', 'withdraw'])
    expect(s.opinion_required).toEqual(['approve', 'return'])
    setActionAllowed(s, 'approve', false)
    expect(s.opinion_required).toEqual(['return'])
    expect(validateFlow(flow([s]))[0]).toBe('环节“市工信审核”必须允许审核通过，否则事项无法办结')
    setActionAllowed(s, 'approve', true)
    expect(s.actions).toEqual(['approve', 'return', 'withdraw'])
    expect(opinionEditable(s, 'approve')).toBe(true)
    expect(opinionEditable(s, 'return')).toBe(false)
    expect(opinionEditable(s, 'withdraw')).toBe(false)
    setOpinionRequired(s, 'approve', true)
    expect(s.opinion_required).toEqual(['approve', 'return'])
    setOpinionRequired(s, 'approve', false)
    expect(s.opinion_required).toEqual(['return'])
    setActionAllowed(s, 'return', false)
    expect(s.opinion_required).toEqual([])
    expect(validateFlow(flow([s]))).toEqual([])
  })
})
