//! 项目签约 (seed 002 ch. 3, spec 40 §2): created when the filing completes, it holds 项目基本信息 (prefilled
//! from the filed record), the contracts (each with its PDF) and 牵引单位信息 — 数字化改造需求 and the
//! 合同主要试点产品/服务 chosen from the lead unit's pool, each at a 签约价格 no higher than its 最高入库价格.
//!
//! Signing is not reviewed: the enterprise's 提交 signs (待签约 → 已签约) and opens 项目实施-改造中. With
//! 行业型服务商协助填写 = 是 the enterprise first sends the page to its lead unit (牵引单位填写中), which fills
//! 牵引单位信息 with products of **its own** pool and submits (待企业确认); the enterprise may still edit and
//! confirms by submitting. Every save and step is a conditional update on `version` (and the status), so
//! the enterprise and its lead unit, or two tabs, never overwrite each other unseen. Decision 0020.
//!
//! The form is `{"values": <data/forms/signing.json>, "products": [SignedProduct]}`: products are not schema
//! fields because each is a product of the catalogue whose code, name, provider and 最高入库价格 come from
//! the database, filled on every save.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use axum::extract::{Path, State};
use axum::Json;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use shuzhuan_core::form::{self, FormSchema};
use shuzhuan_core::Money;
use utoipa::ToSchema;

use super::entity::project::{self, ProjectStage};
use super::entity::signing::{self, SigningStatus};
use super::handlers::{own_project, require_enterprise};
use crate::audit::{self, Entry, Outcome};
use crate::auth::CurrentUser;
use crate::directory::OrgKind;
use crate::error::{ApiError, ApiResult, ErrorEnvelope, FieldError};
use crate::http::ApiJson;
use crate::products::entity::{pool_entry, product};
use crate::review;
use crate::state::AppState;

use crate::form::at_values;

pub const FORM_JSON: &str = include_str!("../../../../data/forms/signing.json");

/// The schema, parsed and checked once (a broken file fails the tests, not a request).
pub fn schema() -> &'static FormSchema {
    static SCHEMA: LazyLock<FormSchema> = LazyLock::new(|| crate::form::schema_file(FORM_JSON, "signing"));
    &SCHEMA
}

/// 云应用情况, 购买方式 (seed 002 ch. 3).
pub const CLOUD_OPTIONS: [&str; 4] = ["公有云", "私有云", "混合云", "未上云"];
pub const PURCHASE_MODES: [&str; 4] = ["一次性购买", "按需购买", "按年订阅", "其他"];
const MAX_PRODUCTS: usize = 50;

/// The values the lead unit writes when it assists (牵引单位信息): the rest of the form stays the enterprise's.
const LEAD_UNIT_VALUES: [&str; 1] = ["demands"];

/// One 合同主要试点产品/服务. What the signer types is optional until 提交; the catalogue's part (code, name,
/// provider, 最高入库价格) is filled by the server on every save, whatever was sent.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct SignedProduct {
    pub product_id: String,
    /// 云应用情况: 公有云 / 私有云 / 混合云 / 未上云.
    #[serde(default)]
    pub cloud: Option<String>,
    /// 是否代理, and 原厂/服务商名称 when it is.
    #[serde(default)]
    pub agent: Option<bool>,
    #[serde(default)]
    pub original_maker: Option<String>,
    /// 数字化转型内容介绍.
    #[serde(default)]
    pub intro: Option<String>,
    /// 改造实施开始/结束时间 (YYYY-MM-DD).
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
    /// 购买方式.
    #[serde(default)]
    pub purchase_mode: Option<String>,
    /// 产品/服务签约价格 (万元, 含税), exact decimal text as typed.
    #[serde(default)]
    pub price: Option<String>,
    /// 对应的数字化改造场景: one of the 应用场景 of 数字化改造需求.
    #[serde(default)]
    pub scene: Option<String>,
    /// 场景描述 (≤500).
    #[serde(default)]
    pub scene_description: Option<String>,
    /// Filled by the server: 产品/服务代码, 名称, 供应商, 关联服务商信用代码, 最高入库价格 (万元, exact).
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub provider_name: String,
    #[serde(default)]
    pub provider_uscc: Option<String>,
    #[serde(default)]
    pub price_max: Option<String>,
}

fn problem(field: String, message: impl Into<String>) -> FieldError {
    FieldError { field, message: message.into() }
}

/// A refusal naming every problem: the one itself when there is one, else how many.
pub(super) fn invalid(fields: Vec<FieldError>) -> ApiError {
    let message = match fields.as_slice() {
        [one] => one.message.clone(),
        _ => format!("还有{}项未填写或填写有误，请检查", fields.len()),
    };
    ApiError::Validation { message, fields }
}

fn text(v: &Option<String>) -> &str {
    v.as_deref().map(str::trim).unwrap_or("")
}

fn parse_price(s: &str) -> Option<Money> {
    Money::parse_wan(s).ok()
}

/// The pool a product must come from: the lead unit's, or (no lead unit) every approved product.
async fn catalogue_of(state: &AppState, lead_unit_id: Option<&str>, ids: &[String]) -> ApiResult<BTreeMap<String, product::Model>> {
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let mut q = product::Entity::find().filter(product::Column::Id.is_in(ids.to_vec())).filter(product::Column::Status.eq(product::ProductStatus::Approved));
    if let Some(lu) = lead_unit_id {
        let pooled = sea_orm::sea_query::Query::select()
            .column(pool_entry::Column::ProductId)
            .from(pool_entry::Entity)
            .and_where(pool_entry::Column::LeadUnitOrgId.eq(lu))
            .to_owned();
        q = q.filter(product::Column::Id.in_subquery(pooled));
    }
    Ok(q.all(&state.db).await?.into_iter().map(|p| (p.id.clone(), p)).collect())
}

/// Types and lengths of what was typed, and the products: each of the allowed pool, once. Fills each
/// product's catalogue part. What a save checks (incomplete is fine, malformed or foreign is not).
async fn check_products(state: &AppState, lead_unit_id: Option<&str>, products: &mut [SignedProduct]) -> ApiResult<()> {
    let mut out = Vec::new();
    if products.len() > MAX_PRODUCTS {
        return Err(invalid(vec![problem("products".into(), format!("产品/服务最多添加{MAX_PRODUCTS}项"))]));
    }
    let ids: Vec<String> = products.iter().map(|p| p.product_id.trim().to_owned()).collect();
    let found = catalogue_of(state, lead_unit_id, &ids).await?;
    let providers = crate::directory::by_ids(&state.db, found.values().map(|p| p.provider_org_id.clone()).collect()).await?;
    let mut seen = BTreeSet::new();
    for (i, p) in products.iter_mut().enumerate() {
        let at = |k: &str| format!("products[{i}].{k}");
        let row = format!("第{}项产品/服务", i + 1);
        let Some(found) = found.get(p.product_id.trim()) else {
            let whose = if lead_unit_id.is_some() { "不在所选牵引单位的产品池中" } else { "不是已入库的产品/服务" };
            out.push(problem(at("product_id"), format!("{row}{whose}，请重新选择")));
            continue;
        };
        if !seen.insert(found.id.clone()) {
            out.push(problem(at("product_id"), format!("{row}「{}」重复添加", found.name)));
        }
        p.product_id = found.id.clone();
        p.code = found.code.clone();
        p.name = found.name.clone();
        let provider = providers.get(&found.provider_org_id);
        p.provider_name = provider.map(|o| o.name.clone()).unwrap_or_default();
        p.provider_uscc = provider.and_then(|o| o.uscc.clone());
        p.price_max = found.price_max_fen.and_then(|f| Money::from_fen(f).ok()).map(Money::exact_wan);
        if !text(&p.cloud).is_empty() && !CLOUD_OPTIONS.contains(&text(&p.cloud)) {
            out.push(problem(at("cloud"), format!("{row}的「云应用情况」请从选项中选择")));
        }
        if !text(&p.purchase_mode).is_empty() && !PURCHASE_MODES.contains(&text(&p.purchase_mode)) {
            out.push(problem(at("purchase_mode"), format!("{row}的「购买方式」请从选项中选择")));
        }
        for (k, v, name) in [("start", &p.start, "改造实施开始时间"), ("end", &p.end, "改造实施结束时间")] {
            if !text(v).is_empty() && form::parse_date(text(v)).is_none() {
                out.push(problem(at(k), format!("{row}的「{name}」不是有效日期")));
            }
        }
        if !text(&p.price).is_empty() && parse_price(text(&p.price)).is_none() {
            out.push(problem(at("price"), format!("{row}的「产品/服务签约价格」请填写金额（万元），最多六位小数")));
        }
        for (k, v, name, max) in [
            ("intro", &p.intro, "数字化转型内容介绍", 500),
            ("scene_description", &p.scene_description, "场景描述", 500),
            ("original_maker", &p.original_maker, "原厂/服务商名称", 100),
            ("scene", &p.scene, "对应的数字化改造场景", 50),
        ] {
            if text(v).chars().count() > max {
                out.push(problem(at(k), format!("{row}的「{name}」不能超过{max}字")));
            }
        }
    }
    if out.is_empty() { Ok(()) } else { Err(invalid(out)) }
}

/// What 提交 needs of the products (after [`check_products`]): every field, a price above zero and within
/// 最高入库价格, dates in order, and a scene that is one of the 数字化改造需求.
fn validate_products(values: &Value, products: &[SignedProduct]) -> Vec<FieldError> {
    let mut out = Vec::new();
    if products.is_empty() {
        out.push(problem("products".into(), "请添加合同主要试点产品/服务"));
    }
    let scenes: BTreeSet<&str> =
        values["demands"].as_array().into_iter().flatten().filter_map(|r| r["scene"].as_str()).collect();
    for (i, p) in products.iter().enumerate() {
        let at = |k: &str| format!("products[{i}].{k}");
        let row = format!("第{}项产品/服务「{}」", i + 1, p.name);
        for (k, v, name) in [
            ("cloud", &p.cloud, "云应用情况"),
            ("intro", &p.intro, "数字化转型内容介绍"),
            ("start", &p.start, "改造实施开始时间"),
            ("end", &p.end, "改造实施结束时间"),
            ("purchase_mode", &p.purchase_mode, "购买方式"),
            ("price", &p.price, "产品/服务签约价格"),
            ("scene", &p.scene, "对应的数字化改造场景"),
            ("scene_description", &p.scene_description, "场景描述"),
        ] {
            if text(v).is_empty() {
                out.push(problem(at(k), format!("{row}的「{name}」不能为空")));
            }
        }
        if p.agent.is_none() {
            out.push(problem(at("agent"), format!("{row}请选择「是否代理」")));
        }
        if p.agent == Some(true) && text(&p.original_maker).is_empty() {
            out.push(problem(at("original_maker"), format!("{row}为代理产品，请填写「原厂/服务商名称」")));
        }
        if let Some(price) = parse_price(text(&p.price)) {
            if price <= Money::ZERO {
                out.push(problem(at("price"), format!("{row}的「产品/服务签约价格」应大于0")));
            }
            if let Some(max) = p.price_max.as_deref().and_then(parse_price).filter(|max| price > *max) {
                out.push(problem(at("price"), format!("{row}的签约价格{}万元高于最高入库价格{}万元", price.exact_wan(), max.exact_wan())));
            }
        }
        if let (Some(s), Some(e)) = (form::parse_date(text(&p.start)), form::parse_date(text(&p.end)))
            && s > e
        {
            out.push(problem(at("end"), format!("{row}的改造实施结束时间不能早于开始时间")));
        }
        if !text(&p.scene).is_empty() && !scenes.contains(text(&p.scene)) {
            out.push(problem(at("scene"), format!("{row}的「对应的数字化改造场景」应为上方数字化改造需求中的应用场景")));
        }
    }
    out
}

/// Every rule of the enterprise's 提交: the form's fields, each contract's 纳入奖补金额 within its total, the
/// assist choice (是 needs a lead unit), and the products.
fn validate(values: &Value, products: &[SignedProduct], lead_unit_id: Option<&str>) -> Vec<FieldError> {
    let mut out = match form::validate(schema(), values) {
        Ok(()) => Vec::new(),
        Err(problems) => at_values(problems),
    };
    for (i, row) in values["contracts"].as_array().into_iter().flatten().enumerate() {
        let amount = row["amount"].as_str().and_then(parse_price);
        let subsidy = row["subsidy_amount"].as_str().and_then(parse_price);
        if let (Some(a), Some(s)) = (amount, subsidy)
            && s > a
        {
            out.push(problem(format!("values.contracts[{i}].subsidy_amount"), format!("合同第{}行：纳入资金奖补项目金额不能大于合同总金额", i + 1)));
        }
    }
    if values["assisted"] == json!(true) && lead_unit_id.is_none() {
        out.push(problem("values.assisted".into(), "没有牵引单位的，「行业型服务商协助填写」必须选否"));
    }
    out.extend(validate_products(values, products));
    out
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SigningView {
    pub project_id: String,
    pub project_name: String,
    pub filing_number: Option<String>,
    pub enterprise_name: String,
    pub status: SigningStatus,
    pub status_label: String,
    /// 行业型服务商协助状态: 未选择协助, 待发送牵引单位, 牵引单位填写中, 牵引单位已提交.
    pub assist_label: String,
    /// Who reads the page: `enterprise` or `lead_unit`.
    pub viewer: String,
    /// What the viewer may do now: edit the whole form (the enterprise), or only 牵引单位信息 (the lead unit).
    pub can_edit: bool,
    pub can_edit_lead_part_only: bool,
    /// 发送牵引单位 (the enterprise, 是 chosen, not yet sent).
    pub can_send: bool,
    pub can_submit: bool,
    /// 信息变更 (the enterprise, once signed).
    pub can_change: bool,
    pub version: i32,
    #[schema(value_type = Object)]
    pub schema: Value,
    #[schema(value_type = Object)]
    pub values: Value,
    pub products: Vec<SignedProduct>,
    /// 已签约行业型服务商 (the lead unit), whose pool the products come from.
    pub lead_unit_id: Option<String>,
    pub lead_unit_name: Option<String>,
    /// 产业生态服务商: the providers of the products, as the contracts show them.
    pub ecosystem_providers: Vec<String>,
    pub file_names: BTreeMap<String, String>,
    pub signed_at: Option<crate::time::ApiTime>,
}

fn assist_label(s: &signing::Model, values: &Value) -> &'static str {
    match s.status {
        SigningStatus::WithLeadUnit => "牵引单位填写中",
        SigningStatus::Assisted => "牵引单位已提交",
        _ if s.sent_at.is_some() => "牵引单位已协助填写",
        SigningStatus::Draft if values["assisted"] == json!(true) => "待发送牵引单位",
        _ => "未选择协助",
    }
}

fn stored(s: &signing::Model) -> (Value, Vec<SignedProduct>) {
    let form: Value = serde_json::from_str(&s.form).unwrap_or_else(|_| json!({}));
    let values = if form["values"].is_object() { form["values"].clone() } else { json!({}) };
    let products = serde_json::from_value(form["products"].clone()).unwrap_or_default();
    (values, products)
}

async fn view_of(state: &AppState, user: &CurrentUser, p: &project::Model, s: &signing::Model) -> ApiResult<SigningView> {
    let (values, products) = stored(s);
    let enterprise = user.organization.kind == OrgKind::Enterprise;
    let orgs = crate::directory::by_ids(&state.db, [Some(p.org_id.clone()), s.lead_unit_id.clone()].into_iter().flatten().collect()).await?;
    let file_names = crate::files::names_of(&state.db, &p.org_id, crate::files::form_file_ids(schema(), &values)).await?;
    let ecosystem: BTreeSet<String> = products.iter().map(|p| p.provider_name.clone()).filter(|n| !n.is_empty()).collect();
    let enterprise_edits = enterprise && matches!(s.status, SigningStatus::Draft | SigningStatus::Assisted);
    let lead_edits = !enterprise && s.status == SigningStatus::WithLeadUnit;
    Ok(SigningView {
        project_id: p.id.clone(),
        project_name: p.name.clone(),
        filing_number: p.filing_number.clone(),
        enterprise_name: orgs.get(&p.org_id).map(|o| o.name.clone()).unwrap_or_default(),
        status: s.status,
        status_label: s.status.label().into(),
        assist_label: assist_label(s, &values).into(),
        viewer: if enterprise { "enterprise" } else { "lead_unit" }.into(),
        can_edit: enterprise_edits || lead_edits,
        can_edit_lead_part_only: lead_edits,
        can_send: enterprise && s.status == SigningStatus::Draft && values["assisted"] == json!(true) && s.lead_unit_id.is_some(),
        can_submit: enterprise_edits || lead_edits,
        can_change: enterprise && s.status == SigningStatus::Signed,
        version: s.version,
        schema: serde_json::to_value(schema()).expect("schemas serialize"),
        values,
        products,
        lead_unit_name: s.lead_unit_id.as_ref().and_then(|id| orgs.get(id)).map(|o| o.name.clone()),
        lead_unit_id: s.lead_unit_id.clone(),
        ecosystem_providers: ecosystem.into_iter().collect(),
        file_names,
        signed_at: s.signed_at.map(crate::time::api),
    })
}

/// The project's signing, created on first need from the filed record: 项目名称, 项目简介, the period,
/// 目标数字化等级, 链主带动 and the 意向行业型服务商 carry over. Two first openings at once create one row.
async fn load_or_create(state: &AppState, user: &CurrentUser, p: &project::Model) -> ApiResult<signing::Model> {
    if p.stage == ProjectStage::Filing {
        return Err(ApiError::Conflict("项目备案完成后才能签约".into()));
    }
    if let Some(s) = signing::Entity::find_by_id(p.id.clone()).one(&state.db).await? {
        return Ok(s);
    }
    let record = super::filing_change::record(state, p).await?;
    let filed = &record["values"];
    let mut values = serde_json::Map::new();
    for key in ["project_name", "summary", "period", "target_level", "chain_leader"] {
        if !Value::is_null(&filed[key]) {
            values.insert(key.into(), filed[key].clone());
        }
    }
    let form = json!({ "values": Value::Object(values), "products": [] });
    signing::Entity::insert(signing::ActiveModel {
        project_id: Set(p.id.clone()),
        org_id: Set(p.org_id.clone()),
        lead_unit_id: Set(p.lead_unit_id.clone()),
        status: Set(SigningStatus::Draft),
        form: Set(form.to_string()),
        version: Set(1),
        sent_at: Set(None),
        assisted_at: Set(None),
        signed_at: Set(None),
        updated_by: Set(user.user_id.clone()),
        updated_at: Set(Utc::now()),
    })
    .on_conflict_do_nothing()
    .exec_without_returning(&state.db)
    .await?;
    signing::Entity::find_by_id(p.id.clone()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("项目不存在".into()))
}

/// The project and its signing as `user` may reach them: the enterprise's own (项目管理), or the lead unit
/// the page was sent to. Anyone else: 404, as if there were nothing.
async fn reach(state: &AppState, user: &CurrentUser, id: &str) -> ApiResult<(project::Model, signing::Model)> {
    if user.organization.kind == OrgKind::LeadUnit {
        let s = signing::Entity::find_by_id(id.to_owned())
            .one(&state.db)
            .await?
            .filter(|s| s.sent_at.is_some() && s.lead_unit_id.as_deref() == Some(user.organization.id.as_str()))
            .ok_or_else(|| ApiError::NotFound("签约信息不存在".into()))?;
        let p = project::Entity::find_by_id(s.project_id.clone()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("签约信息不存在".into()))?;
        return Ok((p, s));
    }
    require_enterprise(user)?;
    let p = own_project(state, user, id).await?;
    let s = load_or_create(state, user, &p).await?;
    Ok((p, s))
}

#[utoipa::path(get, path = "/api/projects/{id}/signing", tag = "lifecycle", params(("id" = String, Path)),
    responses((status = 200, body = SigningView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn get_signing(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<SigningView>> {
    let (p, s) = reach(&state, &user, &id).await?;
    Ok(Json(view_of(&state, &user, &p, &s).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SigningInput {
    #[schema(value_type = Object)]
    pub values: Value,
    #[serde(default)]
    pub products: Vec<SignedProduct>,
    /// 已签约行业型服务商 (the enterprise, before the page is sent); absent or null: none.
    #[serde(default)]
    pub lead_unit_id: Option<String>,
    /// The version the page loaded.
    pub version: i32,
}

/// What the writer may store now: the enterprise its whole form, the lead unit only 牵引单位信息 (the rest is
/// kept as stored, whatever it sent).
/// `change`: the enterprise's 信息变更 of a signed record.
async fn merged(state: &AppState, user: &CurrentUser, s: &signing::Model, input: SigningInput, change: bool) -> ApiResult<(Value, Vec<SignedProduct>, Option<String>)> {
    let enterprise = user.organization.kind == OrgKind::Enterprise;
    let allowed = if change {
        enterprise && s.status == SigningStatus::Signed
    } else if enterprise {
        matches!(s.status, SigningStatus::Draft | SigningStatus::Assisted)
    } else {
        s.status == SigningStatus::WithLeadUnit
    };
    if !allowed {
        return Err(ApiError::Conflict(match s.status {
            _ if change => "项目签约完成后才能信息变更".into(),
            SigningStatus::Signed => "项目已签约：如需修改，请点击「信息变更」".into(),
            SigningStatus::WithLeadUnit => "签约信息正由牵引单位填写，提交后才能修改".into(),
            _ => "签约信息已回到企业，不能再修改".into(),
        }));
    }
    if !input.values.is_object() {
        return Err(ApiError::validation("values", "填写内容的格式不正确"));
    }
    let mut values = if enterprise {
        input.values
    } else {
        let (mut kept, _) = stored(s);
        for k in LEAD_UNIT_VALUES {
            kept[k] = input.values[k].clone();
        }
        kept
    };
    let problems = form::check_draft(schema(), &values);
    if !problems.is_empty() {
        return Err(invalid(at_values(problems)));
    }
    values = form::complete(schema(), &values, &Default::default());
    // The lead unit cannot change who assists; the enterprise only before sending.
    let lead_unit_id = if enterprise && s.status == SigningStatus::Draft {
        match input.lead_unit_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(id) => Some(crate::directory::lead_unit(&state.db, id, "lead_unit_id").await?.id),
            None => None,
        }
    } else {
        s.lead_unit_id.clone()
    };
    let mut products = input.products;
    check_products(state, lead_unit_id.as_deref(), &mut products).await?;
    // The contract PDFs are the enterprise's uploads; the lead unit never sends files.
    crate::files::check_wanted(&state.db, &s.org_id, crate::files::form_files(schema(), &values, "values")).await?;
    Ok((values, products, lead_unit_id))
}

/// Stores the form when `version` is still the row's and the status is `from`, moving it to `to`.
#[allow(clippy::too_many_arguments)]
async fn write(
    db: &impl sea_orm::ConnectionTrait,
    user: &CurrentUser,
    s: &signing::Model,
    version: i32,
    values: &Value,
    products: &[SignedProduct],
    lead_unit_id: Option<String>,
    to: SigningStatus,
) -> ApiResult<()> {
    let now = Utc::now();
    let mut update = signing::Entity::update_many()
        .col_expr(signing::Column::Form, Expr::value(json!({ "values": values, "products": products }).to_string()))
        .col_expr(signing::Column::LeadUnitId, Expr::value(lead_unit_id))
        .col_expr(signing::Column::Status, Expr::value(to))
        .col_expr(signing::Column::Version, Expr::col(signing::Column::Version).add(1))
        .col_expr(signing::Column::UpdatedBy, Expr::value(user.user_id.clone()))
        .col_expr(signing::Column::UpdatedAt, Expr::value(now));
    match (s.status, to) {
        (SigningStatus::Draft, SigningStatus::WithLeadUnit) => update = update.col_expr(signing::Column::SentAt, Expr::value(Some(now))),
        (SigningStatus::WithLeadUnit, SigningStatus::Assisted) => update = update.col_expr(signing::Column::AssistedAt, Expr::value(Some(now))),
        (_, SigningStatus::Signed) => update = update.col_expr(signing::Column::SignedAt, Expr::value(Some(now))),
        _ => {}
    }
    let done = update
        .filter(signing::Column::ProjectId.eq(s.project_id.clone()))
        .filter(signing::Column::Version.eq(version))
        .filter(signing::Column::Status.eq(s.status))
        .exec(db)
        .await?
        .rows_affected
        == 1;
    if done { Ok(()) } else { Err(ApiError::Conflict("签约信息已在别处修改或提交，请刷新页面后再操作（您填写的内容仍保留在本页）".into())) }
}

/// 保存: stores what was typed (types only; nothing is lost for being incomplete).
#[utoipa::path(put, path = "/api/projects/{id}/signing", tag = "lifecycle", params(("id" = String, Path)), request_body = SigningInput,
    responses((status = 200, body = SigningView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn save_signing(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<SigningInput>) -> ApiResult<Json<SigningView>> {
    let (p, s) = reach(&state, &user, &id).await?;
    let version = input.version;
    let (values, products, lead_unit_id) = merged(&state, &user, &s, input, false).await?;
    write(&state.db, &user, &s, version, &values, &products, lead_unit_id, s.status).await?;
    let s = signing::Entity::find_by_id(p.id.clone()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("签约信息不存在".into()))?;
    Ok(Json(view_of(&state, &user, &p, &s).await?))
}

pub(super) fn audit_entry<'a>(user: &'a CurrentUser, action: &'a str, project_id: &'a str, detail: Value) -> Entry<'a> {
    Entry { action, actor: Some(user), username: None, ip: user.ip.clone(), object_type: Some("project"), object_id: Some(project_id), outcome: Outcome::Success, detail: Some(detail) }
}

/// 发送牵引单位: the enterprise chose 行业型服务商协助填写 = 是; the page goes to the lead unit, which is
/// notified. What the enterprise has typed is saved with it.
#[utoipa::path(post, path = "/api/projects/{id}/signing/send", tag = "lifecycle", params(("id" = String, Path)), request_body = SigningInput,
    responses((status = 200, body = SigningView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn send_signing(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<SigningInput>) -> ApiResult<Json<SigningView>> {
    require_enterprise(&user)?;
    let (p, s) = reach(&state, &user, &id).await?;
    if s.status != SigningStatus::Draft {
        return Err(ApiError::Conflict("签约信息已发送牵引单位".into()));
    }
    let version = input.version;
    let (values, products, lead_unit_id) = merged(&state, &user, &s, input, false).await?;
    if values["assisted"] != json!(true) {
        return Err(ApiError::validation("values.assisted", "选择「行业型服务商协助填写」为是后，才能发送牵引单位"));
    }
    let Some(lead_unit) = lead_unit_id.clone() else {
        return Err(ApiError::validation("lead_unit_id", "请先选择已签约行业型服务商（牵引单位）；没有牵引单位的，协助填写必须选否"));
    };
    let txn = crate::db::begin_write(&state.db).await?;
    write(&txn, &user, &s, version, &values, &products, lead_unit_id, SigningStatus::WithLeadUnit).await?;
    review::notifications::notify_org(&txn, &lead_unit, None, None, review::notifications::Notice {
        case_id: None,
        event: "signing_assist",
        title: "新的签约协助填写".into(),
        body: format!("{}的项目「{}」请贵单位协助填写牵引单位信息（工作台 → 协助签约）", user.organization.name, p.name),
    })
    .await?;
    audit::record(&txn, audit_entry(&user, "project_signing_send", &p.id, json!({ "lead_unit": lead_unit }))).await?;
    txn.commit().await?;
    let s = signing::Entity::find_by_id(p.id.clone()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("签约信息不存在".into()))?;
    Ok(Json(view_of(&state, &user, &p, &s).await?))
}

/// 提交. The lead unit's: 牵引单位信息 complete, back to the enterprise (待企业确认). The enterprise's: every
/// rule checked and each problem named (422, nothing changes); then 已签约 and the project moves on to
/// 项目实施-改造中, in one transaction.
#[utoipa::path(post, path = "/api/projects/{id}/signing/submit", tag = "lifecycle", params(("id" = String, Path)), request_body = SigningInput,
    responses((status = 200, body = SigningView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn submit_signing(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<SigningInput>) -> ApiResult<Json<SigningView>> {
    let (p, s) = reach(&state, &user, &id).await?;
    let version = input.version;
    let (values, products, lead_unit_id) = merged(&state, &user, &s, input, false).await?;
    let enterprise = user.organization.kind == OrgKind::Enterprise;
    let txn = crate::db::begin_write(&state.db).await?;
    if enterprise {
        if s.status == SigningStatus::Draft && values["assisted"] == json!(true) {
            return Err(ApiError::validation("values.assisted", "已选择由行业型服务商协助填写：请先「发送牵引单位」，待其提交后再确认提交"));
        }
        let problems = validate(&values, &products, lead_unit_id.as_deref());
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        write(&txn, &user, &s, version, &values, &products, lead_unit_id.clone(), SigningStatus::Signed).await?;
        project::Entity::update_many()
            .col_expr(project::Column::Stage, Expr::value(ProjectStage::Implementation))
            .col_expr(project::Column::LeadUnitId, Expr::value(lead_unit_id.clone()))
            .col_expr(project::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(project::Column::Id.eq(p.id.clone()))
            .filter(project::Column::Stage.eq(ProjectStage::Signing))
            .exec(&txn)
            .await?;
        audit::record(&txn, audit_entry(&user, "project_signing_submit", &p.id, json!({ "products": products.len(), "contracts": values["contracts"].as_array().map_or(0, Vec::len) }))).await?;
        super::national_sync::record(&txn, &p.id, super::national_sync::SyncEvent::SigningCompleted, synced(&values, &products, lead_unit_id.as_deref())).await?;
    } else {
        let mut problems = match form::validate(schema(), &values) {
            Ok(()) => Vec::new(),
            Err(all) => at_values(all.into_iter().filter(|p| LEAD_UNIT_VALUES.iter().any(|k| p.field == *k || p.field.starts_with(&format!("{k}[")))).collect()),
        };
        problems.extend(validate_products(&values, &products));
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        write(&txn, &user, &s, version, &values, &products, lead_unit_id, SigningStatus::Assisted).await?;
        review::notifications::notify_org(&txn, &p.org_id, Some(super::PERMISSION), None, review::notifications::Notice {
            case_id: None,
            event: "signing_assisted",
            title: "牵引单位已提交签约信息".into(),
            body: format!("{}已填写项目「{}」的牵引单位信息，请核对后确认提交（项目管理 → 项目签约）", user.organization.name, p.name),
        })
        .await?;
        audit::record(&txn, audit_entry(&user, "project_signing_assist", &p.id, json!({ "products": products.len() }))).await?;
    }
    txn.commit().await?;
    let s = signing::Entity::find_by_id(p.id.clone()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("签约信息不存在".into()))?;
    Ok(Json(view_of(&state, &user, &p, &s).await?))
}

/// What the national platform receives of a signing: the contracts (without their files) and the products.
fn synced(values: &Value, products: &[SignedProduct], lead_unit_id: Option<&str>) -> Value {
    let contracts: Vec<Value> = values["contracts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| json!({ "contract_no": r["contract_no"], "amount_wan": r["amount"], "subsidy_amount_wan": r["subsidy_amount"], "provider": r["provider"] }))
        .collect();
    let products: Vec<Value> = products
        .iter()
        .map(|p| json!({ "code": p.code, "name": p.name, "provider_name": p.provider_name, "provider_uscc": p.provider_uscc, "price_wan": p.price, "price_max_wan": p.price_max }))
        .collect();
    json!({ "acceptance_date": values["acceptance_date"], "lead_unit_id": lead_unit_id, "contracts": contracts, "contracts_total_wan": values["contracts_total"], "products": products })
}

/// The labels of what a change changes: each input field of the form, and the products as one.
fn changed_labels(before: &Value, after: &Value, products_before: &[SignedProduct], products_after: &[SignedProduct]) -> Vec<String> {
    let mut out: Vec<String> = form::all_fields(schema())
        .filter(|(_, f)| f.is_input() && before[f.key.as_str()] != after[f.key.as_str()])
        .map(|(_, f)| f.label.clone())
        .collect();
    if serde_json::to_value(products_before).ok() != serde_json::to_value(products_after).ok() {
        out.push("合同主要试点产品/服务".into());
    }
    out
}

/// A contract a live 预奖补 application was filed on keeps its row: 合同协议编号, 合同总金额 and 纳入资金奖补项目金额
/// are what that application claims (and its reviewers read).
/// Each problem is on the changed cell, or on the table when the row is gone (removed or renumbered).
fn claimed_kept(claimed: &BTreeSet<String>, before: &Value, after: &Value) -> Vec<FieldError> {
    let row_of = |values: &Value, no: &str| values["contracts"].as_array().into_iter().flatten().position(|r| r["contract_no"].as_str() == Some(no));
    let mut out = Vec::new();
    for no in claimed {
        let Some(was) = row_of(before, no).map(|i| &before["contracts"][i]) else { continue };
        let field = match row_of(after, no) {
            None => "values.contracts".to_owned(),
            Some(i) => match ["amount", "subsidy_amount"].into_iter().find(|k| after["contracts"][i][*k] != was[*k]) {
                Some(k) => format!("values.contracts[{i}].{k}"),
                None => continue,
            },
        };
        out.push(problem(field, format!("合同「{no}」已用于预奖补申请，不能删除或修改其编号与金额")));
    }
    out
}

/// 信息变更 of a signed project (seed 002: 「提交后，如需变更信息，点击【信息变更】按钮，可以对数据进行修改，修改后点击保存
/// 完成变更」): the enterprise saves its changed record; no review, as the manual has none here (unlike the
/// filing's). The record stays complete — every rule of 提交 holds — and the lead unit stays. Audited with the
/// labels of what changed; a change that changes nothing is refused.
#[utoipa::path(post, path = "/api/projects/{id}/signing/change", tag = "lifecycle", params(("id" = String, Path)), request_body = SigningInput,
    responses((status = 200, body = SigningView), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn change_signing(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, ApiJson(input): ApiJson<SigningInput>) -> ApiResult<Json<SigningView>> {
    require_enterprise(&user)?;
    let (p, s) = reach(&state, &user, &id).await?;
    let version = input.version;
    let (values, products, lead_unit_id) = merged(&state, &user, &s, input, true).await?;
    let (before, products_before) = stored(&s);
    let mut problems = validate(&values, &products, lead_unit_id.as_deref());
    problems.extend(claimed_kept(&super::presubsidy::live_claims(&state.db, &p.id).await?, &before, &values));
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let changed = changed_labels(&before, &values, &products_before, &products);
    if changed.is_empty() {
        return Err(ApiError::validation("values", "没有修改任何内容"));
    }
    let txn = crate::db::begin_write(&state.db).await?;
    write(&txn, &user, &s, version, &values, &products, lead_unit_id, SigningStatus::Signed).await?;
    audit::record(&txn, audit_entry(&user, "project_signing_change", &p.id, json!({ "changed": changed }))).await?;
    super::national_sync::record(&txn, &p.id, super::national_sync::SyncEvent::SigningChanged, synced(&values, &products, s.lead_unit_id.as_deref())).await?;
    txn.commit().await?;
    let s = signing::Entity::find_by_id(p.id.clone()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("签约信息不存在".into()))?;
    Ok(Json(view_of(&state, &user, &p, &s).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SigningItem {
    pub project_id: String,
    pub project_name: String,
    pub enterprise_name: String,
    pub filing_number: Option<String>,
    pub status: SigningStatus,
    pub status_label: String,
    pub assist_label: String,
    /// 提交时间: when it was signed (the enterprise), or sent (the lead unit).
    pub submitted_at: Option<crate::time::ApiTime>,
    /// Whether the viewer has something to do on it now (编辑 / 协助填写).
    pub actionable: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SigningList {
    pub items: Vec<SigningItem>,
}

/// 项目签约 list: the enterprise's filed projects (待签约 until a signing row exists), or, for a lead unit,
/// the pages sent to it (协助签约).
#[utoipa::path(get, path = "/api/signings", tag = "lifecycle",
    responses((status = 200, body = SigningList), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn list_signings(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<SigningList>> {
    let lead_unit = user.organization.kind == OrgKind::LeadUnit;
    let (projects, rows): (Vec<project::Model>, Vec<signing::Model>) = if lead_unit {
        let rows = signing::Entity::find()
            .filter(signing::Column::LeadUnitId.eq(user.organization.id.clone()))
            .filter(signing::Column::SentAt.is_not_null())
            .order_by_desc(signing::Column::SentAt)
            .all(&state.db)
            .await?;
        let projects = project::Entity::find().filter(project::Column::Id.is_in(rows.iter().map(|r| r.project_id.clone()))).all(&state.db).await?;
        (projects, rows)
    } else {
        require_enterprise(&user)?;
        let projects = project::Entity::find()
            .filter(project::Column::OrgId.eq(user.organization.id.clone()))
            .filter(project::Column::Stage.ne(ProjectStage::Filing))
            .order_by_desc(project::Column::FiledAt)
            .all(&state.db)
            .await?;
        let rows = signing::Entity::find().filter(signing::Column::ProjectId.is_in(projects.iter().map(|p| p.id.clone()))).all(&state.db).await?;
        (projects, rows)
    };
    let orgs = crate::directory::by_ids(&state.db, projects.iter().map(|p| p.org_id.clone()).collect()).await?;
    let by_project: BTreeMap<&str, &signing::Model> = rows.iter().map(|r| (r.project_id.as_str(), r)).collect();
    let mut items: Vec<SigningItem> = projects
        .iter()
        .map(|p| {
            let s = by_project.get(p.id.as_str()).copied();
            let status = s.map_or(SigningStatus::Draft, |s| s.status);
            let actionable = if lead_unit { status == SigningStatus::WithLeadUnit } else { matches!(status, SigningStatus::Draft | SigningStatus::Assisted) };
            SigningItem {
                project_id: p.id.clone(),
                project_name: p.name.clone(),
                enterprise_name: orgs.get(&p.org_id).map(|o| o.name.clone()).unwrap_or_default(),
                filing_number: p.filing_number.clone(),
                status,
                status_label: status.label().into(),
                assist_label: s.map_or("未选择协助", |s| assist_label(s, &stored(s).0)).into(),
                submitted_at: s.and_then(|s| if lead_unit { s.sent_at } else { s.signed_at }).map(crate::time::api),
                actionable,
            }
        })
        .collect();
    if lead_unit {
        // In the order the pages were sent.
        let order: BTreeMap<&str, usize> = rows.iter().enumerate().map(|(i, r)| (r.project_id.as_str(), i)).collect();
        items.sort_by_key(|i| order.get(i.project_id.as_str()).copied().unwrap_or(usize::MAX));
    }
    Ok(Json(SigningList { items }))
}
