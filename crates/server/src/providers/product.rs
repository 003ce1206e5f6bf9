//! 产品入库申请 as the `product_entry` case kind (flow: 牵引机构确认 → 预审 → 市工信复审): products of a
//! first application (started when the application is approved) and 产品独立申报 from 我的产品.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

use super::entity::product;
use super::forms::{self, text};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::review::{CaseKind, CaseRef, CaseState, FieldRow};
use crate::state::AppState;

pub struct ProductEntry;

inventory::submit! { crate::review::Registered(&ProductEntry) }

/// The manual's message (000 §04).
pub const DUPLICATE_NAME: &str = "重名产品正在申报中或已申报过，不需要重复申报";

/// Whether the provider has a product of this name in review, returned or approved (a rejected or
/// deleted one frees the name). `except_case`: the product's own case, when it is resubmitted.
pub async fn name_in_use(db: &impl ConnectionTrait, provider_org_id: &str, key: &str, except_case: Option<&str>) -> ApiResult<bool> {
    let mut q = product::Entity::find()
        .filter(product::Column::ProviderOrgId.eq(provider_org_id))
        .filter(product::Column::NameKey.eq(key))
        .filter(
            product::Column::CaseId.in_subquery(crate::review::case_ids_in(&[CaseState::InReview, CaseState::Returned, CaseState::Approved])),
        );
    if let Some(id) = except_case {
        q = q.filter(product::Column::CaseId.ne(id));
    }
    Ok(q.count(db).await? > 0)
}


fn categories_text(form: &Value) -> String {
    let mut cats = forms::strings(form, "categories");
    if let Some(other) = cats.iter_mut().find(|c| *c == "其他") {
        *other = format!("其他（{}）", text(form, "category_other"));
    }
    cats.join("、")
}

/// The product as labelled rows, with `key_prefix`/`label_prefix` when it is part of an application.
pub fn product_rows(form: &Value, key_prefix: &str, label_prefix: &str) -> Vec<FieldRow> {
    let row = |key: &str, label: &str, value: String| FieldRow::new(&format!("{key_prefix}{key}"), &format!("{label_prefix}{label}"), value);
    let price = match (forms::money_wan(form, "price_min"), forms::money_wan(form, "price_max")) {
        (Ok(Some(lo)), Ok(Some(hi))) => format!("{} – {} 万元", lo.display_wan(), hi.display_wan()),
        _ => String::new(),
    };
    let cases: Vec<String> = form
        .get("cases")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|c| format!("{}（合同{}份）", text(c, "enterprise"), forms::strings(c, "contract_file_ids").len())).collect())
        .unwrap_or_default();
    vec![
        row("name", "产品/服务名称", text(form, "name").to_owned()),
        row("nature", "产品性质", text(form, "nature").to_owned()),
        row("ip_proof_file_ids", "自主知识产权证明", super::files_label(form, "ip_proof_file_ids")),
        row("categories", "产品/服务类别（业务环节）", categories_text(form)),
        row("description", "产品/服务描述", text(form, "description").to_owned()),
        row("deploy", "部署信息", format!("{} / {} / {}", text(form, "deploy_architecture"), text(form, "deploy_mode"), text(form, "deploy_period"))),
        row("purchase", "购买方式与报价", format!("{} {}", text(form, "purchase_mode"), price)),
        row("discount_rate", "拟让利比例", forms::number(form, "discount_rate").map(|r| format!("{r}%")).unwrap_or_default()),
        row("industry_code", "所属行业", text(form, "industry_code").to_owned()),
        row("sub_industries", "适用细分行业", text(form, "sub_industries").to_owned()),
        row("scenarios", "适用场景", text(form, "scenarios").to_owned()),
        row("cases", "服务企业及数量", format!("{}家：{}", cases.len(), cases.join("；"))),
        row("awards", "获奖情况", format!("{} {}", text(form, "awards"), text(form, "award_note")).trim().to_owned()),
        row("other_note", "其他需要说明的情况", text(form, "other_note").to_owned()),
        row("evidence_file_ids", "其他必要的佐证材料", super::files_label(form, "evidence_file_ids")),
    ]
}

/// A product code as in 002 (`P250507185922341`: P, date and time to the millisecond), unique.
async fn new_code(db: &impl ConnectionTrait) -> ApiResult<String> {
    let mut t = Utc::now().with_timezone(&crate::time::china());
    loop {
        let code = format!("P{}{:03}", t.format("%y%m%d%H%M%S"), t.timestamp_subsec_millis());
        if product::Entity::find().filter(product::Column::Code.eq(code.clone())).count(db).await? == 0 {
            return Ok(code);
        }
        t += chrono::Duration::milliseconds(1);
    }
}

#[async_trait::async_trait]
impl CaseKind for ProductEntry {
    fn key(&self) -> &'static str {
        "product_entry"
    }

    fn owner_creates(&self) -> bool {
        true
    }

    fn check_draft(&self, form: &Value) -> Result<(), Vec<FieldError>> {
        crate::review::check_draft_shape::<super::forms::ProductDraft>(form)
    }

    fn owner_permission(&self) -> Option<&'static str> {
        Some("products")
    }

    fn validate(&self, form: &Value) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        forms::validate_product(form, "", &mut errors);
        if text(form, "lead_unit_id").is_empty() {
            errors.push(FieldError { field: "lead_unit_id".into(), message: "请选择为产品提供指导审核的数字化牵引单位".into() });
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    fn title(&self, form: &Value, _owner_org_name: &str) -> String {
        match text(form, "name") {
            "" => "未命名产品".into(),
            name => name.to_owned(),
        }
    }

    fn list_note(&self, form: &Value) -> Option<String> {
        Some(categories_text(form)).filter(|s| !s.is_empty())
    }

    fn fields(&self, form: &Value) -> Vec<FieldRow> {
        let mut rows = vec![
            FieldRow::new("provider_name", "服务商", text(form, "provider_name")),
            FieldRow::new("lead_unit_id", "审核数字化牵引单位", text(form, "lead_unit_name")),
        ];
        rows.extend(product_rows(form, "", ""));
        rows
    }

    fn attachments(&self, form: &Value) -> Vec<String> {
        super::all_files(form)
    }

    fn organizations(&self, form: &Value) -> std::collections::BTreeMap<String, String> {
        super::lead_unit_ref(form)
    }

    /// 市工信复审 is the lead unit's city: the product joins that city's pilot (seed 000), not the provider's.
    fn program_region_from(&self) -> Option<&'static str> {
        Some("lead_unit_id")
    }

    async fn normalize(&self, db: &DatabaseTransaction, owner_org_id: &str, mut form: Value) -> ApiResult<Value> {
        let provider = super::normalize_common(db, owner_org_id, &mut form).await?;
        form["provider_name"] = Value::String(provider.name);
        Ok(form)
    }

    /// Only a bound lead unit may review it; the name must be free; the product row follows the form.
    async fn on_submitted(&self, txn: &DatabaseTransaction, _state: &AppState, c: &CaseRef, form: &Value) -> ApiResult<()> {
        let lead_unit_id = text(form, "lead_unit_id");
        if !super::memberships(txn, &c.owner_org_id).await?.iter().any(|m| m.lead_unit_org_id == lead_unit_id) {
            return Err(ApiError::validation("lead_unit_id", "只能选择已绑定的数字化牵引单位（首次申报或再次申报审核通过后即为绑定）"));
        }
        let key = forms::name_key(text(form, "name"));
        if name_in_use(txn, &c.owner_org_id, &key, Some(&c.id)).await? {
            return Err(ApiError::validation("name", DUPLICATE_NAME));
        }
        let categories = serde_json::to_string(&forms::strings(form, "categories")).expect("strings serialize");
        let industry = Some(text(form, "industry_code").to_owned()).filter(|s| !s.is_empty());
        let existing = product::Entity::find().filter(product::Column::CaseId.eq(c.id.clone())).one(txn).await?;
        match existing {
            Some(p) => {
                product::Entity::update_many()
                    .col_expr(product::Column::Name, Expr::value(text(form, "name")))
                    .col_expr(product::Column::NameKey, Expr::value(key))
                    .col_expr(product::Column::Status, Expr::value(product::ProductStatus::InReview))
                    .col_expr(product::Column::Categories, Expr::value(categories))
                    .col_expr(product::Column::IndustryCode, Expr::value(industry))
                    .col_expr(product::Column::PriceMinFen, Expr::value(fen(form, "price_min")))
                    .col_expr(product::Column::PriceMaxFen, Expr::value(fen(form, "price_max")))
                    .col_expr(product::Column::PurchaseMode, Expr::value(text(form, "purchase_mode")))
                    .col_expr(product::Column::Description, Expr::value(text(form, "description")))
                    .filter(product::Column::Id.eq(p.id))
                    .exec(txn)
                    .await?;
            }
            None => {
                product::Entity::insert(product::ActiveModel {
                    id: Set(uuid::Uuid::now_v7().to_string()),
                    provider_org_id: Set(c.owner_org_id.clone()),
                    case_id: Set(c.id.clone()),
                    name: Set(text(form, "name").to_owned()),
                    name_key: Set(key),
                    status: Set(product::ProductStatus::InReview),
                    code: Set(None),
                    categories: Set(categories),
                    industry_code: Set(industry),
                    price_min_fen: Set(fen(form, "price_min")),
                    price_max_fen: Set(fen(form, "price_max")),
                    purchase_mode: Set(Some(text(form, "purchase_mode").to_owned())),
                    description: Set(text(form, "description").to_owned()),
                    created_at: Set(Utc::now()),
                    approved_at: Set(None),
                })
                .exec(txn)
                .await?;
            }
        }
        Ok(())
    }

    /// The product gets its code and enters the pools of all lead units the provider is bound to (rules 1
    /// and 3 of the manual).
    async fn on_approved(&self, txn: &DatabaseTransaction, _state: &AppState, c: &CaseRef, form: &Value) -> ApiResult<()> {
        let p = product::Entity::find()
            .filter(product::Column::CaseId.eq(c.id.clone()))
            .one(txn)
            .await?
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("product of case {} missing", c.id)))?;
        product::Entity::update_many()
            .col_expr(product::Column::Status, Expr::value(product::ProductStatus::Approved))
            .col_expr(product::Column::Code, Expr::value(new_code(txn).await?))
            .col_expr(product::Column::ApprovedAt, Expr::value(Utc::now()))
            .filter(product::Column::Id.eq(p.id.clone()))
            .exec(txn)
            .await?;
        let via = if form.get("first_application_case_id").is_some() { "first_application" } else { "product_application" };
        for m in super::memberships(txn, &c.owner_org_id).await? {
            super::enter_pool(txn, &m.lead_unit_org_id, &p.id, via).await?;
        }
        Ok(())
    }

    async fn on_rejected(&self, txn: &DatabaseTransaction, c: &CaseRef) -> ApiResult<()> {
        product::Entity::update_many()
            .col_expr(product::Column::Status, Expr::value(product::ProductStatus::Rejected))
            .filter(product::Column::CaseId.eq(c.id.clone()))
            .exec(txn)
            .await?;
        Ok(())
    }
}

/// A price of the (validated) form in fen, as the products table keeps it.
fn fen(form: &Value, key: &str) -> Option<i64> {
    forms::money_wan(form, key).ok().flatten().map(|m| m.fen())
}
