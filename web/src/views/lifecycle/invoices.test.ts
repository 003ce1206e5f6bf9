import { describe, expect, it } from 'vitest'
import { emptyInvoice, lineTotal, sums } from './invoices'

describe('invoice sums', () => {
  it('adds every line to the fen, with no float drift, and counts a shared voucher once', () => {
    const a = { ...emptyInvoice(), lines: Array.from({ length: 10 }, () => ({ name: 'x', amount: '0.1', tax: '0.2' })), vouchers: ['v1', 'v2'] }
    const b = { ...emptyInvoice(), lines: [{ name: 'y', amount: '100,000.10', tax: '6000.01' }], vouchers: ['v2'] }
    expect(sums([a, b])).toEqual({ amount: '100,001.10', tax: '6,002.01', total: '106,003.11', complete: true, vouchers: 2 })
  })

  it('leaves out a line that is not an amount yet, and says so', () => {
    const a = { ...emptyInvoice(), lines: [{ name: 'x', amount: '12.5', tax: '' }, { name: 'y', amount: '1', tax: '0.06' }] }
    expect(sums([a])).toMatchObject({ total: '1.06', complete: false })
    expect(lineTotal(a.lines[0]!)).toBeNull()
    expect(lineTotal(a.lines[1]!)).toBe('1.06')
  })
})
