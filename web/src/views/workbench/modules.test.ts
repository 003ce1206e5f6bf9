import { describe, expect, it } from 'vitest'
import type { OrgDetail, SessionUser } from '@/api/types'
import { menuItemFor, modulesFor, openModule } from './modules'

function user(kind: SessionUser['organization']['kind'], roles: SessionUser['roles'], permissions: string[] = []): SessionUser {
  return {
    id: 'u1',
    username: 'someone',
    display_name: '某人',
    organization: { id: 'o1', name: '某单位', kind, kind_label: kind },
    roles,
    permissions,
    must_change_password: false,
  }
}

function org(kind: OrgDetail['kind'], certification_status: OrgDetail['certification_status']): OrgDetail {
  return { id: 'o1', name: '某单位', kind, kind_label: kind, certification_status }
}

const keys = (u: SessionUser, o: OrgDetail | null = null) => modulesFor(u, o).map((m) => m.key)

describe('workbench modules', () => {
  it('gives an enterprise administrator the profile, materials and sub-accounts', () => {
    const k = keys(user('enterprise', ['org_admin']), org('enterprise', 'none'))
    expect(k).toEqual(expect.arrayContaining(['profile', 'materials', 'accounts', 'filing']))
    expect(k).not.toContain('departments')
    expect(k).not.toContain('audit')
  })

  it('keeps sub-accounts locked until a provider is certified', () => {
    const pending = modulesFor(user('provider', ['org_admin']), org('provider', 'pending')).find((m) => m.key === 'accounts')
    expect(pending?.lockedReason).toMatch(/审批中/)
    expect(openModule(user('provider', ['org_admin']), org('provider', 'pending'), 'accounts')).toBeNull()
    expect(openModule(user('provider', ['org_admin']), org('provider', 'certified'), 'accounts')?.to).toBe('/workbench/accounts')
  })

  it('gives a government administrator departments and users, not company pages', () => {
    const k = keys(user('government', ['org_admin']))
    expect(k).toEqual(expect.arrayContaining(['departments', 'users']))
    expect(k).not.toContain('profile')
    expect(k).not.toContain('accounts')
  })

  it('gives a city bureau (not a province, district or town) 诊断评估分配 and 国家平台同步, and an agency its 诊断评估任务', () => {
    const at = (region_code: string) => ({ ...user('government', ['org_admin']), organization: { id: 'o1', name: '某局', kind: 'government' as const, kind_label: '政府', region_code } })
    expect(keys(at('442000'))).toContain('diagnosis-assignments')
    for (const other of ['440000', '440703', '442000118']) expect(keys(at(other))).not.toContain('diagnosis-assignments')
    expect(openModule(at('442000'), null, 'national-sync')?.to).toBe('/workbench/lifecycle/national-sync')
    for (const other of ['440000', '440703']) expect(keys(at(other))).not.toContain('national-sync')
    expect(openModule(user('agency', ['org_admin']), null, 'agency-tasks')?.to).toBe('/workbench/agency/diagnoses')
    expect(keys(user('agency', ['member'], ['reviews']))).not.toContain('agency-tasks')
    expect(keys(user('agency', ['member'], ['diagnoses']))).toContain('agency-tasks')
  })

  it('gives the audit administrator the audit log only among the admin pages', () => {
    const k = keys(user('operator', ['audit_admin']))
    expect(k).toContain('audit')
    expect(k).not.toContain('users')
    expect(k).not.toContain('accounts')
  })

  it('shows members only the business modules they were granted', () => {
    const k = keys(user('enterprise', ['member'], ['assessment']))
    expect(k).toEqual(expect.arrayContaining(['profile', 'materials', 'assessment']))
    expect(k).not.toContain('filing')
    // 数字化诊断评估 fixes a project's pre-transformation level: a 项目管理 task, not an assessment one.
    expect(k).not.toContain('diagnosis')
    expect(keys(user('enterprise', ['member'], ['projects']))).toEqual(expect.arrayContaining(['filing', 'diagnosis']))
    expect(k).not.toContain('accounts')
  })

  it('gives every organization 我的申请', () => {
    for (const kind of ['enterprise', 'provider', 'lead_unit', 'agency', 'government', 'operator'] as const) {
      const m = modulesFor(user(kind, ['member'])).find((x) => x.key === 'my-cases')
      expect(m?.to, kind).toBe('/workbench/review/cases')
    }
  })

  it('gives reviewer organizations 待办审核, to members only with the 审核办理 permission', () => {
    for (const kind of ['government', 'operator', 'agency'] as const) {
      expect(openModule(user(kind, ['org_admin']), null, 'review-todo')?.to, kind).toBe('/workbench/review/todo')
      expect(keys(user(kind, ['member'], ['reviews'])), kind).toContain('review-todo')
      expect(keys(user(kind, ['member'])), kind).not.toContain('review-todo')
    }
    // A lead unit has no 审核办理 permission to grant: its members confirm providers and products.
    expect(keys(user('lead_unit', ['member']))).toContain('review-todo')
    expect(keys(user('enterprise', ['org_admin']))).not.toContain('review-todo')
    expect(keys(user('provider', ['org_admin']))).not.toContain('review-todo')
  })

  it('gives the system administrator 审核流程管理, and nobody else', () => {
    expect(openModule(user('operator', ['system_admin']), null, 'review-flows')?.to).toBe('/workbench/review/flows')
    for (const roles of [['org_admin'], ['security_admin'], ['audit_admin'], ['member']] as const) {
      expect(keys(user('operator', [...roles])), roles[0]).not.toContain('review-flows')
      expect(keys(user('government', [...roles])), roles[0]).not.toContain('review-flows')
    }
  })

  it('gives the developer page 参考数据 (codes, SHA-256 of uploads) to the system administrator only', () => {
    expect(openModule(user('operator', ['system_admin']), null, 'reference-data')?.to).toBe('/workbench/reference-data')
    for (const kind of ['enterprise', 'provider', 'lead_unit', 'agency', 'government', 'operator'] as const) {
      for (const roles of [['org_admin'], ['member'], ['security_admin'], ['audit_admin']] as const) {
        expect(keys(user(kind, [...roles], ['assessment', 'reviews'])), `${kind} ${roles[0]}`).not.toContain('reference-data')
      }
    }
  })

  it('opens 服务商认证 as the operator to-do filtered to certifications', () => {
    const m = openModule(user('operator', ['org_admin']), null, 'certification')
    expect(m?.to).toBe('/workbench/review/todo?kind=provider_certification')
  })

  it('opens 服务商申报 and 我的产品 to a certified provider only', () => {
    const admin = user('provider', ['org_admin'])
    expect(openModule(admin, org('provider', 'certified'), 'provider-application')?.to).toBe('/workbench/provider-applications')
    expect(openModule(admin, org('provider', 'certified'), 'products')?.to).toBe('/workbench/products')
    const pending = modulesFor(admin, org('provider', 'pending')).find((m) => m.key === 'provider-application')
    expect(pending?.lockedReason).toMatch(/审批中/)
    expect(openModule(admin, org('provider', 'pending'), 'products')).toBeNull()
    expect(openModule(admin, null, 'provider-application')).toBeNull()
    // Members need the menu permission.
    expect(keys(user('provider', ['member'], ['products']), org('provider', 'certified'))).not.toContain('provider-application')
  })

  it('gives a lead unit its members, pool and the filtered to-do lists', () => {
    const lead = user('lead_unit', ['member'])
    expect(openModule(lead, null, 'alliance')?.to).toBe('/workbench/review/todo?kind=alliance_join')
    expect(openModule(lead, null, 'product-confirm')?.to).toBe('/workbench/review/todo?kind=product_entry')
    expect(openModule(lead, null, 'members')?.to).toBe('/workbench/lead-unit/members')
    expect(openModule(lead, null, 'pool')?.to).toBe('/workbench/lead-unit/pool')
    expect(keys(user('provider', ['org_admin']))).not.toContain('pool')
  })

  it('opens 项目签约 to an enterprise holding 项目管理, and the same pages to a lead unit as 协助签约', () => {
    expect(openModule(user('enterprise', ['member'], ['projects']), null, 'signing')?.to).toBe('/workbench/signings')
    expect(keys(user('enterprise', ['member'], ['assessment']))).not.toContain('signing')
    const lead = openModule(user('lead_unit', ['member']), null, 'signing')
    expect([lead?.title, lead?.to]).toEqual(['协助签约', '/workbench/signings'])
    expect(keys(user('provider', ['org_admin']))).not.toContain('signing')
  })

  it('opens 申报管理 to government officials holding the calls permission', () => {
    expect(openModule(user('government', ['org_admin']), null, 'calls-admin')?.to).toBe('/workbench/calls/manage')
    expect(modulesFor(user('government', ['org_admin'])).find((m) => m.key === 'calls-admin')?.title).toBe('申报管理')
    expect(keys(user('government', ['member'], ['calls']))).toContain('calls-admin')
    expect(keys(user('government', ['member'], ['reviews']))).not.toContain('calls-admin')
    expect(keys(user('enterprise', ['org_admin']))).not.toContain('calls-admin')
  })

  it('opens 企业管理 to government officials holding the enterprises permission (as the server rules)', () => {
    expect(openModule(user('government', ['org_admin']), null, 'enterprises')?.to).toBe('/workbench/enterprises')
    expect(keys(user('government', ['member'], ['enterprises']))).toContain('enterprises')
    expect(keys(user('government', ['member'], ['reviews']))).not.toContain('enterprises')
    expect(keys(user('enterprise', ['org_admin']))).not.toContain('enterprises')
    expect(keys(user('operator', ['org_admin']))).not.toContain('enterprises')
  })

  it('opens 我要申报, 我的项目 and 我的申报书 to enterprises holding the applications permission', () => {
    const admin = user('enterprise', ['org_admin'])
    expect(openModule(admin, null, 'calls')?.to).toBe('/workbench/calls')
    expect(openModule(admin, null, 'calls-mine')?.to).toBe('/workbench/calls/mine')
    expect(openModule(admin, null, 'calls-documents')?.to).toBe('/workbench/calls/documents')
    expect(keys(user('enterprise', ['member'], ['applications']))).toEqual(expect.arrayContaining(['calls', 'calls-mine', 'calls-documents']))
    expect(keys(user('enterprise', ['member'], ['assessment']))).not.toContain('calls')
    for (const kind of ['provider', 'government', 'operator'] as const) {
      expect(keys(user(kind, ['org_admin'])), kind).not.toContain('calls-mine')
    }
  })
})

describe('the side menu item of a page', () => {
  const tos = ['/workbench/review/todo', '/workbench/review/todo?kind=alliance_join', '/workbench/review/cases', '/workbench/lead-unit/pool']
  const page = (fullPath: string) => ({ fullPath, path: fullPath.split('?')[0] })

  it('lights the item of the page, a filtered to-do list as its own item', () => {
    expect(menuItemFor(tos, page('/workbench/lead-unit/pool'))).toBe('/workbench/lead-unit/pool')
    expect(menuItemFor(tos, page('/workbench/review/todo?kind=alliance_join'))).toBe('/workbench/review/todo?kind=alliance_join')
    expect(menuItemFor(tos, page('/workbench/review/todo?kind=other'))).toBe('/workbench/review/todo')
  })

  it('keeps the item a case was opened from, else the one above it', () => {
    expect(menuItemFor(tos, page('/workbench/review/cases/c1'), '/workbench/review/todo')).toBe('/workbench/review/todo')
    expect(menuItemFor(tos, page('/workbench/review/cases/c1'))).toBe('/workbench/review/cases')
    expect(menuItemFor(tos, page('/workbench/notifications'))).toBe('')
    expect(menuItemFor(tos, page('/workbench/notifications'), '/workbench/gone')).toBe('')
  })

  it('lights 我要申报 for an application page opened directly, 我的项目 when opened from it', () => {
    const calls = ['/workbench/calls', '/workbench/calls/mine', '/workbench/calls/documents']
    expect(menuItemFor(calls, page('/workbench/calls/mine'))).toBe('/workbench/calls/mine')
    expect(menuItemFor(calls, page('/workbench/calls/applications/a1'))).toBe('/workbench/calls')
    expect(menuItemFor(calls, page('/workbench/calls/applications/a1'), '/workbench/calls/mine')).toBe('/workbench/calls/mine')
  })
})
