//! 信息变更 (seed 002 §10) as a reviewed case: the enterprise asks to change its registered information,
//! the city bureau of its region reviews (flow `info_change`), and only on approval does the change take
//! effect on the organization and its profile.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use serde_json::Value;

use shuzhuan_core::{Phone, RegionCode, Uscc};

use crate::directory::{org, profile};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::form::{text, Reader};
use crate::review::{CaseKind, CaseRef, FieldRow};
use crate::state::AppState;

pub struct InfoChange;

inventory::submit! { crate::review::Registered(&InfoChange) }

/// The case kind of 信息变更.
pub const KIND: &str = "info_change";

/// The form's draft shape: what a save checks (types only; [`InfoChangeForm`] is the submitted shape).
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

/// A submitted 信息变更: the registered information as it is to become.
#[derive(Debug, Clone)]
pub struct InfoChangeForm {
    pub name: String,
    pub uscc: Uscc,
    pub region_code: RegionCode,
    pub sub_industry: Option<String>,
    pub contact_name: String,
    pub contact_phone: Phone,
}

impl InfoChangeForm {
    pub fn parse(form: &Value) -> Result<Self, Vec<FieldError>> {
        let mut r = Reader::new(form);
        let name = r.text("name");
        if name.is_empty() || name.chars().count() > 100 {
            r.error("name", "请输入企业名称（不超过100字）");
        }
        let uscc = r.parsed("uscc", Uscc::parse, None);
        let region_code = r.parsed("region_code", RegionCode::parse, Some("请选择所属地区"));
        let contact_name = r.text("contact_name");
        if contact_name.is_empty() || contact_name.chars().count() > 50 {
            r.error("contact_name", "请输入联系人（不超过50字）");
        }
        let contact_phone = r.parsed("contact_phone", Phone::parse, None);
        let sub_industry = Some(r.text("sub_industry")).filter(|s| !s.is_empty());
        r.finish(|| InfoChangeForm {
            name,
            uscc: uscc.expect("checked"),
            region_code: region_code.expect("checked"),
            sub_industry,
            contact_name,
            contact_phone: contact_phone.expect("checked"),
        })
    }
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
        InfoChangeForm::parse(form).map(drop)
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
        let change = InfoChangeForm::parse(form).map_err(|fields| ApiError::Validation { message: "变更内容不完整".into(), fields })?;
        let now = chrono::Utc::now();
        org::Entity::update_many()
            .col_expr(org::Column::Name, Expr::value(change.name))
            .col_expr(org::Column::Uscc, Expr::value(change.uscc.as_str()))
            .col_expr(org::Column::RegionCode, Expr::value(change.region_code.as_str()))
            .col_expr(org::Column::UpdatedAt, Expr::value(now))
            .filter(org::Column::Id.eq(case.owner_org_id.clone()))
            .exec(txn)
            .await?;
        profile::Entity::update_many()
            .col_expr(profile::Column::ContactName, Expr::value(change.contact_name))
            .col_expr(profile::Column::ContactPhoneCipher, Expr::value(state.crypto.encrypt(change.contact_phone.as_str())))
            .col_expr(profile::Column::SubIndustry, Expr::value(change.sub_industry))
            .col_expr(profile::Column::UpdatedAt, Expr::value(now))
            .filter(profile::Column::OrganizationId.eq(case.owner_org_id.clone()))
            .exec(txn)
            .await?;
        Ok(())
    }
}
