//! 信息变更 (seed 002 §10) as a reviewed case: the enterprise asks to change its registered information,
//! the city bureau of its region reviews (flow `info_change`), and only on approval does the change take
//! effect on the organization and its profile.

use std::sync::LazyLock;

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use serde_json::Value;

use shuzhuan_core::form::{self, FormSchema, Problem};
use shuzhuan_core::{Phone, RegionCode, Uscc};

use crate::directory::{org, profile};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::form::text;
use crate::review::{CaseKind, CaseRef, FieldRow};
use crate::state::AppState;

pub struct InfoChange;

inventory::submit! { crate::review::Registered(&InfoChange) }

/// The case kind of 信息变更.
pub const KIND: &str = "info_change";

/// The form of 信息变更 (`data/forms/info_change.json`), on the schema-driven form engine (docs/forms.md): its
/// checks on save and submit and its read-only rows come from the engine; the web renders it from
/// `GET /api/orgs/me/change-requests/form`. Its keys are the stored value's: `name`, `uscc`, `region_code`,
/// `sub_industry`, `contact_name`, `contact_phone`, `attachment_ids`; the server adds `region_name` (the
/// region's own name, shown next to its code).
pub const FORM_JSON: &str = include_str!("../../../../data/forms/info_change.json");

/// The schema, parsed and checked once (a broken file fails the tests, not a request).
pub fn schema() -> &'static FormSchema {
    static SCHEMA: LazyLock<FormSchema> = LazyLock::new(|| crate::form::schema_file(FORM_JSON, "info_change"));
    &SCHEMA
}

fn to_fields(problems: Vec<Problem>) -> Vec<FieldError> {
    problems.into_iter().map(|p| FieldError { field: p.field, message: p.message }).collect()
}

/// A validated 信息变更, typed: the registered information as it is to become.
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
    /// Checks `form` with the schema, then parses the values the engine has accepted with the core's types.
    pub fn parse(form: &Value) -> Result<Self, Vec<FieldError>> {
        form::validate(schema(), form).map_err(to_fields)?;
        // The schema's formats are these very parsers, so nothing fails here once validated; were it to, the
        // parser's reason is answered, never a panic.
        let bad = |key: &str, e: &dyn std::fmt::Display| vec![FieldError { field: key.into(), message: e.to_string() }];
        let uscc = Uscc::parse(text(form, "uscc")).map_err(|e| bad("uscc", &e))?;
        let region_code = RegionCode::parse(text(form, "region_code")).map_err(|e| bad("region_code", &e))?;
        let contact_phone = Phone::parse(text(form, "contact_phone")).map_err(|e| bad("contact_phone", &e))?;
        Ok(InfoChangeForm {
            name: text(form, "name").to_owned(),
            uscc,
            region_code,
            sub_industry: Some(text(form, "sub_industry").to_owned()).filter(|s| !s.is_empty()),
            contact_name: text(form, "contact_name").to_owned(),
            contact_phone,
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
        let mut problems = form::check_draft(schema(), form);
        // Not a field of the form: the server writes the chosen region's name next to its code.
        if form.get("region_name").is_some_and(|v| !v.is_string() && !v.is_null()) {
            problems.push(Problem { field: "region_name".into(), message: "「所属地区」的格式不正确".into() });
        }
        if problems.is_empty() { Ok(()) } else { Err(to_fields(problems)) }
    }

    fn validate(&self, form: &Value) -> Result<(), Vec<FieldError>> {
        InfoChangeForm::parse(form).map(drop)
    }

    fn title(&self, _form: &Value, owner_org_name: &str) -> String {
        format!("{owner_org_name}信息变更")
    }

    /// The engine's rows, the region read with its name: 「惠城区（441302）」. The files are not a row: the case
    /// page lists them by name with the case's attachments ([`attachments`](CaseKind::attachments)).
    fn fields(&self, form: &Value) -> Vec<FieldRow> {
        form::rows(schema(), form)
            .into_iter()
            .filter(|r| r.key != "attachment_ids")
            .map(|r| {
                let value = match (r.key.as_str(), text(form, "region_name")) {
                    ("region_code", name) if !name.is_empty() && !r.value.is_empty() => format!("{name}（{}）", r.value),
                    _ => r.value,
                };
                FieldRow::new(&r.key, &r.label, value)
            })
            .collect()
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
