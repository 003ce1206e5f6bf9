//! 信息变更 (seed 002 §10) as a reviewed case: the enterprise asks to change its registered information,
//! the city bureau of its region reviews (flow `info_change`), and only on approval does the change take
//! effect on the organization and its profile.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use serde_json::Value;

use crate::directory::{org, profile};
use crate::error::{ApiResult, FieldError};
use crate::review::{CaseKind, CaseRef, FieldRow};
use crate::state::AppState;

pub struct InfoChange;

inventory::submit! { crate::review::Registered(&InfoChange) }

/// The case kind of 信息变更.
pub const KIND: &str = "info_change";

/// The form's draft shape: what a save checks (types only; `validate` checks completeness on submit).
#[derive(serde::Deserialize)]
#[allow(dead_code)] // read by serde to check types
struct Draft {
    name: Option<String>,
    uscc: Option<String>,
    region_code: Option<String>,
    region_name: Option<String>,
    sub_industry: Option<String>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    attachment_ids: Option<Vec<String>>,
}

fn text<'a>(form: &'a Value, key: &str) -> &'a str {
    form.get(key).and_then(Value::as_str).unwrap_or("").trim()
}

#[async_trait::async_trait]
impl CaseKind for InfoChange {
    fn key(&self) -> &'static str {
        KIND
    }

    fn encrypted_fields(&self) -> &'static [&'static str] {
        &["contact_phone"]
    }

    fn check_draft(&self, form: &Value) -> Result<(), Vec<FieldError>> {
        crate::review::check_draft_shape::<Draft>(form)
    }

    fn validate(&self, form: &Value) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field: &str, message: String| errors.push(FieldError { field: field.into(), message });
        let name = text(form, "name");
        if name.is_empty() || name.chars().count() > 100 {
            err("name", "请输入企业名称（不超过100字）".into());
        }
        if let Err(e) = shuzhuan_core::Uscc::parse(text(form, "uscc")) {
            err("uscc", e.to_string());
        }
        if shuzhuan_core::RegionCode::parse(text(form, "region_code")).is_err() {
            err("region_code", "请选择所属地区".into());
        }
        let contact = text(form, "contact_name");
        if contact.is_empty() || contact.chars().count() > 50 {
            err("contact_name", "请输入联系人（不超过50字）".into());
        }
        if let Err(e) = shuzhuan_core::Phone::parse(text(form, "contact_phone")) {
            err("contact_phone", e.to_string());
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    fn title(&self, _form: &Value, owner_org_name: &str) -> String {
        format!("{owner_org_name}信息变更")
    }

    fn fields(&self, form: &Value) -> Vec<FieldRow> {
        let region = match text(form, "region_name") {
            "" => text(form, "region_code").to_owned(),
            name => format!("{name}（{}）", text(form, "region_code")),
        };
        vec![
            FieldRow::new("name", "企业名称", text(form, "name")),
            FieldRow::new("uscc", "统一社会信用代码", text(form, "uscc")),
            FieldRow::new("region_code", "所属地区", region),
            FieldRow::new("sub_industry", "细分行业", text(form, "sub_industry")),
            FieldRow::new("contact_name", "联系人", text(form, "contact_name")),
            FieldRow::new("contact_phone", "联系电话", text(form, "contact_phone")),
        ]
    }

    /// The change takes effect: name, credit code and region on the organization, the rest on its profile.
    async fn on_approved(&self, txn: &DatabaseTransaction, state: &AppState, case: &CaseRef, form: &Value) -> ApiResult<()> {
        let now = chrono::Utc::now();
        let uscc = shuzhuan_core::Uscc::parse(text(form, "uscc")).map(|u| u.as_str().to_owned()).unwrap_or_else(|_| text(form, "uscc").to_owned());
        org::Entity::update_many()
            .col_expr(org::Column::Name, Expr::value(text(form, "name")))
            .col_expr(org::Column::Uscc, Expr::value(uscc))
            .col_expr(org::Column::RegionCode, Expr::value(text(form, "region_code")))
            .col_expr(org::Column::UpdatedAt, Expr::value(now))
            .filter(org::Column::Id.eq(case.owner_org_id.clone()))
            .exec(txn)
            .await?;
        let sub_industry = Some(text(form, "sub_industry")).filter(|s| !s.is_empty()).map(str::to_owned);
        profile::Entity::update_many()
            .col_expr(profile::Column::ContactName, Expr::value(text(form, "contact_name")))
            .col_expr(profile::Column::ContactPhoneCipher, Expr::value(state.crypto.encrypt(text(form, "contact_phone"))))
            .col_expr(profile::Column::SubIndustry, Expr::value(sub_industry))
            .col_expr(profile::Column::UpdatedAt, Expr::value(now))
            .filter(profile::Column::OrganizationId.eq(case.owner_org_id.clone()))
            .exec(txn)
            .await?;
        Ok(())
    }
}
