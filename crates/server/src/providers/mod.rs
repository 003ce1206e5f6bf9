//! Service providers, lead units (数字化牵引单位), products and product pools: the Jiangmen flows of seed 000
//! (`docs/providers-products.md`). Applications and products are review cases (`alliance` and `product`
//! below implement `review::CaseKind`); this module keeps memberships, products and pools, and applies the
//! manual's three pool rules in the completion hooks.

pub mod alliance;
pub mod entity;
pub mod forms;
mod handlers;
pub mod product;

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::entity::{membership, pool_entry};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::directory::{org, OrgKind};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::categories))
        .routes(routes!(handlers::list_lead_units))
        .routes(routes!(handlers::my_memberships))
        .routes(routes!(handlers::application_template))
        .routes(routes!(handlers::lead_unit_members))
        .routes(routes!(handlers::lead_unit_pool))
        .routes(routes!(handlers::lead_unit_pool_xlsx))
        .routes(routes!(handlers::pool_products))
        .routes(routes!(handlers::catalogue))
}

/// The lead units the provider is bound to.
pub async fn memberships(db: &impl ConnectionTrait, provider_org_id: &str) -> ApiResult<Vec<membership::Model>> {
    Ok(membership::Entity::find().filter(membership::Column::ProviderOrgId.eq(provider_org_id)).all(db).await?)
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

/// A lead unit by id, or a field error on `field`.
pub async fn lead_unit(db: &impl ConnectionTrait, id: &str, field: &str) -> ApiResult<org::Model> {
    org::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .filter(|o| o.kind == OrgKind::LeadUnit.as_str())
        .ok_or_else(|| ApiError::validation(field, "所选数字化牵引单位不存在"))
}

/// Applications and products are filed by certified providers only.
pub async fn require_certified_provider(db: &impl ConnectionTrait, org_id: &str) -> ApiResult<org::Model> {
    let o = org::Entity::find_by_id(org_id.to_owned()).one(db).await?.ok_or_else(|| ApiError::NotFound("单位不存在".into()))?;
    if o.kind != OrgKind::Provider.as_str() {
        return Err(ApiError::Forbidden("仅服务商可进行服务商申报和产品申报".into()));
    }
    let p = crate::directory::profile::Entity::find_by_id(org_id.to_owned()).one(db).await?;
    if p.is_none_or(|p| p.certification_status != crate::directory::profile::CertificationStatus::Certified) {
        return Err(ApiError::Forbidden("您的企业认证正在审批中，认证通过后方可申报".into()));
    }
    Ok(o)
}

/// Every file named in a form exists, belongs to the applicant and was uploaded for the field's purpose
/// (which fixed its types and size at upload).
pub async fn check_files(db: &impl ConnectionTrait, owner_org_id: &str, form: &serde_json::Value) -> ApiResult<()> {
    let mut errors = Vec::new();
    for (field, ids, purpose) in forms::file_fields(form, "") {
        match crate::files::own_files(db, owner_org_id, &field, &ids).await {
            Ok(files) => errors.extend(files.iter().filter(|f| f.purpose != purpose.as_str()).map(|f| FieldError {
                field: field.clone(),
                message: format!("“{}”不是{}类文件，请重新上传（{}，最大 {}）", f.original_name, purpose.label(), type_list(purpose), purpose.max_label()),
            })),
            Err(ApiError::Validation { fields, .. }) => errors.extend(fields),
            Err(other) => return Err(other),
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(ApiError::Validation { message: "请检查附件".into(), fields: errors }) }
}

fn type_list(purpose: crate::files::FilePurpose) -> String {
    purpose.allowed().iter().map(|t| t.extension()).collect::<Vec<_>>().join("、")
}

/// "2个文件" / "未上传": how a file field reads in the read-only view.
pub fn files_label(form: &serde_json::Value, key: &str) -> String {
    let n = forms::strings(form, key).len();
    if n == 0 { "未上传".into() } else { format!("{n}个文件") }
}

/// The lead unit a form names, as the engine's `CaseOrganization` reference.
pub fn lead_unit_ref(form: &serde_json::Value) -> std::collections::BTreeMap<String, String> {
    let id = forms::text(form, "lead_unit_id");
    std::iter::once(("lead_unit_id".to_owned(), id.to_owned())).filter(|_| !id.is_empty()).collect()
}

/// Every file a form names, for the case page's attachment list.
pub fn all_files(form: &serde_json::Value) -> Vec<String> {
    forms::file_fields(form, "").into_iter().flat_map(|(_, ids, _)| ids).collect()
}

/// On every save: the applicant must be a certified provider, its files its own and of the right purpose,
/// and the lead unit's name is filled in from the database.
pub async fn normalize_common(db: &impl ConnectionTrait, owner_org_id: &str, form: &mut serde_json::Value) -> ApiResult<org::Model> {
    let provider = require_certified_provider(db, owner_org_id).await?;
    check_files(db, owner_org_id, form).await?;
    let lead_name = match forms::text(form, "lead_unit_id") {
        "" => String::new(),
        id => lead_unit(db, id, "lead_unit_id").await?.name,
    };
    form["lead_unit_name"] = serde_json::Value::String(lead_name);
    Ok(provider)
}
