//! 服务商首次申报 / 再次申报 as the `alliance_join` case kind (flow 服务商入库申请: 牵引机构确认).

use chrono::Utc;
use sea_orm::{ActiveValue::Set, DatabaseTransaction, EntityTrait};
use serde_json::Value;

use super::entity::membership;
use super::forms::{Application, ApplicationDraft, ApplicationForm};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::form::{files_label, text};
use crate::products::{self, DUPLICATE_NAME};
use crate::review::{CaseKind, CaseRef, CaseState, FieldRow};
use crate::state::AppState;

pub struct AllianceJoin;

inventory::submit! { crate::review::Registered(&AllianceJoin) }

/// The case kind of 服务商申报 (first and repeat applications).
pub const KIND: &str = "alliance_join";

pub const DUPLICATE_LEAD_UNIT: &str = "已申请加入该数字化牵引单位，不能重复申报";

fn label(a: Application) -> &'static str {
    match a {
        Application::First => "首次申报",
        Application::Repeat => "再次申报",
    }
}


#[async_trait::async_trait]
impl CaseKind for AllianceJoin {
    fn key(&self) -> &'static str {
        KIND
    }

    fn owner_creates(&self) -> bool {
        true
    }

    fn check_draft(&self, form: &Value) -> Result<(), Vec<FieldError>> {
        crate::review::check_draft_shape::<ApplicationDraft>(form)
    }

    fn owner_permission(&self) -> Option<&'static str> {
        Some("provider_applications")
    }

    fn validate(&self, form: &Value) -> Result<(), Vec<FieldError>> {
        ApplicationForm::parse(form).map(drop)
    }

    fn title(&self, form: &Value, owner_org_name: &str) -> String {
        let kind = label(Application::of(form));
        match text(form, "lead_unit_name") {
            "" => format!("{owner_org_name}服务商{kind}"),
            lead => format!("{owner_org_name}申请加入{lead}（{kind}）"),
        }
    }

    fn list_note(&self, form: &Value) -> Option<String> {
        Some(text(form, "lead_unit_name").to_owned()).filter(|s| !s.is_empty())
    }

    fn fields(&self, form: &Value) -> Vec<FieldRow> {
        let mut rows = vec![
            FieldRow::new("application", "申报类型", label(Application::of(form))),
            FieldRow::new("company_name", "单位名称", text(form, "company_name")),
            FieldRow::new("uscc", "统一社会信用代码", text(form, "uscc")),
            FieldRow::new("logo_file_ids", "公司LOGO", files_label(form, "logo_file_ids")),
            FieldRow::new("license_file_ids", "营业执照", files_label(form, "license_file_ids")),
            FieldRow::new("nature", "公司性质", text(form, "nature")),
            FieldRow::new("credit_report_file_ids", "法人和非法人组织公共信用报告", files_label(form, "credit_report_file_ids")),
            FieldRow::new("lead_unit_id", "数字化牵引单位名称", text(form, "lead_unit_name")),
            FieldRow::new("cooperation_proof_file_ids", "合作关系证明材料", files_label(form, "cooperation_proof_file_ids")),
            FieldRow::new("product_count", "现有“小快轻准”数字化产品/服务数量", crate::form::number(form, "product_count").map(|n| n.to_string()).unwrap_or_default()),
            FieldRow::new("introduction", "服务商简介", text(form, "introduction")),
            FieldRow::new("guarantee", "服务实施保障", text(form, "guarantee")),
            FieldRow::new("team_list_file_ids", "本地技术服务团队人员名单", files_label(form, "team_list_file_ids")),
        ];
        if let Some(products) = form.get("products").and_then(Value::as_array) {
            for (i, p) in products.iter().enumerate() {
                rows.extend(products::product_rows(p, &format!("products[{i}]."), &format!("产品{}·", i + 1)));
            }
        }
        rows
    }

    fn attachments(&self, form: &Value) -> Vec<String> {
        super::all_files(form)
    }

    fn organizations(&self, form: &Value) -> std::collections::BTreeMap<String, String> {
        super::lead_unit_ref(form)
    }

    async fn normalize(&self, db: &DatabaseTransaction, owner_org_id: &str, mut form: Value) -> ApiResult<Value> {
        let provider = super::normalize_common(db, owner_org_id, &mut form).await?;
        form["company_name"] = Value::String(provider.name);
        form["uscc"] = Value::String(provider.uscc.unwrap_or_default());
        Ok(form)
    }

    /// The manual's rules about who may apply where, checked against everything already filed.
    async fn on_submitted(&self, txn: &DatabaseTransaction, state: &AppState, c: &CaseRef, form: &Value) -> ApiResult<()> {
        let app = ApplicationForm::parse(form).map_err(|fields| ApiError::Validation { message: format!("还有{}项未填写或填写有误，请检查", fields.len()), fields })?;
        crate::directory::lead_unit(txn, &app.lead_unit_id, "lead_unit_id").await?;
        let bound = super::memberships(txn, &c.owner_org_id).await?;
        let others: Vec<CaseRef> = crate::review::cases_of(txn, &c.owner_org_id, KIND, &[CaseState::InReview, CaseState::Returned, CaseState::Approved])
            .await?
            .into_iter()
            .filter(|o| o.id != c.id)
            .collect();
        let first = app.application == Application::First;
        if first && (!bound.is_empty() || others.iter().any(|o| o.form(state).is_ok_and(|f| Application::of(&f) == Application::First))) {
            return Err(ApiError::Conflict("您已提交过服务商首次申报，请在审核通过后选择“再次申报”加入其他牵引单位".into()));
        }
        if !first && bound.is_empty() {
            return Err(ApiError::Conflict("首次申报审核通过后才能再次申报，请先完成服务商首次申报".into()));
        }
        let same_lead_unit = bound.iter().any(|m| m.lead_unit_org_id == app.lead_unit_id)
            || others.iter().any(|o| o.state != CaseState::Approved && o.refs.get("lead_unit_id").is_some_and(|id| *id == app.lead_unit_id));
        if same_lead_unit {
            return Err(ApiError::validation("lead_unit_id", DUPLICATE_LEAD_UNIT));
        }
        // Product names: unique within the application and against the provider's products in process.
        let mut errors = Vec::new();
        let mut seen = Vec::new();
        for (i, p) in app.products.iter().enumerate() {
            let key = p.name_key();
            if seen.contains(&key) || products::name_in_use(txn, &c.owner_org_id, &key, None).await? {
                errors.push(FieldError { field: format!("products[{i}].name"), message: DUPLICATE_NAME.into() });
            }
            seen.push(key);
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation { message: DUPLICATE_NAME.into(), fields: errors });
        }
        Ok(())
    }

    /// The provider joins the alliance. First application: each of its products starts its own product
    /// review with this lead unit (rule 1). Repeat application: all approved products enter this lead unit's
    /// pool (rule 2).
    async fn on_approved(&self, txn: &DatabaseTransaction, state: &AppState, c: &CaseRef, form: &Value) -> ApiResult<()> {
        let lead_unit_id = text(form, "lead_unit_id").to_owned();
        membership::Entity::insert(membership::ActiveModel {
            provider_org_id: Set(c.owner_org_id.clone()),
            lead_unit_org_id: Set(lead_unit_id.clone()),
            case_id: Set(c.id.clone()),
            joined_at: Set(Utc::now()),
        })
        .exec(txn)
        .await?;
        if Application::of(form) == Application::Repeat {
            for product_id in products::approved_of(txn, &c.owner_org_id).await? {
                products::enter_pool(txn, &lead_unit_id, &product_id, "repeat_application").await?;
            }
            return Ok(());
        }
        let owner = crate::directory::user::Entity::find_by_id(c.owner_user_id.clone()).one(txn).await?;
        let provider = crate::directory::org::Entity::find_by_id(c.owner_org_id.clone()).one(txn).await?;
        let (Some(owner), Some(provider)) = (owner, provider) else {
            return Err(ApiError::Internal(anyhow::anyhow!("case {} has no owner", c.id)));
        };
        let acting = crate::review::Acting {
            user_id: owner.id,
            user_name: owner.display_name,
            org_id: provider.id.clone(),
            org_name: provider.name.clone(),
            org_kind: crate::directory::OrgKind::Provider,
            ip: None,
        };
        for p in form.get("products").and_then(Value::as_array).cloned().unwrap_or_default() {
            let mut p = p;
            p["lead_unit_id"] = Value::String(lead_unit_id.clone());
            p["first_application_case_id"] = Value::String(c.id.clone());
            crate::review::submit_new_case(
                txn,
                state,
                crate::review::NewCase {
                    kind: &super::product_entry::ProductEntry,
                    owner_org_id: &provider.id,
                    owner_region_code: provider.region_code.as_deref(),
                    form: p,
                    submit: true,
                },
                &acting,
            )
            .await?;
        }
        Ok(())
    }
}
