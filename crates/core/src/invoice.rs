//! 项目合同发票 of 项目实施-改造完成 (seed 002 ch. 8, spec 40 Completion): invoices with goods/services lines and the
//! bank payment vouchers that paid them, and the totals 发票总金额 / 发票总税额 / 总价税 — computed, never typed.
//!
//! Every amount is [`Money`] (integer fen) parsed from the decimal the user typed, so the totals are the sums of
//! the lines to the fen however many lines and invoices there are: there is no float anywhere to drift. A line's
//! 价税合计 is its 金额 + 税额, computed too, so a line cannot disagree with itself.
//!
//! Vouchers are files named by id; one voucher may pay several invoices (the seed: 同一笔付款凭证可关联多张发票),
//! so the project's vouchers are the distinct ids over all invoices.
//!
//! ```
//! use serde_json::json;
//! use shuzhuan_core::invoice::{parse_invoices, InvoiceTotals};
//!
//! let invoices = parse_invoices(&json!([
//!     {"code": "044001900111", "number": "00012345", "date": "2025-08-01", "seller": "中山市智汇五金云科技有限公司",
//!      "lines": [{"name": "MES 软件", "amount": "100,000.00", "tax": "6000"}, {"name": "实施服务", "amount": "0.1", "tax": "0.2"}],
//!      "vouchers": ["f1"]}
//! ])).unwrap();
//! let t = InvoiceTotals::of(&invoices).unwrap();
//! assert_eq!((t.amount.decimal_yuan(), t.tax.decimal_yuan(), t.total.decimal_yuan()),
//!            ("100000.10".into(), "6000.20".into(), "106000.30".into()));
//! ```

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use crate::form::{parse_date, Problem};
use crate::money::{Money, MoneyError};

/// The longest 名称 / 发票销售方 the form takes.
const MAX_TEXT: usize = 100;

/// One goods or services line: 名称, 金额 (before tax), 税额.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoiceLine {
    pub name: String,
    pub amount: Money,
    pub tax: Money,
}

impl InvoiceLine {
    /// 价税合计: 金额 + 税额. `None` only beyond [`Money::MAX`], which a parsed line cannot reach in practice.
    pub fn total(&self) -> Option<Money> {
        self.amount.checked_add(self.tax)
    }
}

/// One invoice as the enterprise enters it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invoice {
    /// 发票代码: 10 or 12 digits; `None` for a 数电票 (全面数字化的电子发票), which has only its 20-digit number.
    pub code: Option<String>,
    /// 发票号码: 8 digits with a code, 20 without.
    pub number: String,
    /// 开票日期, `YYYY-MM-DD`.
    pub date: String,
    /// 发票销售方.
    pub seller: String,
    pub lines: Vec<InvoiceLine>,
    /// 银行付款凭证: file ids, at least one.
    pub vouchers: Vec<String>,
}

impl Invoice {
    /// This invoice's totals.
    pub fn totals(&self) -> Result<InvoiceTotals, MoneyError> {
        InvoiceTotals::of_lines(self.lines.iter())
    }
}

/// 发票总金额, 发票总税额 and 总价税 (= the two added).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct InvoiceTotals {
    pub amount: Money,
    pub tax: Money,
    pub total: Money,
}

impl InvoiceTotals {
    /// The totals of all lines of all `invoices`.
    pub fn of(invoices: &[Invoice]) -> Result<InvoiceTotals, MoneyError> {
        Self::of_lines(invoices.iter().flat_map(|i| i.lines.iter()))
    }

    fn of_lines<'a>(lines: impl Iterator<Item = &'a InvoiceLine> + Clone) -> Result<InvoiceTotals, MoneyError> {
        let amount = Money::checked_sum(lines.clone().map(|l| l.amount)).ok_or(MoneyError::TooLarge)?;
        let tax = Money::checked_sum(lines.map(|l| l.tax)).ok_or(MoneyError::TooLarge)?;
        let total = amount.checked_add(tax).ok_or(MoneyError::TooLarge)?;
        Ok(InvoiceTotals { amount, tax, total })
    }
}

/// The distinct payment vouchers of `invoices`, each once however many invoices it paid.
pub fn distinct_vouchers(invoices: &[Invoice]) -> BTreeSet<&str> {
    invoices.iter().flat_map(|i| i.vouchers.iter().map(String::as_str)).collect()
}

/// Parses the invoices as a form sends them (a JSON array of objects with `code`, `number`, `date`, `seller`,
/// `lines: [{name, amount, tax}]` and `vouchers: [file id]`, amounts as yuan strings the way users type them),
/// naming every problem at its path (`invoices[0].lines[2].tax`) — all of them, not the first — so the page can
/// mark each cell.
pub fn parse_invoices(value: &Value) -> Result<Vec<Invoice>, Vec<Problem>> {
    let mut problems = Vec::new();
    let Some(items) = value.as_array() else {
        return Err(vec![problem("invoices", "发票信息格式不正确")]);
    };
    if items.is_empty() {
        return Err(vec![problem("invoices", "请至少添加一张发票")]);
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(invoice) = parse_invoice(item, &format!("invoices[{i}]"), &mut problems) {
            out.push(invoice);
        }
    }
    if problems.is_empty() {
        if let Err(e) = InvoiceTotals::of(&out) {
            problems.push(problem("invoices", &e.to_string()));
        }
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

fn problem(field: &str, message: &str) -> Problem {
    Problem { field: field.to_owned(), message: message.to_owned() }
}

fn text<'a>(item: &'a Value, key: &str) -> Option<&'a str> {
    item.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

fn all_digits(s: &str, lens: &[usize]) -> bool {
    lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

fn parse_invoice(item: &Value, at: &str, problems: &mut Vec<Problem>) -> Option<Invoice> {
    if !item.is_object() {
        problems.push(problem(at, "发票信息格式不正确"));
        return None;
    }
    let before = problems.len();
    let mut need = |key: &str, label: &str| -> Option<String> {
        let v = text(item, key);
        if v.is_none() {
            problems.push(problem(&format!("{at}.{key}"), &format!("请填写{label}")));
        }
        v.map(str::to_owned)
    };
    let code = text(item, "code").map(str::to_owned);
    let number = need("number", "发票号码");
    let date = need("date", "开票日期");
    let seller = need("seller", "发票销售方");
    if let Some(c) = &code {
        if !all_digits(c, &[10, 12]) {
            problems.push(problem(&format!("{at}.code"), "发票代码应为10位或12位数字（数电票不填）"));
        }
    }
    if let Some(n) = &number {
        let ok = if code.is_some() { all_digits(n, &[8]) } else { all_digits(n, &[20]) };
        if !ok {
            let message = if code.is_some() { "发票号码应为8位数字" } else { "数电票的发票号码应为20位数字；有发票代码的请填写发票代码" };
            problems.push(problem(&format!("{at}.number"), message));
        }
    }
    if let Some(d) = &date {
        if parse_date(d).is_none() {
            problems.push(problem(&format!("{at}.date"), "开票日期应为有效日期，如 2025-08-01"));
        }
    }
    if let Some(s) = &seller {
        if s.chars().count() > MAX_TEXT {
            problems.push(problem(&format!("{at}.seller"), &format!("发票销售方最多{MAX_TEXT}个字")));
        }
    }
    let lines = parse_lines(item.get("lines"), at, problems);
    let vouchers: Vec<String> = match item.get("vouchers").and_then(Value::as_array) {
        Some(ids) => ids.iter().filter_map(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        None => vec![],
    };
    if vouchers.is_empty() {
        problems.push(problem(&format!("{at}.vouchers"), "请上传该发票的银行付款凭证"));
    }
    if problems.len() > before {
        return None;
    }
    Some(Invoice { code, number: number?, date: date?, seller: seller?, lines, vouchers })
}

fn parse_lines(value: Option<&Value>, at: &str, problems: &mut Vec<Problem>) -> Vec<InvoiceLine> {
    let Some(rows) = value.and_then(Value::as_array).filter(|r| !r.is_empty()) else {
        problems.push(problem(&format!("{at}.lines"), "请至少填写一行货物或应税劳务、服务"));
        return vec![];
    };
    let mut out = Vec::with_capacity(rows.len());
    for (j, row) in rows.iter().enumerate() {
        let here = format!("{at}.lines[{j}]");
        let name = text(row, "name");
        match name {
            None => problems.push(problem(&format!("{here}.name"), "请填写货物或应税劳务、服务名称")),
            Some(n) if n.chars().count() > MAX_TEXT => problems.push(problem(&format!("{here}.name"), &format!("名称最多{MAX_TEXT}个字"))),
            Some(_) => {}
        }
        let mut amount_of = |key: &str, label: &str| -> Option<Money> {
            // A number typed into a JSON client is refused like a malformed string: amounts travel as text.
            let parsed = match row.get(key) {
                Some(Value::String(s)) => Money::parse_yuan(s),
                None | Some(Value::Null) => Err(MoneyError::Empty),
                Some(_) => Err(MoneyError::Format),
            };
            match parsed {
                Ok(m) => Some(m),
                Err(MoneyError::Empty) => {
                    problems.push(problem(&format!("{here}.{key}"), &format!("请填写{label}")));
                    None
                }
                Err(e) => {
                    // MoneyError reads 「金额…」: the cell's own word instead (税额不能为负数).
                    problems.push(problem(&format!("{here}.{key}"), &e.to_string().replacen("金额", label, 1)));
                    None
                }
            }
        };
        let amount = amount_of("amount", "金额");
        let tax = amount_of("tax", "税额");
        if let (Some(name), Some(amount), Some(tax)) = (name, amount, tax) {
            if amount == Money::ZERO {
                problems.push(problem(&format!("{here}.amount"), "金额应大于0"));
            }
            out.push(InvoiceLine { name: name.to_owned(), amount, tax });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn invoice(code: &str, number: &str, lines: Value, vouchers: Value) -> Value {
        json!({"code": code, "number": number, "date": "2025-08-01", "seller": "中山市智汇五金云科技有限公司", "lines": lines, "vouchers": vouchers})
    }

    #[test]
    fn every_problem_is_named_at_its_cell() {
        let bad = json!([
            {"code": "0440", "number": "123", "date": "2025-02-30", "seller": "", "lines": [], "vouchers": []},
            invoice("", "1234", json!([{"name": "", "amount": "1.234", "tax": 5}, {"name": "服务", "amount": "-3", "tax": ""}]), json!(["v1"])),
            "not an invoice",
        ]);
        let problems = parse_invoices(&bad).unwrap_err();
        let at: Vec<(&str, &str)> = problems.iter().map(|p| (p.field.as_str(), p.message.as_str())).collect();
        assert_eq!(
            at,
            [
                ("invoices[0].seller", "请填写发票销售方"),
                ("invoices[0].code", "发票代码应为10位或12位数字（数电票不填）"),
                ("invoices[0].number", "发票号码应为8位数字"),
                ("invoices[0].date", "开票日期应为有效日期，如 2025-08-01"),
                ("invoices[0].lines", "请至少填写一行货物或应税劳务、服务"),
                ("invoices[0].vouchers", "请上传该发票的银行付款凭证"),
                ("invoices[1].number", "数电票的发票号码应为20位数字；有发票代码的请填写发票代码"),
                ("invoices[1].lines[0].name", "请填写货物或应税劳务、服务名称"),
                ("invoices[1].lines[0].amount", "金额最多保留2位小数（精确到分）"),
                ("invoices[1].lines[0].tax", "税额格式不正确，请输入数字，如“1,234.56”"),
                ("invoices[1].lines[1].amount", "金额不能为负数"),
                ("invoices[1].lines[1].tax", "请填写税额"),
                ("invoices[2]", "发票信息格式不正确"),
            ]
        );
        assert_eq!(parse_invoices(&json!([])).unwrap_err()[0].message, "请至少添加一张发票");
        assert_eq!(parse_invoices(&json!({"a": 1})).unwrap_err()[0].field, "invoices");
    }

    #[test]
    fn a_digital_invoice_has_no_code_and_a_twenty_digit_number() {
        let ok = parse_invoices(&json!([invoice("", "25442000000012345678", json!([{"name": "云服务", "amount": "1", "tax": "0"}]), json!(["v"]))])).unwrap();
        assert_eq!((ok[0].code.as_deref(), ok[0].lines[0].total()), (None, Some(Money::from_fen(100).unwrap())));
    }

    #[test]
    fn a_voucher_shared_by_invoices_counts_once() {
        let lines = json!([{"name": "MES", "amount": "10", "tax": "0.6"}]);
        let invoices = parse_invoices(&json!([
            invoice("044001900111", "00000001", lines.clone(), json!(["shared", "a"])),
            invoice("044001900111", "00000002", lines, json!(["shared"])),
        ]))
        .unwrap();
        assert_eq!(distinct_vouchers(&invoices).into_iter().collect::<Vec<_>>(), ["a", "shared"]);
        assert_eq!(InvoiceTotals::of(&invoices).unwrap().total.decimal_yuan(), "21.20");
    }

    #[test]
    fn a_total_beyond_the_largest_amount_is_refused_not_wrapped() {
        let big = Money::MAX.decimal_yuan();
        let lines = json!([{"name": "a", "amount": big, "tax": "0"}, {"name": "b", "amount": "0.01", "tax": "0"}]);
        let problems = parse_invoices(&json!([invoice("044001900111", "00000001", lines, json!(["v"]))])).unwrap_err();
        assert_eq!((problems[0].field.as_str(), problems[0].message.as_str()), ("invoices", "金额超出允许范围"));
    }

    /// Invoices of random lines (amounts and taxes in fen, up to 1 亿元 each) as a user would type them.
    fn typed_invoices() -> impl Strategy<Value = Vec<Vec<(i64, i64)>>> {
        prop::collection::vec(prop::collection::vec((1i64..=10_000_000_000, 0i64..=1_300_000_000), 1..40), 1..8)
    }

    fn as_json(invoices: &[Vec<(i64, i64)>], grouped: bool) -> Value {
        let line = |(a, t): &(i64, i64)| {
            let (a, t) = (Money::from_fen(*a).unwrap(), Money::from_fen(*t).unwrap());
            // Both ways users type: with thousands separators and bare.
            json!({"name": "项目", "amount": a.display_yuan(), "tax": t.decimal_yuan()})
        };
        let rows: Vec<Value> = if grouped {
            invoices.iter().enumerate().map(|(i, lines)| invoice("044001900111", &format!("{i:08}"), lines.iter().map(line).collect(), json!(["v"]))).collect()
        } else {
            vec![invoice("044001900111", "00000001", invoices.iter().flatten().map(line).collect(), json!(["v"]))]
        };
        Value::Array(rows)
    }

    proptest! {
        /// The totals are the exact sums of the lines (computed here in i128, beyond any overflow), 总价税 is
        /// 总金额 + 总税额, and regrouping the same lines into one invoice changes nothing: no drift, any
        /// number of lines.
        #[test]
        fn totals_are_the_sums_of_the_lines_to_the_fen(lines in typed_invoices()) {
            let parsed = parse_invoices(&as_json(&lines, true)).unwrap();
            let totals = InvoiceTotals::of(&parsed).unwrap();
            let amount: i128 = lines.iter().flatten().map(|(a, _)| i128::from(*a)).sum();
            let tax: i128 = lines.iter().flatten().map(|(_, t)| i128::from(*t)).sum();
            prop_assert_eq!(i128::from(totals.amount.fen()), amount);
            prop_assert_eq!(i128::from(totals.tax.fen()), tax);
            prop_assert_eq!(i128::from(totals.total.fen()), amount + tax);
            let per_invoice: i64 = parsed.iter().map(|i| i.totals().unwrap().total.fen()).sum();
            prop_assert_eq!(per_invoice, totals.total.fen());
            let regrouped = InvoiceTotals::of(&parse_invoices(&as_json(&lines, false)).unwrap()).unwrap();
            prop_assert_eq!(regrouped, totals);
            let line_totals: i64 = parsed.iter().flat_map(|i| &i.lines).map(|l| l.total().unwrap().fen()).sum();
            prop_assert_eq!(line_totals, totals.total.fen());
        }
    }
}
