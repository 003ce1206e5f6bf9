//! Products: what providers offer SMEs, each entered through review (产品入库申请, the providers' `product_entry`
//! case kind), coded when approved, and listed in the public catalogue (上架产品) and in the pools of the lead
//! units its provider is bound to (`docs/providers-products.md`). The marketplace's listings, orders and
//! vouchers build on this module.
//!
//! This module owns the `products` and `pool_entries` tables: the review hooks of the providers'
//! case kinds write them only through the functions below.

pub mod entity;
pub mod form;
pub mod reputation;
mod handlers;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::entity::{pool_entry, product};
use self::form::ProductForm;
use crate::error::{ApiError, ApiResult};
use crate::form::{files_label, text};
use crate::review::{CaseState, FieldRow};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::categories))
        .routes(routes!(handlers::lead_unit_pool))
        .routes(routes!(handlers::lead_unit_pool_xlsx))
        .routes(routes!(handlers::pool_products))
        .routes(routes!(handlers::catalogue))
        .routes(routes!(handlers::provider_page))
}

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

/// Records a submitted product entry: the product row follows its case's form (in review from the first
/// submission; a resubmission updates it).
pub async fn record_submitted(db: &impl ConnectionTrait, provider_org_id: &str, case_id: &str, p: &ProductForm) -> ApiResult<()> {
    let categories = serde_json::to_string(&p.categories).expect("strings serialize");
    let industry = Some(p.industry_code.as_str().to_owned());
    let existing = product::Entity::find().filter(product::Column::CaseId.eq(case_id)).one(db).await?;
    match existing {
        Some(row) => {
            product::Entity::update_many()
                .col_expr(product::Column::Name, Expr::value(p.name.clone()))
                .col_expr(product::Column::NameKey, Expr::value(p.name_key()))
                .col_expr(product::Column::Status, Expr::value(product::ProductStatus::InReview))
                .col_expr(product::Column::Categories, Expr::value(categories))
                .col_expr(product::Column::IndustryCode, Expr::value(industry))
                .col_expr(product::Column::PriceMinFen, Expr::value(Some(p.price_min.fen())))
                .col_expr(product::Column::PriceMaxFen, Expr::value(Some(p.price_max.fen())))
                .col_expr(product::Column::PurchaseMode, Expr::value(p.purchase_mode.clone()))
                .col_expr(product::Column::Description, Expr::value(p.description.clone()))
                .filter(product::Column::Id.eq(row.id))
                .exec(db)
                .await?;
        }
        None => {
            product::Entity::insert(product::ActiveModel {
                id: Set(uuid::Uuid::now_v7().to_string()),
                provider_org_id: Set(provider_org_id.to_owned()),
                case_id: Set(case_id.to_owned()),
                name: Set(p.name.clone()),
                name_key: Set(p.name_key()),
                status: Set(product::ProductStatus::InReview),
                code: Set(None),
                categories: Set(categories),
                industry_code: Set(industry),
                price_min_fen: Set(Some(p.price_min.fen())),
                price_max_fen: Set(Some(p.price_max.fen())),
                purchase_mode: Set(Some(p.purchase_mode.clone())),
                description: Set(p.description.clone()),
                created_at: Set(Utc::now()),
                approved_at: Set(None),
            })
            .exec(db)
            .await?;
        }
    }
    Ok(())
}

/// The product of an approved entry gets its code and approval time; returns its id.
pub async fn approve(db: &impl ConnectionTrait, case_id: &str) -> ApiResult<String> {
    let p = product::Entity::find()
        .filter(product::Column::CaseId.eq(case_id))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("product of case {case_id} missing")))?;
    product::Entity::update_many()
        .col_expr(product::Column::Status, Expr::value(product::ProductStatus::Approved))
        .col_expr(product::Column::Code, Expr::value(new_code(db).await?))
        .col_expr(product::Column::ApprovedAt, Expr::value(Utc::now()))
        .filter(product::Column::Id.eq(p.id.clone()))
        .exec(db)
        .await?;
    // In the public catalogue from now: in the site search too.
    if let Some(approved) = product::Entity::find_by_id(p.id.clone()).one(db).await? {
        crate::search::put(db, search_doc(db, &approved).await?).await?;
    }
    Ok(p.id)
}

/// The product of a rejected entry.
pub async fn reject(db: &impl ConnectionTrait, case_id: &str) -> ApiResult<()> {
    product::Entity::update_many()
        .col_expr(product::Column::Status, Expr::value(product::ProductStatus::Rejected))
        .filter(product::Column::CaseId.eq(case_id))
        .exec(db)
        .await?;
    if let Some(p) = product::Entity::find().filter(product::Column::CaseId.eq(case_id)).one(db).await? {
        crate::search::remove(db, "product", &p.id).await?;
    }
    Ok(())
}

/// A catalogue product in the site search: its name, code, provider, categories and description.
async fn search_doc(db: &impl ConnectionTrait, p: &product::Model) -> ApiResult<crate::search::Doc> {
    let provider = crate::directory::org::Entity::find_by_id(p.provider_org_id.clone()).one(db).await?.map(|o| o.name).unwrap_or_default();
    let categories: Vec<String> = serde_json::from_str(&p.categories).unwrap_or_default();
    Ok(crate::search::Doc {
        kind: "product",
        ref_id: p.id.clone(),
        title: p.name.clone(),
        body: format!("{} {} {} {}", p.code.clone().unwrap_or_default(), provider, categories.join(" "), p.description),
        link: format!("/providers/{}", p.provider_org_id),
        date: p.approved_at.unwrap_or(p.created_at),
        visible_from: None,
    })
}

async fn search_docs(db: &sea_orm::DatabaseConnection) -> ApiResult<Vec<crate::search::Doc>> {
    let mut out = Vec::new();
    for p in product::Entity::find().filter(product::Column::Status.eq(product::ProductStatus::Approved)).all(db).await? {
        out.push(search_doc(db, &p).await?);
    }
    Ok(out)
}

inventory::submit! {
    crate::search::Source { name: "products", docs: |db| Box::pin(search_docs(db)) }
}

/// The ids of the provider's approved products.
pub async fn approved_of(db: &impl ConnectionTrait, provider_org_id: &str) -> ApiResult<Vec<String>> {
    Ok(product::Entity::find()
        .filter(product::Column::ProviderOrgId.eq(provider_org_id))
        .filter(product::Column::Status.eq(product::ProductStatus::Approved))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect())
}

/// Puts a product into a lead unit's pool (once; the first rule that put it there is kept). One statement,
/// `INSERT … ON CONFLICT DO NOTHING` on the primary key: two approvals racing to pool the same product
/// both succeed and leave one entry (a read-then-insert would let both pass the read and fail one insert).
pub async fn enter_pool(db: &impl ConnectionTrait, lead_unit_org_id: &str, product_id: &str, via: &str) -> ApiResult<()> {
    pool_entry::Entity::insert(pool_entry::ActiveModel {
        lead_unit_org_id: Set(lead_unit_org_id.to_owned()),
        product_id: Set(product_id.to_owned()),
        via: Set(via.to_owned()),
        added_at: Set(Utc::now()),
    })
    .on_conflict_do_nothing()
    .exec(db)
    .await?;
    Ok(())
}

/// How many of the provider's products are in the lead unit's pool.
pub async fn pooled_count(db: &impl ConnectionTrait, lead_unit_org_id: &str, provider_org_id: &str) -> ApiResult<u64> {
    Ok(pool_entry::Entity::find()
        .filter(pool_entry::Column::LeadUnitOrgId.eq(lead_unit_org_id))
        .filter(
            pool_entry::Column::ProductId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(product::Column::Id)
                    .from(product::Entity)
                    .and_where(product::Column::ProviderOrgId.eq(provider_org_id))
                    .to_owned(),
            ),
        )
        .count(db)
        .await?)
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

/// The categories as the lists and the review page show them, 「其他」 with what was typed.
pub fn categories_text(form: &Value) -> String {
    let mut cats = crate::form::strings(form, "categories");
    if let Some(other) = cats.iter_mut().find(|c| *c == "其他") {
        *other = format!("其他（{}）", text(form, "category_other"));
    }
    cats.join("、")
}

/// The product as labelled rows, with `key_prefix`/`label_prefix` when it is part of an application. Reads
/// the form as saved (a draft may be incomplete), so it never fails.
pub fn product_rows(form: &Value, key_prefix: &str, label_prefix: &str) -> Vec<FieldRow> {
    let row = |key: &str, label: &str, value: String| FieldRow::new(&format!("{key_prefix}{key}"), &format!("{label_prefix}{label}"), value);
    let price = match (crate::form::money_wan(form, "price_min"), crate::form::money_wan(form, "price_max")) {
        (Ok(Some(lo)), Ok(Some(hi))) => format!("{} – {} 万元", lo.display_wan(), hi.display_wan()),
        _ => String::new(),
    };
    let cases: Vec<String> = form
        .get("cases")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|c| format!("{}（合同{}份）", text(c, "enterprise"), crate::form::strings(c, "contract_file_ids").len())).collect())
        .unwrap_or_default();
    vec![
        row("name", "产品/服务名称", text(form, "name").to_owned()),
        row("nature", "产品性质", text(form, "nature").to_owned()),
        row("ip_proof_file_ids", "自主知识产权证明", files_label(form, "ip_proof_file_ids")),
        row("categories", "产品/服务类别（业务环节）", categories_text(form)),
        row("description", "产品/服务描述", text(form, "description").to_owned()),
        row("deploy", "部署信息", format!("{} / {} / {}", text(form, "deploy_architecture"), text(form, "deploy_mode"), text(form, "deploy_period"))),
        row("purchase", "购买方式与报价", format!("{} {}", text(form, "purchase_mode"), price)),
        row("discount_rate", "拟让利比例", crate::form::number(form, "discount_rate").map(|r| format!("{r}%")).unwrap_or_default()),
        row("industry_code", "所属行业", text(form, "industry_code").to_owned()),
        row("sub_industries", "适用细分行业", text(form, "sub_industries").to_owned()),
        row("scenarios", "适用场景", text(form, "scenarios").to_owned()),
        row("cases", "服务企业及数量", format!("{}家：{}", cases.len(), cases.join("；"))),
        row("awards", "获奖情况", format!("{} {}", text(form, "awards"), text(form, "award_note")).trim().to_owned()),
        row("other_note", "其他需要说明的情况", text(form, "other_note").to_owned()),
        row("evidence_file_ids", "其他必要的佐证材料", files_label(form, "evidence_file_ids")),
    ]
}
