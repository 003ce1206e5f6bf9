//! 项目实施-改造完成 (seed 002 ch. 8, spec 40 §4): created once 项目实施-改造中 is submitted. Three pages, one record:
//!
//! - **数字化改造成效**: 改造前/改造后数字化等级 (prefilled from 事前诊断 and 事后评估 when they are fixed), and for
//!   each dimension ticked the before-value from stage 3 (read only), the after-value and its 佐证材料 (files).
//!   A dimension ticked in stage 3 starts ticked here; at least one must be ticked and filled.
//! - **服务商评价**, by the enterprise only, of every provider of the signed products: four star ratings
//!   (产品 / 服务商总 / 服务商态度 / 售后) with their texts. Submitting writes them to `provider_ratings`, which the
//!   providers' public reputation reads (`reputation_of`).
//! - **佐证材料**: 项目合同报价单, 项目合同发票 and 其他 as files, and the invoices as data (发票代码, 号码, 开票日期,
//!   销售方, goods lines, the bank payment vouchers of each — one voucher may serve several). 项目合同付款凭证 is the
//!   distinct vouchers; 发票总金额 / 发票总税额 / 总价税 are computed by `shuzhuan_core::invoice`, never typed.
//!
//! 保存 keeps anything typed (checked only for shape and length); 提交 checks every rule, names each problem at its
//! cell (422, nothing changes), and moves the project on to 项目入库. 信息变更 edits and resubmits it.
//!
//! 行业型服务商协助填写 is not offered on this page yet (docs/lifecycle.md): the evidence is the enterprise's own files,
//! and a lead unit's uploads would not be; the lead unit helps on 项目实施-改造中.

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Path, State};
use axum::Json;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use shuzhuan_core::invoice::{distinct_vouchers, parse_invoices, InvoiceTotals};
use shuzhuan_core::Money;
use utoipa::ToSchema;

use super::entity::completion::{self, CompletionStatus};
use super::entity::implementation;
use super::entity::project::{self, ProjectStage};
use super::entity::signing;
use super::handlers::{own_project, require_enterprise};
use super::implementation::{keyed_rows, RowKey, DIMENSIONS, DIMENSION_KEY};
use super::signing::{audit_entry, invalid};
use crate::audit;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorEnvelope, FieldError};
use crate::http::ApiJson;
use crate::products::entity::product;
use crate::products::reputation::provider_rating;
use crate::state::AppState;

/// 数字化等级, as the diagnosis and evaluation reports write them.
pub const LEVELS: [&str; 5] = ["无等级", "一级（初始级）", "二级（规范级）", "三级（集成级）", "四级（协同级）"];

/// The four ratings of one provider: (key, label).
const RATINGS: [(&str, &str); 4] = [("product", "产品评价"), ("overall", "服务商评价"), ("attitude", "服务商态度评价"), ("after_sales", "售后评价")];

const MAX_TEXT: usize = 500;

const PROVIDER_KEY: RowKey = RowKey { path: |i| format!("ratings[{i}].provider_id"), unknown: "只能评价本项目签约产品的服务商", repeated: "同一服务商只能评价一次" };
const MAX_FILES: usize = 20;
const MAX_INVOICES: usize = 200;
const MAX_LINES: usize = 100;

fn field(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), message: message.into() }
}

/// Trimmed, `None` when empty.
fn trimmed(s: Option<String>) -> Option<String> {
    s.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ResultValue {
    /// One of 项目实施-改造中's dimension keys.
    pub key: String,
    #[serde(default)]
    pub ticked: bool,
    /// 指标数据（改造后）.
    #[serde(default)]
    pub after: Option<String>,
    /// 佐证材料: file ids, at least one when ticked.
    #[serde(default)]
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Stars {
    /// 1–5.
    #[serde(default)]
    pub stars: Option<i32>,
    #[serde(default)]
    pub text: Option<String>,
}

/// 服务商评价 of one provider of the signed products.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Rating {
    pub provider_id: String,
    #[serde(default)]
    pub product: Stars,
    #[serde(default)]
    pub overall: Stars,
    #[serde(default)]
    pub attitude: Stars,
    #[serde(default)]
    pub after_sales: Stars,
}

impl Rating {
    fn stars(&self) -> [(&'static str, &'static str, &Stars); 4] {
        let s = [&self.product, &self.overall, &self.attitude, &self.after_sales];
        std::array::from_fn(|i| (RATINGS[i].0, RATINGS[i].1, s[i]))
    }

    fn stars_mut(&mut self) -> [&mut Stars; 4] {
        [&mut self.product, &mut self.overall, &mut self.attitude, &mut self.after_sales]
    }
}

/// 佐证材料 uploaded as files (项目合同付款凭证 are the invoices' vouchers).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Documents {
    /// 项目合同报价单.
    #[serde(default)]
    pub quotation: Vec<String>,
    /// 项目合同发票 (the scans; the invoices' data is `invoices`).
    #[serde(default)]
    pub invoice: Vec<String>,
    /// 其他.
    #[serde(default)]
    pub other: Vec<String>,
}

/// A goods or services line as typed: amounts are yuan text (`"100,000.00"`), parsed exactly on 提交.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InvoiceLineDraft {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub amount: Option<String>,
    #[serde(default)]
    pub tax: Option<String>,
}

/// An invoice as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InvoiceDraft {
    /// 发票代码 (none for a 数电票).
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub number: Option<String>,
    /// 开票日期 `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub seller: Option<String>,
    #[serde(default)]
    pub lines: Vec<InvoiceLineDraft>,
    /// 银行付款凭证: file ids; the same id may appear under several invoices.
    #[serde(default)]
    pub vouchers: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CompletionForm {
    /// 改造前数字化等级, one of [`LEVELS`].
    #[serde(default)]
    pub level_before: Option<String>,
    /// 改造后数字化等级.
    #[serde(default)]
    pub level_after: Option<String>,
    /// The eight dimensions, in 项目实施-改造中's order.
    #[serde(default)]
    pub dimensions: Vec<ResultValue>,
    /// One per provider of the signed products, in [`CompletionView::providers`]' order.
    #[serde(default)]
    pub ratings: Vec<Rating>,
    #[serde(default)]
    pub documents: Documents,
    #[serde(default)]
    pub invoices: Vec<InvoiceDraft>,
}

/// What the page is checked against: stage 3's dimensions and the providers of the signed products.
struct Context {
    /// key → (ticked in stage 3, 指标数据（改造前）).
    before: BTreeMap<String, (bool, Option<String>)>,
    providers: Vec<ProviderInfo>,
}

fn files(list: Vec<String>, at: &str, out: &mut Vec<FieldError>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let list: Vec<String> = list.into_iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty() && seen.insert(s.clone())).collect();
    if list.len() > MAX_FILES {
        out.push(field(at, format!("最多上传{MAX_FILES}个文件，同类文件请合并到一个PDF中")));
    }
    list
}

fn check_len(text: &Option<String>, at: impl FnOnce() -> String, label: &str, max: usize, out: &mut Vec<FieldError>) {
    if text.as_deref().is_some_and(|t| t.chars().count() > max) {
        out.push(field(at(), format!("{label}不能超过{max}字")));
    }
}

impl CompletionForm {
    /// A new page: the levels fixed so far, stage 3's ticks, a rating per provider.
    fn new(ctx: &Context, p: &project::Model) -> Self {
        CompletionForm {
            level_before: p.pre_level_label.clone().filter(|l| LEVELS.contains(&l.as_str())),
            level_after: p.post_level_label.clone().filter(|l| LEVELS.contains(&l.as_str())),
            dimensions: DIMENSIONS
                .iter()
                .map(|(key, _, _)| ResultValue { key: (*key).into(), ticked: ctx.before.get(*key).is_some_and(|b| b.0), ..Default::default() })
                .collect(),
            ratings: ctx.providers.iter().map(|p| Rating { provider_id: p.id.clone(), ..Default::default() }).collect(),
            documents: Documents::default(),
            invoices: vec![],
        }
    }

    /// What a save may store: known dimensions and providers only, each once, in order (a missing one as it
    /// was), texts trimmed and within their length, stars 1–5. Nothing is required yet.
    fn normalized(self, kept: &CompletionForm, ctx: &Context) -> Result<Self, Vec<FieldError>> {
        let mut out = Vec::new();
        let level = |l: Option<String>, at: &str, out: &mut Vec<FieldError>| {
            let l = trimmed(l);
            if l.as_deref().is_some_and(|l| !LEVELS.contains(&l)) {
                out.push(field(at, "请从选项中选择数字化等级"));
            }
            l
        };
        let level_before = level(self.level_before, "level_before", &mut out);
        let level_after = level(self.level_after, "level_after", &mut out);

        let keys: Vec<&str> = DIMENSIONS.iter().map(|(k, _, _)| *k).collect();
        let fresh = |key: &str| ResultValue { key: key.into(), ..Default::default() };
        let rows = keyed_rows(self.dimensions, &keys, |d: &ResultValue| d.key.as_str(), &kept.dimensions, fresh, &DIMENSION_KEY, &mut out);
        let mut dimensions = Vec::with_capacity(DIMENSIONS.len());
        for (i, (mut d, (_, label, _))) in rows.into_iter().zip(DIMENSIONS.iter()).enumerate() {
            d.after = trimmed(d.after);
            check_len(&d.after, || format!("dimensions[{i}].after"), &format!("「{label}」的指标数据"), MAX_TEXT, &mut out);
            d.evidence = files(d.evidence, &format!("dimensions[{i}].evidence"), &mut out);
            dimensions.push(d);
        }

        let ids: Vec<&str> = ctx.providers.iter().map(|p| p.id.as_str()).collect();
        let fresh = |id: &str| Rating { provider_id: id.into(), ..Default::default() };
        let rows = keyed_rows(self.ratings, &ids, |r: &Rating| r.provider_id.as_str(), &kept.ratings, fresh, &PROVIDER_KEY, &mut out);
        let mut ratings = Vec::with_capacity(rows.len());
        for (i, mut r) in rows.into_iter().enumerate() {
            for (s, (key, label)) in r.stars_mut().into_iter().zip(RATINGS) {
                s.text = trimmed(s.text.take());
                check_len(&s.text, || format!("ratings[{i}].{key}.text"), &format!("{label}内容"), MAX_TEXT, &mut out);
                if s.stars.is_some_and(|n| !(1..=5).contains(&n)) {
                    out.push(field(format!("ratings[{i}].{key}.stars"), format!("{label}星级应为1至5星")));
                }
            }
            ratings.push(r);
        }

        let documents = Documents {
            quotation: files(self.documents.quotation, "documents.quotation", &mut out),
            invoice: files(self.documents.invoice, "documents.invoice", &mut out),
            other: files(self.documents.other, "documents.other", &mut out),
        };

        if self.invoices.len() > MAX_INVOICES {
            out.push(field("invoices", format!("发票最多添加{MAX_INVOICES}张")));
        }
        let invoices: Vec<InvoiceDraft> = self
            .invoices
            .into_iter()
            .enumerate()
            .map(|(i, inv)| {
                let at = |k: &str| format!("invoices[{i}].{k}");
                if inv.lines.len() > MAX_LINES {
                    out.push(field(at("lines"), format!("每张发票最多{MAX_LINES}行货物或应税劳务、服务")));
                }
                let d = InvoiceDraft {
                    code: trimmed(inv.code),
                    number: trimmed(inv.number),
                    date: trimmed(inv.date),
                    seller: trimmed(inv.seller),
                    lines: inv.lines.into_iter().map(|l| InvoiceLineDraft { name: trimmed(l.name), amount: trimmed(l.amount), tax: trimmed(l.tax) }).collect(),
                    vouchers: files(inv.vouchers, &at("vouchers"), &mut out),
                };
                for (k, v) in [("code", &d.code), ("number", &d.number), ("date", &d.date), ("seller", &d.seller)] {
                    check_len(v, || at(k), "发票信息", 100, &mut out);
                }
                for (j, l) in d.lines.iter().enumerate() {
                    for (k, v) in [("name", &l.name), ("amount", &l.amount), ("tax", &l.tax)] {
                        check_len(v, || format!("invoices[{i}].lines[{j}].{k}"), "货物或应税劳务、服务信息", 100, &mut out);
                    }
                }
                d
            })
            .collect();

        if out.is_empty() { Ok(CompletionForm { level_before, level_after, dimensions, ratings, documents, invoices }) } else { Err(out) }
    }

    /// Every file id the page names (evidence, documents, vouchers), each once.
    fn file_ids(&self) -> Vec<String> {
        let mut ids = BTreeSet::new();
        for d in &self.dimensions {
            ids.extend(d.evidence.iter().cloned());
        }
        ids.extend(self.documents.quotation.iter().cloned());
        ids.extend(self.documents.invoice.iter().cloned());
        ids.extend(self.documents.other.iter().cloned());
        for i in &self.invoices {
            ids.extend(i.vouchers.iter().cloned());
        }
        ids.into_iter().collect()
    }

    fn invoices_json(&self) -> Value {
        serde_json::to_value(&self.invoices).expect("serializes")
    }

    /// What 提交 needs, every problem at its field.
    fn problems(&self, ctx: &Context) -> Vec<FieldError> {
        let mut out = Vec::new();
        if self.level_before.is_none() {
            out.push(field("level_before", "请选择改造前数字化等级"));
        }
        if self.level_after.is_none() {
            out.push(field("level_after", "请选择改造后数字化等级"));
        }
        if !self.dimensions.iter().any(|d| d.ticked) {
            out.push(field("dimensions", "维度指标至少勾选一项，填写改造后的指标数据并上传佐证材料"));
        }
        for (i, d) in self.dimensions.iter().enumerate().filter(|(_, d)| d.ticked) {
            let label = DIMENSIONS.iter().find(|(k, _, _)| *k == d.key).map_or("", |(_, l, _)| *l);
            if d.after.is_none() {
                out.push(field(format!("dimensions[{i}].after"), format!("已勾选「{label}」，请填写指标数据（改造后）；不涉及的请取消勾选")));
            }
            if d.evidence.is_empty() {
                out.push(field(format!("dimensions[{i}].evidence"), format!("已勾选「{label}」，请上传佐证材料")));
            }
        }
        for (i, r) in self.ratings.iter().enumerate() {
            let name = ctx.providers.iter().find(|p| p.id == r.provider_id).map_or("", |p| p.name.as_str());
            for (key, label, s) in r.stars() {
                if s.stars.is_none() {
                    out.push(field(format!("ratings[{i}].{key}.stars"), format!("请为「{name}」选择{label}星级")));
                }
                if s.text.is_none() {
                    out.push(field(format!("ratings[{i}].{key}.text"), format!("请填写对「{name}」的{label}内容")));
                }
            }
        }
        if self.documents.quotation.is_empty() {
            out.push(field("documents.quotation", "请上传项目合同报价单"));
        }
        if self.documents.invoice.is_empty() {
            out.push(field("documents.invoice", "请上传项目合同发票"));
        }
        if let Err(problems) = parse_invoices(&self.invoices_json()) {
            out.extend(problems.into_iter().map(|p| field(p.field, p.message)));
        }
        out
    }
}

/// 发票总金额 / 发票总税额 / 总价税 of what is typed, in yuan with two decimals. `complete` is false while some
/// line's 金额 or 税额 is empty or not an amount: the sums then leave that line out, and the page says so.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceSums {
    pub amount: String,
    pub tax: String,
    pub total: String,
    pub complete: bool,
    /// 项目合同付款凭证: the distinct vouchers over all invoices.
    pub vouchers: usize,
}

fn sums(invoices: &[InvoiceDraft]) -> InvoiceSums {
    let mut complete = true;
    let mut amount = Money::ZERO;
    let mut tax = Money::ZERO;
    for l in invoices.iter().flat_map(|i| &i.lines) {
        let a = l.amount.as_deref().map(Money::parse_yuan);
        let t = l.tax.as_deref().map(Money::parse_yuan);
        match (a, t) {
            (Some(Ok(a)), Some(Ok(t))) => match (amount.checked_add(a), tax.checked_add(t)) {
                (Some(x), Some(y)) => (amount, tax) = (x, y),
                _ => complete = false,
            },
            _ => complete = false,
        }
    }
    let vouchers: BTreeSet<&str> = invoices.iter().flat_map(|i| i.vouchers.iter().map(String::as_str)).collect();
    let total = amount.checked_add(tax).unwrap_or(Money::MAX);
    InvoiceSums { amount: amount.decimal_yuan(), tax: tax.decimal_yuan(), total: total.decimal_yuan(), complete, vouchers: vouchers.len() }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProviderInfo {
    pub id: String,
    pub name: String,
    /// The signed products it provides.
    pub products: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DimensionBefore {
    pub key: String,
    pub label: String,
    /// Ticked in 项目实施-改造中.
    pub ticked_before: bool,
    /// 指标数据（改造前）, from 项目实施-改造中.
    pub before: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompletionView {
    pub project_id: String,
    pub project_name: String,
    pub filing_number: Option<String>,
    pub enterprise_name: String,
    pub status: CompletionStatus,
    pub status_label: String,
    pub can_edit: bool,
    /// 信息变更 (once submitted).
    pub can_change: bool,
    pub version: i32,
    /// The options of 改造前/改造后数字化等级.
    pub levels: Vec<String>,
    pub dimensions: Vec<DimensionBefore>,
    /// The providers of the signed products, each to be rated.
    pub providers: Vec<ProviderInfo>,
    pub form: CompletionForm,
    /// The names of the files the page names, by id.
    pub file_names: BTreeMap<String, String>,
    pub sums: InvoiceSums,
    pub submitted_at: Option<crate::time::ApiTime>,
}

/// Stage 3's dimensions and the providers of the signed products (in the order the products were signed).
async fn context(state: &AppState, p: &project::Model) -> ApiResult<Context> {
    let before = match implementation::Entity::find_by_id(p.id.clone()).one(&state.db).await? {
        Some(row) => {
            let form: Value = serde_json::from_str(&row.form).unwrap_or(Value::Null);
            form["dimensions"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|d| Some((d["key"].as_str()?.to_owned(), (d["ticked"].as_bool().unwrap_or(false), d["before"].as_str().map(str::to_owned)))))
                .collect()
        }
        None => BTreeMap::new(),
    };
    let signed: Value = match signing::Entity::find_by_id(p.id.clone()).one(&state.db).await? {
        Some(s) => serde_json::from_str(&s.form).unwrap_or(Value::Null),
        None => Value::Null,
    };
    let product_ids: Vec<String> = signed["products"].as_array().into_iter().flatten().filter_map(|x| x["product_id"].as_str().map(str::to_owned)).collect();
    let products = product::Entity::find().filter(product::Column::Id.is_in(product_ids.clone())).all(&state.db).await?;
    let orgs = crate::directory::by_ids(&state.db, products.iter().map(|x| x.provider_org_id.clone()).collect()).await?;
    let mut providers: Vec<ProviderInfo> = Vec::new();
    for id in &product_ids {
        let Some(product) = products.iter().find(|x| &x.id == id) else { continue };
        match providers.iter_mut().find(|x| x.id == product.provider_org_id) {
            Some(known) => known.products.push(product.name.clone()),
            None => providers.push(ProviderInfo {
                id: product.provider_org_id.clone(),
                name: orgs.get(&product.provider_org_id).map(|o| o.name.clone()).unwrap_or_default(),
                products: vec![product.name.clone()],
            }),
        }
    }
    Ok(Context { before, providers })
}

fn stored(row: &completion::Model, ctx: &Context, p: &project::Model) -> CompletionForm {
    serde_json::from_str(&row.form).unwrap_or_else(|_| CompletionForm::new(ctx, p))
}

async fn view_of(state: &AppState, p: &project::Model, row: &completion::Model, ctx: Context) -> ApiResult<CompletionView> {
    let form = stored(row, &ctx, p);
    let orgs = crate::directory::by_ids(&state.db, vec![p.org_id.clone()]).await?;
    let file_names = crate::files::names_of(&state.db, &p.org_id, form.file_ids()).await?;
    Ok(CompletionView {
        project_id: p.id.clone(),
        project_name: p.name.clone(),
        filing_number: p.filing_number.clone(),
        enterprise_name: orgs.get(&p.org_id).map(|o| o.name.clone()).unwrap_or_default(),
        status: row.status,
        status_label: row.status.label().into(),
        can_edit: row.status == CompletionStatus::Draft,
        can_change: row.status == CompletionStatus::Submitted,
        version: row.version,
        levels: LEVELS.iter().map(|l| (*l).into()).collect(),
        dimensions: DIMENSIONS
            .iter()
            .map(|(k, l, _)| {
                let b = ctx.before.get(*k);
                DimensionBefore { key: (*k).into(), label: (*l).into(), ticked_before: b.is_some_and(|b| b.0), before: b.and_then(|b| b.1.clone()) }
            })
            .collect(),
        providers: ctx.providers,
        sums: sums(&form.invoices),
        form,
        file_names,
        submitted_at: row.submitted_at.map(crate::time::api),
    })
}

/// The enterprise's project and its page, created on first need once 项目实施-改造中 is submitted. Two first
/// openings at once create one row. Anyone else: 404 (another enterprise's) or 403 (not an enterprise).
async fn reach(state: &AppState, user: &CurrentUser, id: &str) -> ApiResult<(project::Model, completion::Model, Context)> {
    require_enterprise(user)?;
    let p = own_project(state, user, id).await?;
    if p.stage < ProjectStage::Completion {
        return Err(ApiError::Conflict("项目实施-改造中提交后才能填写项目实施-改造完成".into()));
    }
    let ctx = context(state, &p).await?;
    if let Some(row) = completion::Entity::find_by_id(p.id.clone()).one(&state.db).await? {
        return Ok((p, row, ctx));
    }
    completion::Entity::insert(completion::ActiveModel {
        project_id: Set(p.id.clone()),
        org_id: Set(p.org_id.clone()),
        status: Set(CompletionStatus::Draft),
        form: Set(serde_json::to_string(&CompletionForm::new(&ctx, &p)).expect("serializes")),
        version: Set(1),
        submitted_at: Set(None),
        updated_by: Set(user.user_id.clone()),
        updated_at: Set(Utc::now()),
    })
    .on_conflict_do_nothing()
    .exec_without_returning(&state.db)
    .await?;
    let row = completion::Entity::find_by_id(p.id.clone()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("项目实施-改造完成信息不存在".into()))?;
    Ok((p, row, ctx))
}

#[utoipa::path(get, path = "/api/projects/{id}/completion", tag = "lifecycle", params(("id" = String, Path)),
    responses((status = 200, body = CompletionView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn get_completion(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<CompletionView>> {
    let (p, row, ctx) = reach(&state, &user, &id).await?;
    Ok(Json(view_of(&state, &p, &row, ctx).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CompletionInput {
    pub form: CompletionForm,
    /// The version the page loaded.
    pub version: i32,
}

/// The page as it may be stored now (`change`: 信息变更 of a submitted one), its files the enterprise's own.
async fn merged(state: &AppState, p: &project::Model, row: &completion::Model, ctx: &Context, input: CompletionForm, change: bool) -> ApiResult<CompletionForm> {
    let allowed = if change { row.status == CompletionStatus::Submitted } else { row.status == CompletionStatus::Draft };
    if !allowed {
        return Err(ApiError::Conflict(if change { "项目实施-改造完成提交后才能信息变更".into() } else { "已提交：如需修改，请点击「信息变更」".into() }));
    }
    let form = input.normalized(&stored(row, ctx, p), ctx).map_err(invalid)?;
    crate::files::own_files(&state.db, &p.org_id, "documents", &form.file_ids()).await?;
    Ok(form)
}

/// Stores `form` when `version` is still the row's and the status the one read, moving it to `to`.
async fn write(db: &impl sea_orm::ConnectionTrait, user: &CurrentUser, row: &completion::Model, version: i32, form: &CompletionForm, to: CompletionStatus) -> ApiResult<()> {
    let now = Utc::now();
    let mut update = completion::Entity::update_many()
        .col_expr(completion::Column::Form, Expr::value(serde_json::to_string(form).expect("serializes")))
        .col_expr(completion::Column::Status, Expr::value(to))
        .col_expr(completion::Column::Version, Expr::col(completion::Column::Version).add(1))
        .col_expr(completion::Column::UpdatedBy, Expr::value(user.user_id.clone()))
        .col_expr(completion::Column::UpdatedAt, Expr::value(now));
    if to == CompletionStatus::Submitted {
        update = update.col_expr(completion::Column::SubmittedAt, Expr::value(now));
    }
    let done = update
        .filter(completion::Column::ProjectId.eq(row.project_id.clone()))
        .filter(completion::Column::Version.eq(version))
        .filter(completion::Column::Status.eq(row.status))
        .exec(db)
        .await?
        .rows_affected
        == 1;
    if done { Ok(()) } else { Err(ApiError::Conflict("本页已在别处修改或提交，请刷新页面后再操作（您填写的内容仍保留在本页）".into())) }
}

async fn reloaded(state: &AppState, p: &project::Model, ctx: Context) -> ApiResult<Json<CompletionView>> {
    let row = completion::Entity::find_by_id(p.id.clone()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("项目实施-改造完成信息不存在".into()))?;
    Ok(Json(view_of(state, p, &row, ctx).await?))
}

/// 保存: stores what was typed (nothing is lost for being incomplete).
#[utoipa::path(put, path = "/api/projects/{id}/completion", tag = "lifecycle", params(("id" = String, Path)), request_body = CompletionInput,
    responses((status = 200, body = CompletionView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save_completion(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<CompletionInput>) -> ApiResult<Json<CompletionView>> {
    let (p, row, ctx) = reach(&state, &user, &id).await?;
    let form = merged(&state, &p, &row, &ctx, input.form, false).await?;
    write(&state.db, &user, &row, input.version, &form, row.status).await?;
    reloaded(&state, &p, ctx).await
}

/// The ratings as stored for the reputation, and what the national platform receives.
async fn record_ratings(txn: &impl sea_orm::ConnectionTrait, p: &project::Model, form: &CompletionForm) -> ApiResult<()> {
    let now = Utc::now();
    for r in &form.ratings {
        let star = |s: &Stars| s.stars.unwrap_or(0);
        let texts = json!({ "product": r.product.text, "overall": r.overall.text, "attitude": r.attitude.text, "after_sales": r.after_sales.text });
        provider_rating::Entity::insert(provider_rating::ActiveModel {
            project_id: Set(p.id.clone()),
            provider_org_id: Set(r.provider_id.clone()),
            enterprise_org_id: Set(p.org_id.clone()),
            product_stars: Set(star(&r.product)),
            overall_stars: Set(star(&r.overall)),
            attitude_stars: Set(star(&r.attitude)),
            after_sales_stars: Set(star(&r.after_sales)),
            texts: Set(texts.to_string()),
            rated_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([provider_rating::Column::ProjectId, provider_rating::Column::ProviderOrgId])
                .update_columns([
                    provider_rating::Column::ProductStars,
                    provider_rating::Column::OverallStars,
                    provider_rating::Column::AttitudeStars,
                    provider_rating::Column::AfterSalesStars,
                    provider_rating::Column::Texts,
                    provider_rating::Column::RatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}

/// 数字化改造成效 as 项目入库 first reads it: one line per ticked dimension, before and after.
fn results_text(form: &CompletionForm, ctx: &Context) -> String {
    form.dimensions
        .iter()
        .filter(|d| d.ticked)
        .map(|d| {
            let label = DIMENSIONS.iter().find(|(k, _, _)| *k == d.key).map(|(_, l, _)| *l).unwrap_or("");
            let before = ctx.before.get(&d.key).and_then(|(_, b)| b.as_deref()).unwrap_or("");
            format!("{label}：改造前 {before}；改造后 {}", d.after.as_deref().unwrap_or(""))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What the national platform receives: levels, the ticked dimensions, the invoice totals.
fn synced(form: &CompletionForm) -> Value {
    let dims: Vec<Value> = form
        .dimensions
        .iter()
        .filter(|d| d.ticked)
        .map(|d| json!({ "key": d.key, "label": DIMENSIONS.iter().find(|(k, _, _)| *k == d.key).map(|(_, l, _)| *l), "after": d.after, "evidence_files": d.evidence.len() }))
        .collect();
    let invoices = parse_invoices(&form.invoices_json()).unwrap_or_default();
    let totals = InvoiceTotals::of(&invoices).ok();
    json!({
        "level_before": form.level_before,
        "level_after": form.level_after,
        "dimensions": dims,
        "invoices": invoices.len(),
        "payment_vouchers": distinct_vouchers(&invoices).len(),
        "invoice_amount_yuan": totals.map(|t| t.amount.decimal_yuan()),
        "invoice_tax_yuan": totals.map(|t| t.tax.decimal_yuan()),
        "invoice_total_yuan": totals.map(|t| t.total.decimal_yuan()),
    })
}

/// 提交: every rule checked and each problem named (422, nothing changes); then 已提交, the ratings recorded, and
/// the project moves on to 项目入库 — in one transaction.
#[utoipa::path(post, path = "/api/projects/{id}/completion/submit", tag = "lifecycle", params(("id" = String, Path)), request_body = CompletionInput,
    responses((status = 200, body = CompletionView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn submit_completion(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<CompletionInput>) -> ApiResult<Json<CompletionView>> {
    let (p, row, ctx) = reach(&state, &user, &id).await?;
    let form = merged(&state, &p, &row, &ctx, input.form, false).await?;
    let problems = form.problems(&ctx);
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let acceptance = super::acceptance::prefill(&state, &p, form.level_before.as_deref(), form.level_after.as_deref(), results_text(&form, &ctx)).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    write(&txn, &user, &row, input.version, &form, CompletionStatus::Submitted).await?;
    super::acceptance::open(&txn, &state, &user, &p, acceptance).await?;
    project::Entity::update_many()
        .col_expr(project::Column::Stage, Expr::value(ProjectStage::Acceptance))
        .col_expr(project::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(project::Column::Id.eq(p.id.clone()))
        .filter(project::Column::Stage.eq(ProjectStage::Completion))
        .exec(&txn)
        .await?;
    record_ratings(&txn, &p, &form).await?;
    audit::record(&txn, audit_entry(&user, "project_completion_submit", &p.id, json!({ "dimensions": form.dimensions.iter().filter(|d| d.ticked).count(), "invoices": form.invoices.len(), "providers_rated": form.ratings.len() }))).await?;
    super::national_sync::record(&txn, &p.id, super::national_sync::SyncEvent::CompletionSubmitted, synced(&form)).await?;
    txn.commit().await?;
    reloaded(&state, &p, ctx).await
}

/// 信息变更 of a submitted page: checked as a submission, no review; a change of nothing refused; the ratings
/// follow. Audited with the parts that changed.
#[utoipa::path(post, path = "/api/projects/{id}/completion/change", tag = "lifecycle", params(("id" = String, Path)), request_body = CompletionInput,
    responses((status = 200, body = CompletionView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn change_completion(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<CompletionInput>) -> ApiResult<Json<CompletionView>> {
    let (p, row, ctx) = reach(&state, &user, &id).await?;
    let form = merged(&state, &p, &row, &ctx, input.form, true).await?;
    let problems = form.problems(&ctx);
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let before = stored(&row, &ctx, &p);
    let mut changed = Vec::new();
    if (&before.level_before, &before.level_after, &before.dimensions) != (&form.level_before, &form.level_after, &form.dimensions) {
        changed.push("数字化改造成效");
    }
    if before.ratings != form.ratings {
        changed.push("服务商评价");
    }
    if (&before.documents, &before.invoices) != (&form.documents, &form.invoices) {
        changed.push("佐证材料");
    }
    if changed.is_empty() {
        return Err(ApiError::validation("form", "没有修改任何内容"));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    write(&txn, &user, &row, input.version, &form, CompletionStatus::Submitted).await?;
    record_ratings(&txn, &p, &form).await?;
    audit::record(&txn, audit_entry(&user, "project_completion_change", &p.id, json!({ "changed": changed }))).await?;
    super::national_sync::record(&txn, &p.id, super::national_sync::SyncEvent::CompletionChanged, synced(&form)).await?;
    txn.commit().await?;
    reloaded(&state, &p, ctx).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompletionItem {
    pub project_id: String,
    pub project_name: String,
    pub filing_number: Option<String>,
    pub status: CompletionStatus,
    pub status_label: String,
    pub submitted_at: Option<crate::time::ApiTime>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompletionList {
    pub items: Vec<CompletionItem>,
}

/// 项目实施-改造完成 list: the enterprise's projects past 项目实施-改造中 (待提交 until opened).
#[utoipa::path(get, path = "/api/completions", tag = "lifecycle",
    responses((status = 200, body = CompletionList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn list_completions(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<CompletionList>> {
    require_enterprise(&user)?;
    let projects = project::Entity::find()
        .filter(project::Column::OrgId.eq(user.organization.id.clone()))
        .filter(project::Column::Stage.is_in([ProjectStage::Completion, ProjectStage::Acceptance, ProjectStage::Accepted]))
        .order_by_desc(project::Column::FiledAt)
        .all(&state.db)
        .await?;
    let rows: BTreeMap<String, completion::Model> = completion::Entity::find()
        .filter(completion::Column::ProjectId.is_in(projects.iter().map(|p| p.id.clone())))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.project_id.clone(), r))
        .collect();
    let items = projects
        .into_iter()
        .map(|p| {
            let row = rows.get(&p.id);
            let status = row.map_or(CompletionStatus::Draft, |r| r.status);
            CompletionItem {
                status_label: status.label().into(),
                status,
                submitted_at: row.and_then(|r| r.submitted_at).map(crate::time::api),
                project_id: p.id,
                project_name: p.name,
                filing_number: p.filing_number,
            }
        })
        .collect();
    Ok(Json(CompletionList { items }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        Context {
            before: [("quality".to_owned(), (true, Some("合格率 92%".to_owned())))].into_iter().collect(),
            providers: vec![ProviderInfo { id: "p1".into(), name: "智汇云".into(), products: vec!["MES".into()] }],
        }
    }

    fn project() -> project::Model {
        project::Model { pre_level: Some(2), pre_level_label: Some("二级（规范级）".into()), ..project::Model::blank(ProjectStage::Completion) }
    }

    fn stars(n: i32) -> Stars {
        Stars { stars: Some(n), text: Some("好".into()) }
    }

    fn filled() -> CompletionForm {
        let mut f = CompletionForm::new(&ctx(), &project());
        f.level_after = Some("三级（集成级）".into());
        f.dimensions[2].after = Some("合格率 98%".into());
        f.dimensions[2].evidence = vec!["f1".into()];
        f.ratings[0] = Rating { provider_id: "p1".into(), product: stars(5), overall: stars(4), attitude: stars(5), after_sales: stars(3) };
        f.documents = Documents { quotation: vec!["q".into()], invoice: vec!["i".into()], other: vec![] };
        f.invoices = vec![InvoiceDraft {
            code: None,
            number: Some("25442000000012345678".into()),
            date: Some("2025-08-01".into()),
            seller: Some("智汇云".into()),
            lines: vec![InvoiceLineDraft { name: Some("MES".into()), amount: Some("100,000.00".into()), tax: Some("6000".into()) }],
            vouchers: vec!["v1".into()],
        }];
        f
    }

    #[test]
    fn a_new_page_takes_the_levels_and_the_ticks_of_the_stages_before() {
        let f = CompletionForm::new(&ctx(), &project());
        assert_eq!(f.level_before.as_deref(), Some("二级（规范级）"));
        assert_eq!(f.dimensions.iter().filter(|d| d.ticked).map(|d| d.key.as_str()).collect::<Vec<_>>(), ["quality"]);
        assert_eq!(f.ratings.len(), 1);
        let fields: Vec<String> = f.problems(&ctx()).into_iter().map(|p| p.field).collect();
        assert!(fields.contains(&"level_after".to_owned()) && fields.contains(&"dimensions[2].evidence".to_owned()) && fields.contains(&"ratings[0].product.stars".to_owned()) && fields.contains(&"invoices".to_owned()), "{fields:?}");
    }

    #[test]
    fn a_filled_page_has_no_problem_and_its_sums_are_exact() {
        let f = filled().normalized(&CompletionForm::default(), &ctx()).unwrap();
        assert!(f.problems(&ctx()).is_empty(), "{:?}", f.problems(&ctx()));
        let s = sums(&f.invoices);
        assert_eq!((s.amount.as_str(), s.tax.as_str(), s.total.as_str(), s.complete, s.vouchers), ("100000.00", "6000.00", "106000.00", true, 1));
    }

    #[test]
    fn a_stranger_provider_bad_stars_and_unknown_levels_are_refused_at_their_cells() {
        let mut f = filled();
        f.ratings.push(Rating { provider_id: "p9".into(), ..Default::default() });
        f.ratings[0].attitude.stars = Some(6);
        f.level_after = Some("五级".into());
        let fields: Vec<String> = f.normalized(&CompletionForm::default(), &ctx()).unwrap_err().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["level_after", "ratings[1].provider_id", "ratings[0].attitude.stars"]);
    }

    #[test]
    fn sums_leave_out_an_unreadable_line_and_say_so() {
        let mut f = filled();
        f.invoices[0].lines.push(InvoiceLineDraft { name: Some("x".into()), amount: Some("abc".into()), tax: Some("1".into()) });
        let s = sums(&f.invoices);
        assert_eq!((s.total.as_str(), s.complete), ("106000.00", false));
    }
}
