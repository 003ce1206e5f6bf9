/**
 * Ties every el-form-item's state to its controls for assistive technology (WCAG 1.3.1, 3.3.1, 4.1.2),
 * once for the whole app rather than in each of the forms:
 *
 * - `aria-required="true"` on the controls of a required item (Element Plus marks it `.is-required`, from
 *   the rules or the `required` prop; the red * alone is not announced);
 * - `aria-invalid="true"` while the item shows an error (`.is-error`: a rule failed or the server's
 *   message was put on `:error`);
 * - `aria-describedby` pointing at the error text (`.el-form-item__error`, given an id here) and at the
 *   item's hints (`.sz-form-hint`), so a screen reader reads them with the field;
 * - `aria-labelledby` pointing at the item's label when Element Plus could not tie its `<label for>` to the
 *   control (items holding a composite control such as the captcha or several inputs).
 *
 * Element Plus 2.14 renders the error as a bare `<div role="alert">` without an id and sets none of these
 * attributes. One MutationObserver on the document follows the items' classes and children, so forms in
 * dialogs (teleported to <body>) and forms added later are covered without any change to them.
 *
 * The same observer names the few controls Element Plus renders without any name (UNNAMED), and gives
 * el-cascader's text input the combobox role: Element Plus 2.14 sets `aria-expanded` on it when the menu
 * opens, which ARIA allows only on a role that expands (axe: aria-allowed-attr, critical).
 */

/** Controls that take the item's state: text-like inputs (also el-select's combobox input), text areas,
 *  and the groups of radio buttons and check boxes (whose own inputs are visually hidden). */
const CONTROLS = [
  'input:not([type=hidden]):not([type=file]):not([type=checkbox]):not([type=radio])',
  'textarea',
  '[role=radiogroup]',
  '[role=group]',
  '[role=spinbutton]',
].join(',')

/** Roles on which ARIA allows aria-required (a group of check boxes does not take it). */
const REQUIRABLE = (el: Element) => el.getAttribute('role') !== 'group'

const ITEM = '.el-form-item'

/** Element Plus controls that come without a label, and the name they are given. */
const UNNAMED: [selector: string, name: string][] = [
  // el-pagination's page-size select (10条/页 …).
  ['.el-pagination__sizes input', '每页显示条数'],
]
/** el-cascader's input: a combobox whose popup is a tree of menus. */
const CASCADER_INPUT = '.el-cascader .el-input__inner'
const UNNAMED_ANY = [...UNNAMED.map(([sel]) => sel), CASCADER_INPUT].join(',')

function nameControl(el: Element) {
  if (el.matches(CASCADER_INPUT)) {
    el.setAttribute('role', 'combobox')
    el.setAttribute('aria-haspopup', 'tree')
    // Required on a combobox; Element Plus keeps it current from the first opening on.
    if (!el.hasAttribute('aria-expanded')) el.setAttribute('aria-expanded', 'false')
  }
  if (el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby')) return
  const entry = UNNAMED.find(([sel]) => el.matches(sel))
  if (entry) el.setAttribute('aria-label', entry[1])
}

/** Ids this module put in an element's aria-describedby, so it can take them out again. */
const OWN_IDS = 'data-sz-describedby'

let counter = 0
function ensureId(el: Element, prefix: string): string {
  if (!el.id) el.id = `${prefix}-${++counter}`
  return el.id
}

/** Only what belongs to `item` itself, not to an item nested inside it. */
function own<T extends Element>(item: Element, found: Iterable<T>): T[] {
  return [...found].filter((el) => el.closest(ITEM) === item)
}

function setFlag(el: Element, name: string, on: boolean) {
  if (on) el.setAttribute(name, 'true')
  else el.removeAttribute(name)
}

function setDescribedBy(el: Element, ids: string[]) {
  const previous = (el.getAttribute(OWN_IDS) ?? '').split(' ').filter(Boolean)
  const others = (el.getAttribute('aria-describedby') ?? '').split(' ').filter((t) => t && !previous.includes(t))
  const all = [...others, ...ids]
  if (all.length) el.setAttribute('aria-describedby', all.join(' '))
  else el.removeAttribute('aria-describedby')
  if (ids.length) el.setAttribute(OWN_IDS, ids.join(' '))
  else el.removeAttribute(OWN_IDS)
}

function hasName(el: Element): boolean {
  if (el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby')) return true
  const labels = (el as HTMLInputElement).labels
  return !!labels && labels.length > 0
}

/** Bring one form item's controls in line with what the item shows. */
export function wireFormItem(item: Element) {
  const content = item.querySelector(':scope > .el-form-item__content')
  if (!content) return
  const controls = own(item, content.querySelectorAll(CONTROLS))
  if (!controls.length) return
  const invalid = item.classList.contains('is-error')
  const required = item.classList.contains('is-required')
  const error = own(item, content.querySelectorAll('.el-form-item__error'))[0]
  const hints = own(item, content.querySelectorAll('.sz-form-hint'))
  const describedBy = [
    ...(error && invalid ? [ensureId(error, 'sz-field-error')] : []),
    ...hints.map((h) => ensureId(h, 'sz-field-hint')),
  ]
  const label = item.querySelector(':scope > .el-form-item__label-wrap > .el-form-item__label, :scope > .el-form-item__label')
  for (const control of controls) {
    setFlag(control, 'aria-invalid', invalid)
    if (REQUIRABLE(control)) setFlag(control, 'aria-required', required)
    setDescribedBy(control, describedBy)
    if (label?.id && !hasName(control)) control.setAttribute('aria-labelledby', label.id)
  }
}

/** Start following every form item on the page (called once, from main.ts). */
export function installFormA11y(root: HTMLElement = document.body) {
  const pending = new Set<Element>()
  const unnamed = new Set<Element>()
  let scheduled = false
  const flush = () => {
    scheduled = false
    for (const item of pending) if (item.isConnected) wireFormItem(item)
    for (const el of unnamed) if (el.isConnected) nameControl(el)
    pending.clear()
    unnamed.clear()
  }
  /** The item around `node`; with `inside`, also the items within it (a form or dialog just added). */
  const note = (node: Node, inside = false) => {
    if (!(node instanceof Element)) return
    const item = node.closest(ITEM)
    if (item) pending.add(item)
    if (!inside) return
    for (const inner of node.querySelectorAll(ITEM)) pending.add(inner)
    if (node.matches(UNNAMED_ANY)) unnamed.add(node)
    for (const el of node.querySelectorAll(UNNAMED_ANY)) unnamed.add(el)
  }
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      note(r.target)
      r.addedNodes.forEach((n) => note(n, true))
    }
    if ((pending.size || unnamed.size) && !scheduled) {
      scheduled = true
      queueMicrotask(flush)
    }
  })
  // Only classes and children: the attributes this module writes do not wake it up again.
  observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] })
  root.querySelectorAll(ITEM).forEach(wireFormItem)
  root.querySelectorAll(UNNAMED_ANY).forEach(nameControl)
  return observer
}
