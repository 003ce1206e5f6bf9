//! 产品入库申请 as the `product_entry` case kind (flow: 牵引机构确认 → 预审 → 市工信复审): products of a
//! first application (started when the application is approved) and 产品独立申报 from 我的产品. A provider's
//! application, so it lives with the providers (it needs their memberships); the product it enters, the
//! catalogue and the pools are `crate::products`'.

use sea_orm::DatabaseTransaction;
use serde_json::Value;

use crate::error::{ApiError, ApiResult, FieldError};
use crate::form::text;
use crate::products::form::{ProductDraft, ProductForm};
use crate::products::{self, product_rows, DUPLICATE_NAME};
use crate::review::{CaseKind, CaseRef, FieldRow};
use crate::state::AppState;

pub struct ProductEntry;

inventory::submit! { crate::review::Registered(&ProductEntry) }

#[async_trait::async_trait]
impl CaseKind for ProductEntry {
    fn key(&self) -> &'static str {
        "product_entry"
    }

    fn owner_creates(&self) -> bool {
        true
    }

    fn check_draft(&self, form: &Value) -> Result<(), Vec<FieldError>> {
        crate::review::check_draft_shape::<ProductDraft>(form)
    }

    fn owner_permission(&self) -> Option<&'static str> {
        Some("products")
    }

    fn validate(&self, form: &Value) -> Result<(), Vec<FieldError>> {
        EntryForm::parse(form).map(drop)
    }

    fn title(&self, form: &Value, _owner_org_name: &str) -> String {
        match text(form, "name") {
            "" => "未命名产品".into(),
            name => name.to_owned(),
        }
    }

    fn list_note(&self, form: &Value) -> Option<String> {
        Some(products::categories_text(form)).filter(|s| !s.is_empty())
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
        let entry = EntryForm::parse(form).map_err(|fields| ApiError::Validation { message: format!("还有{}项未填写或填写有误，请检查", fields.len()), fields })?;
        if !super::memberships(txn, &c.owner_org_id).await?.iter().any(|m| m.lead_unit_org_id == entry.lead_unit_id) {
            return Err(ApiError::validation("lead_unit_id", "只能选择已绑定的数字化牵引单位（首次申报或再次申报审核通过后即为绑定）"));
        }
        if products::name_in_use(txn, &c.owner_org_id, &entry.product.name_key(), Some(&c.id)).await? {
            return Err(ApiError::validation("name", DUPLICATE_NAME));
        }
        products::record_submitted(txn, &c.owner_org_id, &c.id, &entry.product).await
    }

    /// The product gets its code and enters the pools of all lead units the provider is bound to (rules 1
    /// and 3 of the manual).
    async fn on_approved(&self, txn: &DatabaseTransaction, _state: &AppState, c: &CaseRef, form: &Value) -> ApiResult<()> {
        let product_id = products::approve(txn, &c.id).await?;
        let via = if form.get("first_application_case_id").is_some() { "first_application" } else { "product_application" };
        for m in super::memberships(txn, &c.owner_org_id).await? {
            products::enter_pool(txn, &m.lead_unit_org_id, &product_id, via).await?;
        }
        Ok(())
    }

    async fn on_rejected(&self, txn: &DatabaseTransaction, c: &CaseRef) -> ApiResult<()> {
        products::reject(txn, &c.id).await
    }
}

/// A submitted 产品入库申请: the product and the lead unit that guides its review.
pub struct EntryForm {
    pub product: ProductForm,
    pub lead_unit_id: String,
}

impl EntryForm {
    pub fn parse(form: &Value) -> Result<Self, Vec<FieldError>> {
        let product = ProductForm::parse(form, "");
        let lead_unit_id = text(form, "lead_unit_id").to_owned();
        let mut errors = product.as_ref().err().cloned().unwrap_or_default();
        if lead_unit_id.is_empty() {
            errors.push(FieldError { field: "lead_unit_id".into(), message: "请选择为产品提供指导审核的数字化牵引单位".into() });
        }
        match product {
            Ok(product) if errors.is_empty() => Ok(Self { product, lead_unit_id }),
            _ => Err(errors),
        }
    }
}
