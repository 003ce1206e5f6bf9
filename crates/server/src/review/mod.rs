//! The review engine on the server (spec `20-review-engine.md`): persists the pure state machine of
//! `shuzhuan_core::review`, resolves who reviews each stage, keeps the to-do lists, the trail, the round
//! snapshots, notifications and the message board, and serves them over HTTP.
//!
//! The module contract: a capability that has something reviewed implements [`CaseKind`] and lists it in
//! [`kinds`]; it never touches states, tasks or the trail itself (see `docs/review-engine.md`).

mod batch;
pub mod engine;
pub mod entity;
pub mod flows;
mod handlers;
pub mod messages;
pub mod notifications;
mod read;
pub mod reminders;
pub mod sections;
mod status;
pub mod tally;
mod timeline;
pub mod views;

use std::collections::BTreeMap;

use sea_orm::DatabaseTransaction;
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, FieldError};
use crate::state::AppState;

pub use engine::{act, insert_draft, load as load_case, save_form, set_case_ref, submit_new_case, ActRequest, Acting, NewCase};
pub use handlers::{stage_counts_query, todo_query, TodoFilter};
pub use read::{case_by_id, case_summaries_by_ids, case_ids_held_by, case_ids_in, case_ids_reviewed_by, case_ids_titled, cases_by_ids, cases_of, last_arrivals, CaseRef, ReviewerTab};
pub use status::{ActionCode, CaseState, StageProgress, TaskResult, TaskState};
pub use views::{FieldRow, FileRef};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::list_cases, handlers::create_case))
        .routes(routes!(handlers::get_case))
        .routes(routes!(handlers::reveal_personal_data))
        .routes(routes!(handlers::save_form))
        .routes(routes!(handlers::act_on_case))
        .routes(routes!(handlers::case_diff))
        .routes(routes!(timeline::timeline_pdf))
        .routes(routes!(handlers::list_tasks))
        .routes(routes!(handlers::batch_approve))
        .routes(routes!(messages::list_case_messages, messages::post_case_message))
        .routes(routes!(messages::list_my_messages))
        .routes(routes!(notifications::list_notifications))
        .routes(routes!(notifications::unread_count))
        .routes(routes!(notifications::mark_read))
        .routes(routes!(notifications::mark_all_read))
        .routes(routes!(flows::list_flows))
        .routes(routes!(flows::get_flow_versions, flows::create_flow_version))
}

/// What a business capability tells the engine about the things it has reviewed. The engine calls
/// `validate` on submit and resubmit, `fields` to show the form read-only and to diff rounds, and the
/// hooks inside the action's transaction.
#[async_trait::async_trait]
pub trait CaseKind: Send + Sync {
    /// The flow key (`info_change`, `provider_certification` …).
    fn key(&self) -> &'static str;

    /// Form keys holding personal data: encrypted at rest in the case and its round snapshots, decrypted
    /// for the people allowed to see the case.
    fn encrypted_fields(&self) -> &'static [&'static str] {
        &[]
    }

    /// The menu permission that lets a member (not only the organization's administrator) act as the
    /// applicant; `None` = administrators only.
    fn owner_permission(&self) -> Option<&'static str> {
        None
    }

    /// Whether owners may start a draft of this kind through the generic `POST /api/review/cases`.
    fn owner_creates(&self) -> bool {
        false
    }

    /// Type checks on save (never loses what was typed: only refuses what cannot be stored). A kind with a
    /// hand-written form checks it against its draft shape with [`check_draft_shape`].
    fn check_draft(&self, form: &Value) -> Result<(), Vec<FieldError>> {
        if form.is_object() { Ok(()) } else { Err(vec![FieldError { field: "form".into(), message: "表单格式不正确".into() }]) }
    }

    /// Loads what the synchronous [`validate`](Self::validate) and [`fields`](Self::fields) need and cannot
    /// read themselves (a call application's pinned form version): the engine calls it before either.
    async fn prepare(&self, _db: &sea_orm::DatabaseConnection, _form: &Value) -> ApiResult<()> {
        Ok(())
    }

    /// Full validation on submit and resubmit: every problem, by field.
    fn validate(&self, form: &Value) -> Result<(), Vec<FieldError>>;

    /// The list's 名称 column.
    fn title(&self, form: &Value, owner_org_name: &str) -> String;

    /// The form as labelled, formatted rows (read-only view and round diff).
    fn fields(&self, form: &Value) -> Vec<FieldRow>;

    /// File ids attached to the form.
    fn attachments(&self, form: &Value) -> Vec<String> {
        form.get("attachment_ids")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    }

    /// Organization ids named in the form, by field, for `CaseOrganization` stages.
    fn organizations(&self, _form: &Value) -> BTreeMap<String, String> {
        BTreeMap::new()
    }

    /// Where a 「region authority」 stage (镇街 / 区县 / 市 / 省工信) of this kind looks for its authority: the
    /// region of the pilot program the case belongs to. `None` (the default) takes the applicant's registered
    /// region, right when the applicant enters its own city's program (information change, filings, calls).
    /// A kind whose program is another organization's names the field of [`organizations`](Self::organizations)
    /// whose organization's region decides: a product entered into a Jiangmen lead unit's pool belongs to
    /// Jiangmen's pilot and is re-reviewed by 江门市工信局, wherever its provider is registered.
    fn program_region_from(&self) -> Option<&'static str> {
        None
    }

    /// Completes the form from the database on every save (e.g. names of the organizations it names, the
    /// applicant's registered name), so what reviewers read never depends on what a client claims. Reads
    /// through the saving transaction: on SQLite a transaction holds the write lock from its start (see
    /// `db::begin_write`), and reading through a second pooled connection while others wait for that lock
    /// could exhaust the pool.
    async fn normalize(&self, _db: &DatabaseTransaction, _owner_org_id: &str, form: Value) -> ApiResult<Value> {
        Ok(form)
    }

    /// The scope a 「responsible section」 (责任科室) stage is assigned by: the reviewing organization names the
    /// department responsible for it (see [`sections`]). `None` (the default): the whole organization reviews.
    fn section_scope(&self, _form: &Value) -> Option<String> {
        None
    }

    /// Whether a reviewer may act at `stage_key` now, beside what the flow allows (a call's district stage
    /// closes at the district deadline). Refusals say why. Called before every reviewer decision.
    async fn check_review(&self, _db: &sea_orm::DatabaseConnection, _form: &Value, _stage_key: &str) -> ApiResult<()> {
        Ok(())
    }

    /// Whether the owner may save now, beside what the flow allows: a kind editable only inside a window the
    /// program sets (项目入库开放时段), or whose form must keep what it was created for. `stored` is the form
    /// as saved, `incoming` what the owner sends. Refusals say why.
    async fn check_owner_save(&self, _state: &AppState, _stored: &Value, _incoming: &Value) -> ApiResult<()> {
        Ok(())
    }

    /// A short text for the owner's list (the lead unit of an application, a product's business areas).
    fn list_note(&self, _form: &Value) -> Option<String> {
        None
    }

    /// Submit or resubmit, inside the action's transaction, before it commits: checks that need the
    /// database (duplicates, bindings) and the module's own bookkeeping. An error rolls everything back.
    async fn on_submitted(&self, _txn: &DatabaseTransaction, _state: &AppState, _case: &CaseRef, _form: &Value) -> ApiResult<()> {
        Ok(())
    }

    /// The last stage approved: make the approval take effect.
    async fn on_approved(&self, _txn: &DatabaseTransaction, _state: &AppState, _case: &CaseRef, _form: &Value) -> ApiResult<()> {
        Ok(())
    }

    /// The amount the case asks for (the presubsidy's 纳入奖补金额合计), summed by the officials' dashboard
    /// (see [`tally`]); only kinds whose [`reports_amount`](Self::reports_amount) is true are asked.
    fn amount(&self, _form: &Value) -> Option<shuzhuan_core::Money> {
        None
    }

    /// Whether the kind's cases carry an [`amount`](Self::amount).
    fn reports_amount(&self) -> bool {
        false
    }

    /// A stage rejected the case.
    async fn on_rejected(&self, _txn: &DatabaseTransaction, _case: &CaseRef) -> ApiResult<()> {
        Ok(())
    }
}

/// A case kind, as its capability registers it with the engine:
/// `inventory::submit! { review::Registered(&MyKind) }` next to the kind's `impl CaseKind`. The engine
/// never names the capabilities built on it; it finds their kinds here.
pub struct Registered(pub &'static dyn CaseKind);

inventory::collect!(Registered);

/// Every case kind the capabilities registered, in key order.
pub fn kinds() -> &'static [&'static dyn CaseKind] {
    static KINDS: std::sync::OnceLock<Vec<&'static dyn CaseKind>> = std::sync::OnceLock::new();
    KINDS.get_or_init(|| {
        let mut all: Vec<&'static dyn CaseKind> = inventory::iter::<Registered>.into_iter().map(|r| r.0).collect();
        all.sort_by_key(|k| k.key());
        all
    })
}

/// Checks a draft against a kind's draft shape `D`, a struct whose every field is optional: a field that is
/// present must have its type (`"name": 123` is refused and named), a missing one is fine, since a draft may be
/// saved half filled in at 11 pm and finished tomorrow. Unknown fields are kept (the form is stored as sent).
pub fn check_draft_shape<D: serde::de::DeserializeOwned>(form: &Value) -> Result<(), Vec<FieldError>> {
    if !form.is_object() {
        return Err(vec![FieldError { field: "form".into(), message: "表单格式不正确".into() }]);
    }
    match serde_path_to_error::deserialize::<_, D>(form) {
        Ok(_) => Ok(()),
        Err(e) => {
            let field = e.path().to_string();
            Err(vec![FieldError { field, message: "填写内容的格式不正确".into() }])
        }
    }
}

/// Draft field types that forms share: a number the page sends as a number, or as the text typed.
#[derive(Debug, serde::Deserialize)]
#[serde(untagged)]
pub enum NumberOrText {
    Number(serde_json::Number),
    Text(String),
}

pub fn kind(key: &str) -> Option<&'static dyn CaseKind> {
    kinds().iter().copied().find(|k| k.key() == key)
}

/// Whether a file another organization uploaded is shared with the user through a case: it is attached
/// to the form of a case the user's organization reviews, or to a trail record (a reviewer's attachment)
/// of a case the user's organization applied for.
async fn shares_file(db: &sea_orm::DatabaseConnection, user: &crate::auth::CurrentUser, file: &crate::files::entity::Model) -> ApiResult<bool> {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    // File ids are UUIDs: no LIKE wildcards to escape.
    let pattern = format!("%\"{}\"%", file.id);
    if engine::may_review(user) {
        let reviewed = entity::case::Entity::find()
            .filter(entity::case::Column::OwnerOrgId.eq(file.organization_id.clone()))
            .filter(entity::case::Column::Form.like(pattern.clone()))
            .filter(
                entity::case::Column::Id.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(entity::task::Column::CaseId)
                        .from(entity::task::Entity)
                        .and_where(entity::task::Column::AssigneeOrgId.eq(user.organization.id.clone()))
                        .cond_where(sections::person_condition(&user.user_id))
                        .to_owned(),
                ),
            )
            .count(db)
            .await?;
        if reviewed > 0 {
            return Ok(true);
        }
    }
    let attached = entity::trail::Entity::find()
        .filter(entity::trail::Column::ActorOrgId.eq(file.organization_id.clone()))
        .filter(entity::trail::Column::Attachments.like(pattern))
        .filter(
            entity::trail::Column::CaseId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(entity::case::Column::Id)
                    .from(entity::case::Entity)
                    .and_where(entity::case::Column::OwnerOrgId.eq(user.organization.id.clone()))
                    .to_owned(),
            ),
        )
        .count(db)
        .await?;
    Ok(attached > 0)
}

inventory::submit! {
    crate::files::SharingRule { name: "review_case", shares: |db, user, file| Box::pin(shares_file(db, user, file)) }
}

/// Review cases in the audit log: by title, linked to the case page.
async fn case_titles(db: &sea_orm::DatabaseConnection, ids: &[String]) -> ApiResult<std::collections::HashMap<String, String>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        for c in entity::case::Entity::find().filter(entity::case::Column::Id.is_in(chunk.to_vec())).all(db).await? {
            out.insert(c.id, c.title);
        }
    }
    Ok(out)
}

inventory::submit! {
    crate::audit::ObjectNames {
        object_type: "review_case",
        names: |db, ids| Box::pin(case_titles(db, ids)),
        link: Some(|id| format!("/workbench/review/cases/{id}")),
    }
}
