//! Service providers and lead units (数字化牵引单位): the Jiangmen flows of seed 000
//! (`docs/providers-products.md`). A provider's applications are review cases (`alliance` — 服务商首次 / 再次申报 —
//! and `product_entry` — 产品入库申请 — implement `review::CaseKind`); this module keeps the memberships and
//! applies the manual's three pool rules in the completion hooks, through `crate::products`, which owns the
//! products and the pools.

pub mod alliance;
pub mod entity;
pub mod forms;
mod handlers;
pub mod product_entry;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::entity::membership;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::directory::{org, OrgKind};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::list_lead_units))
        .routes(routes!(handlers::my_memberships))
        .routes(routes!(handlers::application_template))
        .routes(routes!(handlers::lead_unit_members))
}

/// The lead units the provider is bound to.
pub async fn memberships(db: &impl ConnectionTrait, provider_org_id: &str) -> ApiResult<Vec<membership::Model>> {
    Ok(membership::Entity::find().filter(membership::Column::ProviderOrgId.eq(provider_org_id)).all(db).await?)
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

/// The lead unit a form names, as the engine's `CaseOrganization` reference.
pub fn lead_unit_ref(form: &serde_json::Value) -> std::collections::BTreeMap<String, String> {
    let id = crate::form::text(form, "lead_unit_id");
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
    let lead_name = match crate::form::text(form, "lead_unit_id") {
        "" => String::new(),
        id => crate::directory::lead_unit(db, id, "lead_unit_id").await?.name,
    };
    form["lead_unit_name"] = serde_json::Value::String(lead_name);
    Ok(provider)
}
