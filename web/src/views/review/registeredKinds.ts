/**
 * The review case kinds of every capability, registered where they are read: the case page, 我的申请 and 待办
 * import them from here. Registering them at start-up would put every capability's kind table in the portal's
 * first load (spec 90: under 300 KB of JavaScript; docs/benchmarks.md "Web bundle weight").
 */
import '@/views/orgs/kinds'
import '@/views/providers/kinds'
import '@/views/products/kinds'
import '@/views/lifecycle/kinds'
import '@/views/calls/kinds'

export { caseKind, caseKindOptions } from './kinds'
