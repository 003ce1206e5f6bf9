//! 认证审核 (seed 001): a newly registered service provider is reviewed by the platform operator (flow
//! `provider_certification`). Until certified the provider sees the pending notice; after a return it
//! fixes its information and resubmits; approval certifies it, rejection marks it rejected.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use serde_json::Value;

use shuzhuan_core::Phone;

use super::SERVICE_SCOPES;
use crate::directory::profile::{self, CertificationStatus};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::form::{strings, text, Reader};
use crate::review::{CaseKind, CaseRef, FieldRow};
use crate::state::AppState;

pub struct ProviderCertification;

inventory::submit! { crate::review::Registered(&ProviderCertification) }

/// The form's draft shape: what a save checks (types only; [`CertificationForm`] is the submitted shape).
#[derive(serde::Deserialize)]
#[allow(dead_code)] // read by serde to check types
struct Draft {
    company_name: Option<String>,
    uscc: Option<String>,
    region_code: Option<String>,
    region_name: Option<String>,
    address: Option<String>,
    industry_code: Option<String>,
    industry_name: Option<String>,
    service_scopes: Option<Vec<String>>,
    introduction: Option<String>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    attachment_ids: Option<Vec<String>>,
}

fn scopes(form: &Value) -> Vec<String> {
    strings(form, "service_scopes")
}

/// A submitted 服务商认证: what becomes the provider's profile when the operator approves. The company's
/// name, credit code, region and industry come from its registration (filled in by the server).
#[derive(Debug, Clone)]
pub struct CertificationForm {
    /// Codes of [`SERVICE_SCOPES`].
    pub service_scopes: Vec<String>,
    pub introduction: Option<String>,
    pub contact_name: String,
    pub contact_phone: Phone,
}

impl CertificationForm {
    pub fn parse(form: &Value) -> Result<Self, Vec<FieldError>> {
        let mut r = Reader::new(form);
        let service_scopes = scopes(form);
        if service_scopes.is_empty() {
            r.error("service_scopes", "请选择服务商服务范围");
        } else if service_scopes.iter().any(|c| !SERVICE_SCOPES.iter().any(|(k, _)| k == c)) {
            r.error("service_scopes", "服务范围选项无效");
        }
        let contact_name = r.text("contact_name");
        if contact_name.is_empty() || contact_name.chars().count() > 50 {
            r.error("contact_name", "请输入联系人（不超过50字）");
        }
        let contact_phone = r.parsed("contact_phone", Phone::parse, None);
        let introduction = Some(r.text("introduction")).filter(|s| !s.is_empty());
        let intro = introduction.as_deref().map_or(0, |s| s.chars().count());
        if intro > MAX_INTRODUCTION_CHARS {
            r.error("introduction", format!("企业简介不能超过{MAX_INTRODUCTION_CHARS}个字，当前为{intro}个字"));
        }
        r.finish(|| CertificationForm { service_scopes, introduction, contact_name, contact_phone: contact_phone.expect("checked") })
    }
}

pub const MAX_INTRODUCTION_CHARS: usize = 2000;

async fn set_status(txn: &DatabaseTransaction, org_id: &str, status: CertificationStatus) -> ApiResult<()> {
    profile::Entity::update_many()
        .col_expr(profile::Column::CertificationStatus, Expr::value(status))
        .col_expr(profile::Column::UpdatedAt, Expr::value(chrono::Utc::now()))
        .filter(profile::Column::OrganizationId.eq(org_id))
        .exec(txn)
        .await?;
    Ok(())
}

#[async_trait::async_trait]
impl CaseKind for ProviderCertification {
    fn key(&self) -> &'static str {
        "provider_certification"
    }

    fn encrypted_fields(&self) -> &'static [&'static str] {
        &["contact_phone"]
    }

    fn check_draft(&self, form: &Value) -> Result<(), Vec<FieldError>> {
        crate::review::check_draft_shape::<Draft>(form)
    }

    fn validate(&self, form: &Value) -> Result<(), Vec<FieldError>> {
        CertificationForm::parse(form).map(drop)
    }

    fn title(&self, form: &Value, owner_org_name: &str) -> String {
        let name = text(form, "company_name");
        format!("{}服务商认证", if name.is_empty() { owner_org_name } else { name })
    }

    fn fields(&self, form: &Value) -> Vec<FieldRow> {
        let codes = scopes(form);
        let scope_labels: Vec<&str> =
            codes.iter().map(|c| SERVICE_SCOPES.iter().find(|(k, _)| k == c).map(|(_, l)| *l).unwrap_or(c.as_str())).collect();
        vec![
            FieldRow::new("company_name", "企业名称", text(form, "company_name")),
            FieldRow::new("uscc", "统一社会信用代码", text(form, "uscc")),
            FieldRow::new("region_code", "所属地区", text(form, "region_name").to_owned() + &format!("（{}）", text(form, "region_code"))),
            FieldRow::new("address", "注册地址", text(form, "address")),
            FieldRow::new("industry_code", "所属行业", match text(form, "industry_name") {
                "" => text(form, "industry_code").to_owned(),
                name => format!("{name}（{}）", text(form, "industry_code")),
            }),
            FieldRow::new("service_scopes", "服务范围", scope_labels.join("、")),
            FieldRow::new("introduction", "企业简介", text(form, "introduction")),
            FieldRow::new("contact_name", "联系人", text(form, "contact_name")),
            FieldRow::new("contact_phone", "联系电话", text(form, "contact_phone")),
        ]
    }

    async fn on_approved(&self, txn: &DatabaseTransaction, state: &AppState, case: &CaseRef, form: &Value) -> ApiResult<()> {
        let approved = CertificationForm::parse(form).map_err(|fields| ApiError::Validation { message: "认证信息不完整".into(), fields })?;
        set_status(txn, &case.owner_org_id, CertificationStatus::Certified).await?;
        // What the operator approved becomes the provider's profile.
        profile::Entity::update_many()
            .col_expr(profile::Column::ServiceScope, Expr::value(serde_json::to_string(&approved.service_scopes).expect("strings serialize")))
            .col_expr(profile::Column::ContactName, Expr::value(approved.contact_name))
            .col_expr(profile::Column::ContactPhoneCipher, Expr::value(state.crypto.encrypt(approved.contact_phone.as_str())))
            .col_expr(profile::Column::Intro, Expr::value(approved.introduction))
            .filter(profile::Column::OrganizationId.eq(case.owner_org_id.clone()))
            .exec(txn)
            .await?;
        Ok(())
    }

    async fn on_rejected(&self, txn: &DatabaseTransaction, case: &CaseRef) -> ApiResult<()> {
        set_status(txn, &case.owner_org_id, CertificationStatus::Rejected).await
    }
}
