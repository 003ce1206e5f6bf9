import { parseYuan, formatYuan } from '@/utils/money'

/**
 * 项目合同发票 of 项目实施-改造完成, as the page holds them while they are typed: the amounts are text, and the
 * totals (价税合计 of a line, 发票总金额 / 发票总税额 / 总价税) are computed from it in integer fen — the server's
 * `shuzhuan_core::invoice` rules, so what the page shows is what the server will compute. Never typed.
 */
export interface LineEdit {
  name: string
  amount: string
  tax: string
}

export interface InvoiceEdit {
  code: string
  number: string
  date: string
  seller: string
  lines: LineEdit[]
  vouchers: string[]
}

/** 价税合计 of one line, or null while its 金额 or 税额 is not an amount. */
export function lineTotal(l: LineEdit): string | null {
  const a = parseYuan(l.amount)
  const t = parseYuan(l.tax)
  return a.ok && t.ok ? formatYuan(a.fen + t.fen) : null
}

export interface Sums {
  amount: string
  tax: string
  total: string
  /** False while some line's 金额 or 税额 is empty or not an amount (that line is left out). */
  complete: boolean
  /** 项目合同付款凭证: distinct vouchers, one paying several invoices counted once. */
  vouchers: number
}

export function sums(invoices: InvoiceEdit[]): Sums {
  let amount = 0n
  let tax = 0n
  let complete = true
  for (const l of invoices.flatMap((i) => i.lines)) {
    const a = parseYuan(l.amount)
    const t = parseYuan(l.tax)
    if (a.ok && t.ok) {
      amount += a.fen
      tax += t.fen
    } else {
      complete = false
    }
  }
  const vouchers = new Set(invoices.flatMap((i) => i.vouchers)).size
  return { amount: formatYuan(amount), tax: formatYuan(tax), total: formatYuan(amount + tax), complete, vouchers }
}

export function emptyLine(): LineEdit {
  return { name: '', amount: '', tax: '' }
}

export function emptyInvoice(): InvoiceEdit {
  return { code: '', number: '', date: '', seller: '', lines: [emptyLine()], vouchers: [] }
}
