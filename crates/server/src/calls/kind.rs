//! An application to a call as a reviewed case. Its form is
//! `{"call_id", "form_key", "form_version", "values", "attachments", "declaration_confirmed", "assessment_id",
//! "stamped_file_id"}`, plus what [`normalize`](CaseKind::normalize) copies in from the database on every save
//! (`call_title`, `requirements`), so that the synchronous checks need nothing but the pinned form version.

use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use shuzhuan_core::form::{self, References};
use shuzhuan_core::review::CaseStatus;

use super::entity::{application, call, program, track};
use super::forms;
use super::settings::{level_number, Settings};
use crate::directory::{org, profile};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::review::{CaseKind, CaseRef, FieldRow};
use crate::state::AppState;

/// Applications to calls reviewed district → city section → section leader → province (003).
pub struct CallApplication;
/// The same for a track whose city set 是否需要区县审核 to no: city section → section leader → province.
pub struct CityCallApplication;
/// Applications to a city's pilot-enterprise call reviewed by the city bureau (004).
pub struct PilotApplication;

inventory::submit! { crate::review::Registered(&CallApplication) }
inventory::submit! { crate::review::Registered(&CityCallApplication) }
inventory::submit! { crate::review::Registered(&PilotApplication) }

pub const FLOW_KEYS: [&str; 2] = ["call_application", "pilot_application"];

/// What the call asks beside the form, copied into the case on every save.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Requirements {
    pub declaration: bool,
    pub assessment: bool,
    /// The lowest accepted level, 1–6.
    pub min_level: Option<i32>,
    pub attachments: Vec<super::settings::AttachmentItem>,
}

fn key_of(form: &Value) -> (String, i32) {
    (form["form_key"].as_str().unwrap_or("").to_owned(), form["form_version"].as_i64().unwrap_or(0) as i32)
}

fn requirements(form: &Value) -> Requirements {
    serde_json::from_value(form["requirements"].clone()).unwrap_or_default()
}

fn file_ids(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect()).unwrap_or_default()
}

/// Draft shape: types only.
fn check_draft(form: &Value) -> Result<(), Vec<FieldError>> {
    let bad = |field: &str| Err(vec![FieldError { field: field.into(), message: "填写内容的格式不正确".into() }]);
    let Some(obj) = form.as_object() else { return bad("form") };
    if obj.get("values").is_some_and(|v| !v.is_object()) {
        return bad("values");
    }
    if let Some(a) = obj.get("attachments") {
        let ok = a.as_object().is_some_and(|m| m.values().all(|v| v.as_array().is_some_and(|l| l.iter().all(Value::is_string))));
        if !ok {
            return bad("attachments");
        }
    }
    for (k, ok) in [
        ("declaration_confirmed", obj.get("declaration_confirmed").is_none_or(|v| v.is_boolean() || v.is_null())),
        ("assessment_id", obj.get("assessment_id").is_none_or(|v| v.is_string() || v.is_null())),
        ("stamped_file_id", obj.get("stamped_file_id").is_none_or(|v| v.is_string() || v.is_null())),
    ] {
        if !ok {
            return bad(k);
        }
    }
    let (key, version) = key_of(form);
    if let Some(schema) = forms::pinned(&key, version) {
        let problems = form::check_draft(&schema, &form["values"]);
        if !problems.is_empty() {
            return Err(forms::problems_to_fields(problems.into_iter().map(|p| form::Problem { field: format!("values.{}", p.field), message: p.message }).collect()));
        }
    }
    Ok(())
}

/// Full check on submit: the form, the attachment list, the declaration, the self-assessment and the stamped
/// 申报书. Field paths: `values.<path>`, `attachments.<item>`, `declaration_confirmed`, `assessment_id`,
/// `stamped_file_id`.
fn validate(form: &Value) -> Result<(), Vec<FieldError>> {
    let (key, version) = key_of(form);
    let schema = forms::pinned(&key, version).ok_or_else(|| vec![FieldError { field: "form".into(), message: "申报表版本未加载，请刷新后重试".into() }])?;
    let mut out = Vec::new();
    if let Err(problems) = form::validate(&schema, &form["values"]) {
        out.extend(problems.into_iter().map(|p| FieldError { field: format!("values.{}", p.field), message: p.message }));
    }
    let req = requirements(form);
    for item in &req.attachments {
        let n = file_ids(&form["attachments"][&item.key]).len() as u32;
        if item.required && n == 0 {
            out.push(FieldError { field: format!("attachments.{}", item.key), message: format!("请上传附件「{}」", item.title) });
        } else if n > item.max_count {
            out.push(FieldError { field: format!("attachments.{}", item.key), message: format!("附件「{}」最多{}个文件", item.title, item.max_count) });
        }
    }
    if req.declaration && form["declaration_confirmed"] != json!(true) {
        out.push(FieldError { field: "declaration_confirmed".into(), message: "请阅读并确认申报材料真实性声明".into() });
    }
    if req.assessment && form["assessment_id"].as_str().unwrap_or("").is_empty() {
        out.push(FieldError { field: "assessment_id".into(), message: "请选择一份数字化水平自评结果".into() });
    }
    if let Some(problem) = form["assessment_problem"].as_str() {
        out.push(FieldError { field: "assessment_id".into(), message: problem.to_owned() });
    }
    if form["stamped_file_id"].as_str().unwrap_or("").is_empty() {
        out.push(FieldError { field: "stamped_file_id".into(), message: "请先生成申报书，盖章后上传盖章版".into() });
    }
    if out.is_empty() { Ok(()) } else { Err(out) }
}

fn fields(form: &Value) -> Vec<FieldRow> {
    let (key, version) = key_of(form);
    let mut out: Vec<FieldRow> = match forms::pinned(&key, version) {
        Some(schema) => form::rows(&schema, &form["values"]).into_iter().map(|r| FieldRow::new(&format!("values.{}", r.key), &r.label, r.value)).collect(),
        None => vec![],
    };
    let req = requirements(form);
    for item in &req.attachments {
        let n = file_ids(&form["attachments"][&item.key]).len();
        out.push(FieldRow::new(&format!("attachments.{}", item.key), &format!("附件：{}", item.title), if n == 0 { "未上传".to_owned() } else { format!("{n}个文件") }));
    }
    if req.declaration {
        let yes = form["declaration_confirmed"] == json!(true);
        out.push(FieldRow::new("declaration_confirmed", "申报材料真实性声明", if yes { "已确认" } else { "未确认" }));
    }
    if req.assessment {
        out.push(FieldRow::new("assessment_id", "数字化水平自评", form["assessment_label"].as_str().unwrap_or("未选择")));
    }
    let stamped = !form["stamped_file_id"].as_str().unwrap_or("").is_empty();
    out.push(FieldRow::new("stamped_file_id", "盖章申报书", if stamped { "已上传" } else { "未上传" }));
    out
}

/// Every file id the application names (form fields, attachment items, the stamped 申报书), so that its
/// reviewers may open them.
fn attachments(form: &Value) -> Vec<String> {
    let (key, version) = key_of(form);
    let mut out = Vec::new();
    if let Some(schema) = forms::pinned(&key, version) {
        out.extend(crate::files::form_file_ids(&schema, &form["values"]));
    }
    if let Some(m) = form["attachments"].as_object() {
        for v in m.values() {
            out.extend(file_ids(v));
        }
    }
    if let Some(s) = form["stamped_file_id"].as_str().filter(|s| !s.is_empty()) {
        out.push(s.to_owned());
    }
    out
}

/// The applicant's references: its registration, profile and latest finished self-assessment.
pub async fn references(db: &impl sea_orm::ConnectionTrait, org_id: &str) -> ApiResult<References> {
    let mut r = References::new();
    let o = org::Entity::find_by_id(org_id.to_owned()).one(db).await?.ok_or_else(|| ApiError::NotFound("单位不存在".into()))?;
    r.insert("org.name".into(), o.name.clone());
    r.insert("org.uscc".into(), o.uscc.clone().unwrap_or_default());
    if let Some(code) = &o.region_code {
        let name = crate::reference::entity::region::Entity::find_by_id(code.clone()).one(db).await?.map(|x| x.name).unwrap_or_default();
        r.insert("org.region".into(), if name.is_empty() { code.clone() } else { format!("{name}（{code}）") });
    }
    if let Some(p) = profile::Entity::find_by_id(org_id.to_owned()).one(db).await? {
        r.insert("org.address".into(), p.address.unwrap_or_default());
        if let Some(code) = &p.industry_code {
            let name = crate::reference::entity::industry::Entity::find_by_id(code.clone()).one(db).await?.map(|x| x.name).unwrap_or_default();
            r.insert("org.industry".into(), if name.is_empty() { code.clone() } else { format!("{code} {name}") });
        }
        r.insert("org.size".into(), p.size.unwrap_or_default());
        r.insert("org.nature".into(), p.nature.unwrap_or_default());
        r.insert("org.headcount".into(), p.headcount.map(|h| h.to_string()).unwrap_or_default());
        r.insert("org.main_product".into(), p.main_product.unwrap_or_default());
        r.insert("org.contact_name".into(), p.contact_name.unwrap_or_default());
    }
    use crate::assessment::entity::assessment as a;
    if let Some(latest) = a::Entity::find()
        .filter(a::Column::OrganizationId.eq(org_id))
        .filter(a::Column::Level.is_not_null())
        .order_by_desc(a::Column::SubmittedAt)
        .one(db)
        .await?
    {
        r.insert("assessment.level".into(), latest.level_label.clone().unwrap_or_default());
        r.insert("assessment.score".into(), latest.total_hundredths.map(|h| format!("{}.{:02}", h / 100, h % 100)).unwrap_or_default());
        r.insert("assessment.date".into(), latest.submitted_at.map(|t| t.with_timezone(&crate::time::china()).format("%Y-%m-%d").to_string()).unwrap_or_default());
    }
    Ok(r)
}

/// The call an application belongs to, with its track and program.
pub async fn call_of(db: &impl sea_orm::ConnectionTrait, call_id: &str) -> ApiResult<(call::Model, track::Model, program::Model)> {
    let c = call::Entity::find_by_id(call_id.to_owned()).one(db).await?.ok_or_else(|| ApiError::NotFound("申报通知不存在".into()))?;
    let t = track::Entity::find_by_id(c.track_id.clone()).one(db).await?.ok_or_else(|| ApiError::NotFound("申报方向不存在".into()))?;
    let p = program::Entity::find_by_id(t.program_id.clone()).one(db).await?.ok_or_else(|| ApiError::NotFound("申报专题不存在".into()))?;
    Ok((c, t, p))
}

pub fn settings_of(c: &call::Model) -> Settings {
    serde_json::from_str(&c.settings).expect("stored call settings parse")
}

/// Fills in what comes from the database, keeping everything the applicant typed.
async fn normalize(db: &DatabaseTransaction, owner_org_id: &str, mut form: Value) -> ApiResult<Value> {
    let call_id = form["call_id"].as_str().unwrap_or("").to_owned();
    let (c, t, p) = call_of(db, &call_id).await?;
    let (key, version) = key_of(&form);
    if key != c.form_key {
        return Err(ApiError::validation("form_key", "申报表与申报通知不符"));
    }
    let schema = forms::load(db, &key, version).await?;
    let refs = references(db, owner_org_id).await?;
    let values = if form["values"].is_object() { form["values"].clone() } else { json!({}) };
    form["values"] = form::complete(&schema, &values, &refs);
    let s = settings_of(&c);
    let req = Requirements {
        declaration: s.declaration.as_deref().is_some_and(|d| !d.trim().is_empty()),
        assessment: s.assessment.as_ref().is_some_and(|a| a.required),
        min_level: s.assessment.as_ref().and_then(|a| a.min_level.as_deref()).and_then(level_number),
        attachments: s.attachments.clone(),
    };
    form["requirements"] = serde_json::to_value(&req).expect("requirements serialize");
    form["call_title"] = json!(format!("{}·{}", p.name, t.name));
    // The track decides the responsible sections (责任科室) of the city and district stages.
    form["track_id"] = json!(t.id);
    // The self-assessment picked must be the applicant's own, finished, and of the level asked for.
    form["assessment_label"] = Value::Null;
    form["assessment_problem"] = Value::Null;
    if let Some(aid) = form["assessment_id"].as_str().filter(|s| !s.is_empty()).map(str::to_owned) {
        use crate::assessment::entity::assessment as a;
        let found = a::Entity::find_by_id(aid).filter(a::Column::OrganizationId.eq(owner_org_id)).one(db).await?;
        match found.filter(|x| x.level.is_some()) {
            None => return Err(ApiError::validation("assessment_id", "所选自评结果不存在或尚未完成")),
            Some(x) => {
                // Too low a level is the submission's to refuse: a save (autosave every few seconds) keeps
                // everything else the applicant typed.
                form["assessment_problem"] = match (req.min_level, x.level) {
                    (Some(min), Some(level)) if level < min => json!(format!(
                        "所选自评结果为{}，本次申报要求达到{}级及以上",
                        x.level_label.clone().unwrap_or_default(),
                        ["一", "二", "三", "四", "五", "六"][(min - 1).clamp(0, 5) as usize]
                    )),
                    _ => Value::Null,
                };
                let date = x.submitted_at.map(|t| t.with_timezone(&crate::time::china()).format("%Y-%m-%d").to_string()).unwrap_or_default();
                form["assessment_label"] = json!(format!("{}（{}）", x.level_label.unwrap_or_default(), date));
            }
        }
    }
    Ok(form)
}

/// Submission (not a resubmission after a return) is refused after the window, whatever the browser says:
/// the time is the server's. The applicant must still be eligible.
async fn on_submitted(txn: &DatabaseTransaction, case: &CaseRef, form: &Value) -> ApiResult<()> {
    let app = application::Entity::find_by_id(case.id.clone()).one(txn).await?.ok_or_else(|| ApiError::NotFound("申报不存在".into()))?;
    let (c, _, _) = call_of(txn, &app.call_id).await?;
    if case.status == CaseStatus::Draft {
        super::apply::check_window(&c, Utc::now())?;
        super::apply::check_eligible(txn, &c, &app.org_id, Some(&app.case_id)).await?;
    }
    // Every file named must be the applicant's own (a file id is not a capability).
    crate::files::own_files(txn, &app.org_id, "attachments", &attachments(form)).await.map(drop)
}

/// The responsible-section scope of a track (`review::sections`).
pub fn section_scope(track_id: &str) -> String {
    format!("track:{track_id}")
}

/// The district stage closes at the call's district deadline (003 §4.5: 区县审核截止时间): after it the district
/// can no longer recommend, refuse, return or withdraw, and is told why. The deadline is read from the call
/// now, so a city that extends it reopens the district's hand at once.
async fn check_review(db: &sea_orm::DatabaseConnection, form: &Value, stage_key: &str) -> ApiResult<()> {
    if stage_key != "district_review" {
        return Ok(());
    }
    let Some(call_id) = form["call_id"].as_str() else { return Ok(()) };
    let Some(c) = call::Entity::find_by_id(call_id.to_owned()).one(db).await? else { return Ok(()) };
    if let Some(deadline) = settings_of(&c).district_deadline
        && Utc::now() > deadline
    {
        return Err(ApiError::Refused {
            status: axum::http::StatusCode::CONFLICT,
            code: "call_district_deadline_passed",
            message: format!("区县审核已于{}截止，不能再办理；如需延期请联系市工信局", crate::time::display(deadline)),
            fields: vec![],
        });
    }
    Ok(())
}

macro_rules! application_kind {
    ($ty:ty, $key:literal) => {
        #[async_trait::async_trait]
        impl CaseKind for $ty {
            fn key(&self) -> &'static str {
                $key
            }
            fn owner_permission(&self) -> Option<&'static str> {
                Some(super::APPLY_PERMISSION)
            }
            fn check_draft(&self, form: &Value) -> Result<(), Vec<FieldError>> {
                check_draft(form)
            }
            async fn prepare(&self, db: &sea_orm::DatabaseConnection, form: &Value) -> ApiResult<()> {
                let (key, version) = key_of(form);
                forms::load(db, &key, version).await.map(drop)
            }
            fn validate(&self, form: &Value) -> Result<(), Vec<FieldError>> {
                validate(form)
            }
            fn title(&self, form: &Value, owner_org_name: &str) -> String {
                format!("{}（{}）", form["call_title"].as_str().unwrap_or("项目申报"), owner_org_name)
            }
            fn fields(&self, form: &Value) -> Vec<FieldRow> {
                fields(form)
            }
            fn attachments(&self, form: &Value) -> Vec<String> {
                attachments(form)
            }
            fn organizations(&self, _form: &Value) -> BTreeMap<String, String> {
                BTreeMap::new()
            }
            async fn normalize(&self, db: &DatabaseTransaction, owner_org_id: &str, form: Value) -> ApiResult<Value> {
                normalize(db, owner_org_id, form).await
            }
            async fn on_submitted(&self, txn: &DatabaseTransaction, _state: &AppState, case: &CaseRef, form: &Value) -> ApiResult<()> {
                on_submitted(txn, case, form).await
            }
            fn section_scope(&self, form: &Value) -> Option<String> {
                form["track_id"].as_str().map(section_scope)
            }
            async fn check_review(&self, db: &sea_orm::DatabaseConnection, form: &Value, stage_key: &str) -> ApiResult<()> {
                check_review(db, form, stage_key).await
            }
        }
    };
}

application_kind!(CallApplication, "call_application");
application_kind!(CityCallApplication, "call_application_city");
application_kind!(PilotApplication, "pilot_application");

/// The kind, and with it the flow, a new application to `c` starts with: a 003 call goes through the district
/// only when its track's city asks for district review (是否需要区县审核). An application keeps the kind it
/// started with when the setting changes later, as a case keeps its pinned flow version.
pub fn kind_for(c: &call::Model) -> &'static dyn CaseKind {
    match c.flow_key.as_str() {
        "pilot_application" => &PilotApplication,
        _ if settings_of(c).district_review => &CallApplication,
        _ => &CityCallApplication,
    }
}
