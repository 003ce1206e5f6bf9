//! One review action, persisted: load the case and its pinned flow, let the core decide
//! (`shuzhuan_core::review::apply`), then write everything the decision produced in one transaction whose
//! first statement is `UPDATE review_cases … WHERE version = <the version the client read>`.
//!
//! Why the guarded update comes first: two reviewers acting at once both pass the core's checks on the
//! version they read; the database lets exactly one update match, the other finds no row and gets 409.
//! Starting the transaction with that write also takes SQLite's write lock up front, so concurrent writers
//! queue on the busy timeout instead of failing a read-to-write upgrade.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::Value;
use shuzhuan_core::review::{
    Action, ActionKind, Actor, AssigneeRule, Case, CaseStatus, FlowDefinition, ReviewError, TaskChange, Transition,
};
use shuzhuan_core::RegionCode;

use super::entity::{case, idempotency, notification, round, task, trail};
use super::notifications;
use super::{flows, CaseKind, CaseState, TaskResult, TaskState};
use crate::auth::{CurrentUser, Role};
use crate::audit::{self, Entry, Outcome};
use crate::error::{ApiError, ApiResult};
use crate::directory::{org, OrgKind};
use crate::state::AppState;

/// Who acts, as the trail records it.
#[derive(Debug, Clone)]
pub struct Acting {
    pub user_id: String,
    pub user_name: String,
    pub org_id: String,
    pub org_name: String,
    pub org_kind: OrgKind,
    pub ip: Option<String>,
}

impl From<&CurrentUser> for Acting {
    fn from(u: &CurrentUser) -> Self {
        Acting {
            user_id: u.user_id.clone(),
            user_name: u.display_name.clone(),
            org_id: u.organization.id.clone(),
            org_name: u.organization.name.clone(),
            org_kind: u.organization.kind,
            ip: u.ip.clone(),
        }
    }
}

/// A case with everything needed to decide on it.
pub struct Loaded {
    pub row: case::Model,
    pub case: Case,
    pub flow: Arc<FlowDefinition>,
    pub kind: &'static dyn CaseKind,
}

pub async fn load(db: &impl ConnectionTrait, id: &str) -> ApiResult<Loaded> {
    let row = case::Entity::find_by_id(id.to_owned()).one(db).await?;
    loaded(db, row).await
}

/// A case row read elsewhere (a batch reads its cases in one query), with its kind, state and flow.
pub(super) async fn loaded(db: &impl ConnectionTrait, row: Option<case::Model>) -> ApiResult<Loaded> {
    let row = row.filter(|r| r.status != CaseState::Deleted).ok_or_else(|| ApiError::NotFound("该事项不存在或已删除".into()))?;
    let kind = super::kind(&row.kind).ok_or_else(|| ApiError::Internal(anyhow::anyhow!("unknown case kind {}", row.kind)))?;
    let case: Case = serde_json::from_str(&row.state).map_err(|e| ApiError::Internal(anyhow::anyhow!("case {} state: {e}", row.id)))?;
    let flow = flows::pinned(db, &row.kind, row.flow_version).await?;
    Ok(Loaded { row, case, flow, kind })
}

/// How the signed-in user stands to a case.
#[derive(Debug, Default, Clone)]
pub struct Standing {
    /// A user of the applicant organization allowed to act for it.
    pub owner: bool,
    /// The stage whose open task the user's organization holds (and the user may review).
    pub open_stage: Option<usize>,
    /// The user's organization holds or held a task on the case, and the user may review.
    pub reviewer: bool,
    /// The stage of the organization's most recently closed task: where a reviewer's withdraw applies.
    pub acted_stage: Option<usize>,
}

impl Standing {
    pub fn may_see(&self) -> bool {
        self.owner || self.reviewer
    }
}

/// Reviewing is for an organization's administrator and the members given 审核办理; experts review as
/// themselves. An enterprise reviews only its confirmations in the project lifecycle (企业确认 of an agency's
/// report): that is 项目管理 work, so its members given 项目管理 do it (enterprises have no 审核办理).
pub fn may_review(user: &CurrentUser) -> bool {
    user.has_role(Role::OrgAdmin)
        || user.has_role(Role::Expert)
        || user.permissions.iter().any(|p| p == "reviews")
        || (user.organization.kind == OrgKind::Enterprise && user.permissions.iter().any(|p| p == "projects"))
}

pub async fn standing(db: &impl ConnectionTrait, user: &CurrentUser, l: &Loaded) -> ApiResult<Standing> {
    let tasks = if may_review(user) {
        task::Entity::find()
            .filter(task::Column::CaseId.eq(l.row.id.clone()))
            .filter(task::Column::AssigneeOrgId.eq(user.organization.id.clone()))
            .all(db)
            .await?
    } else {
        vec![]
    };
    Ok(standing_with(user, l, &tasks))
}

/// How the user stands to a case, given the case's tasks (any organization's: only the user's own count).
pub(super) fn standing_with(user: &CurrentUser, l: &Loaded, tasks: &[task::Model]) -> Standing {
    let mut s = Standing::default();
    if l.row.owner_org_id == user.organization.id {
        s.owner = user.has_role(Role::OrgAdmin) || l.kind.owner_permission().is_some_and(|p| user.permissions.iter().any(|q| q == p));
    }
    if may_review(user) {
        let holder = super::sections::Holder::of(user);
        // Another person's task (an expert assigned to someone else) does not let the organization see the case.
        let ours: Vec<&task::Model> = tasks
            .iter()
            .filter(|t| t.case_id == l.row.id && t.assignee_org_id == user.organization.id && holder.holds_person(t.assignee_user_id.as_deref()))
            .collect();
        // The organization sees the case; of its tasks, the user acts on those of its section and user type.
        s.reviewer = !ours.is_empty();
        let held: Vec<&&task::Model> = ours.iter().filter(|t| holder.holds(t)).collect();
        s.open_stage = held.iter().find(|t| t.state == TaskState::Open).map(|t| t.stage as usize);
        s.acted_stage = held.iter().filter(|t| t.closed_at.is_some()).max_by_key(|t| t.closed_at).map(|t| t.stage as usize);
    }
    s
}

/// Loads a case the user may see; another organization's case is "not found", never "forbidden", so ids
/// reveal nothing.
pub async fn load_visible(db: &impl ConnectionTrait, user: &CurrentUser, id: &str) -> ApiResult<(Loaded, Standing)> {
    let l = load(db, id).await?;
    let s = standing(db, user, &l).await?;
    if !s.may_see() {
        return Err(ApiError::NotFound("该事项不存在或已删除".into()));
    }
    Ok((l, s))
}

/// The actor the user would be for `kind` of action, or why it cannot act at all.
pub(super) fn actor_for(user: &CurrentUser, l: &Loaded, s: &Standing, kind: ActionKind) -> ApiResult<Actor> {
    let owner_action = matches!(
        kind,
        ActionKind::SaveDraft | ActionKind::Submit | ActionKind::Resubmit | ActionKind::WithdrawByOwner | ActionKind::Delete
    );
    if owner_action {
        if !s.owner {
            return Err(review_error(ReviewError::NotOwner));
        }
        return Ok(Actor::owner(&user.user_id, &user.organization.id));
    }
    if !s.reviewer {
        return Err(review_error(ReviewError::NotReviewer));
    }
    let stage = match kind {
        // Withdraw undoes the organization's own last decision, at the stage it was taken; the core
        // refuses it if anyone acted since.
        ActionKind::WithdrawByReviewer => s.acted_stage.or(s.open_stage).unwrap_or(0),
        _ => match s.open_stage {
            Some(stage) => stage,
            None => {
                let current = l.case.status().stage().unwrap_or(0);
                return Err(review_error(ReviewError::WrongStage { current }));
            }
        },
    };
    Ok(Actor::reviewer(&user.user_id, &user.organization.id, stage))
}

/// The actions the user may take on the case now (buttons).
pub fn available(user: &CurrentUser, l: &Loaded, s: &Standing) -> Vec<ActionKind> {
    let mut out = Vec::new();
    if s.owner {
        let actor = Actor::owner(&user.user_id, &user.organization.id);
        out.extend(shuzhuan_core::review::available_actions(&l.flow, &l.case, &actor));
    }
    if s.reviewer {
        if let Some(stage) = s.open_stage {
            let actor = Actor::reviewer(&user.user_id, &user.organization.id, stage);
            out.extend(
                shuzhuan_core::review::available_actions(&l.flow, &l.case, &actor)
                    .into_iter()
                    .filter(|k| matches!(k, ActionKind::Approve | ActionKind::Reject | ActionKind::Return)),
            );
        }
        if let Some(stage) = l.case.last_action().and_then(|a| a.stage) {
            let actor = Actor::reviewer(&user.user_id, &user.organization.id, stage);
            if shuzhuan_core::review::available_actions(&l.flow, &l.case, &actor).contains(&ActionKind::WithdrawByReviewer) {
                out.push(ActionKind::WithdrawByReviewer);
            }
        }
    }
    out
}

/// A refusal of the core as an HTTP error with the core's stable code (`review_version_conflict`, …): stale
/// versions and state changes are conflicts (409, refresh and look again), acting outside one's role is
/// forbidden, bad opinions are field errors.
pub fn review_error(e: ReviewError) -> ApiError {
    use axum::http::StatusCode;
    let message = e.to_string();
    let (status, fields) = match &e {
        ReviewError::OpinionRequired { .. } | ReviewError::OpinionTooLong { .. } | ReviewError::ReturnTarget { .. } => {
            let field = e.field().unwrap_or("opinion").to_owned();
            (StatusCode::UNPROCESSABLE_ENTITY, vec![crate::error::FieldError { field, message: message.clone() }])
        }
        ReviewError::NotOwner | ReviewError::NotReviewer | ReviewError::NotLastActor | ReviewError::ActionNotAllowed { .. } => {
            (StatusCode::FORBIDDEN, vec![])
        }
        ReviewError::FlowMismatch { .. } => return ApiError::Internal(anyhow::anyhow!("{message} ({e:?})")),
        _ => (StatusCode::CONFLICT, vec![]),
    };
    ApiError::Refused { status, code: e.code(), message, fields }
}

/// What the client sends to act.
#[derive(Debug, Clone)]
pub struct ActRequest {
    pub action: Action,
    pub version: u64,
    pub attachment_ids: Vec<String>,
    pub idempotency_key: Option<String>,
}

/// The kind's own condition on a reviewer decision at `stage` (a call's district deadline).
pub(super) async fn check_review(state: &AppState, l: &Loaded, stage: usize) -> ApiResult<()> {
    let Some(key) = l.flow.stage(stage).map(|s| s.key().to_owned()) else { return Ok(()) };
    let form: Value = serde_json::from_str(&l.row.form).unwrap_or_default();
    l.kind.check_review(&state.db, &form, &key).await
}

/// Acts on a case for the signed-in user. Returns the case's title (batch approve lists it; the single
/// action renders the whole detail instead).
pub async fn act(state: &AppState, user: &CurrentUser, case_id: &str, req: ActRequest) -> ApiResult<String> {
    let idem_key = idempotency_key(user, "", req.idempotency_key.as_deref())?;
    if let Some(key) = &idem_key
        && let Some(done) = idempotency::Entity::find_by_id(key.clone()).one(&state.db).await?
    {
        // A retry of a request that already took effect: change nothing, answer with the case as it is.
        return if done.case_id == case_id {
            Ok(case::Entity::find_by_id(case_id.to_owned()).one(&state.db).await?.map(|c| c.title).unwrap_or_default())
        } else {
            Err(ApiError::Conflict("该请求标识已用于其他事项".into()))
        };
    }
    let (l, s) = load_visible(&state.db, user, case_id).await?;
    let kind = req.action.kind();
    let actor = actor_for(user, &l, &s, kind)?;
    if matches!(kind, ActionKind::Submit | ActionKind::Resubmit) {
        let form = decrypted_form(state, &l)?;
        l.kind.prepare(&state.db, &form).await?;
        l.kind.validate(&form).map_err(|fields| ApiError::Validation { message: format!("还有{}项未填写或填写有误，请检查", fields.len()), fields })?;
    }
    if let Some(stage) = actor.stage() {
        check_review(state, &l, stage).await?;
    }
    crate::files::own_files(&state.db, &user.organization.id, "attachment_ids", &req.attachment_ids).await?;
    // A draft is pinned to the flow version current when it is submitted.
    let flow = if kind == ActionKind::Submit && l.case.status() == CaseStatus::Draft {
        flows::current(&state.db, l.kind.key()).await?
    } else {
        l.flow.clone()
    };
    let now = Utc::now();
    let t = shuzhuan_core::review::apply(&flow, &l.case, &actor, req.action, req.version, now.timestamp()).map_err(review_error)?;
    let mut lookups = Lookups::default();
    let opens = resolve_opens(&state.db, &mut lookups, &l.row, &flow, &t).await?;
    let applicant = applicant_of(&state.db, &mut lookups, &l.row, &opens, &t).await?;

    let txn = crate::db::begin_write(&state.db).await?;
    let mut effects = Effects::default();
    let applied = write(&txn, state, Write {
        before: &l.row,
        kind: l.kind,
        flow: &flow,
        t: &t,
        acting: &Acting::from(user),
        opens: &opens,
        applicant: &applicant,
        attachments: &req.attachment_ids,
        now,
    }, &mut effects)
    .await?;
    if !applied {
        txn.rollback().await?;
        return Err(review_error(ReviewError::VersionConflict { expected: req.version, actual: req.version + 1 }));
    }
    if let Some(key) = &idem_key {
        let inserted = idempotency::Entity::insert(idempotency::ActiveModel {
            key: Set(key.clone()),
            case_id: Set(case_id.to_owned()),
            response: Set(serde_json::json!({ "status": t.case.status().code(), "version": t.case.version() }).to_string()),
            created_at: Set(now),
        })
        .on_conflict_do_nothing()
        .exec(&txn)
        .await?;
        // Only a conflict on the key itself means "the same request, sent twice at once, won the race in the
        // other connection"; any other failure (a dropped connection, a failed statement) is an error and the
        // action was not applied.
        if matches!(inserted, sea_orm::TryInsertResult::Conflicted) {
            txn.rollback().await?;
            return Ok(l.row.title);
        }
    }
    effects.audits.push(audit_row(user, &l.row, &flow, &t));
    effects.write(&txn).await?;
    txn.commit().await?;
    after_commit(state, &l.row, &t);
    Ok(l.row.title)
}

/// The audit entry of an action on a case.
/// The entry carries the stage, the opinion and the status before and after, so that the audit log reads as
/// the review trail too (one time-ordered record for an auditor).
pub(super) fn audit_row(user: &CurrentUser, row: &case::Model, flow: &FlowDefinition, t: &Transition) -> audit::entity::ActiveModel {
    let stage_name = t.trail.stage.and_then(|s| flow.stage(s)).map(|s| s.name().to_owned());
    audit::row(Entry {
        action: audit_action(t.trail.action),
        actor: Some(user),
        username: None,
        ip: user.ip.clone(),
        object_type: Some("review_case"),
        object_id: Some(&row.id),
        outcome: Outcome::Success,
        detail: Some(serde_json::json!({
            "kind": row.kind, "kind_name": flow.name(), "stage": t.trail.stage, "stage_name": stage_name,
            "before": t.trail.before.code(), "after": t.trail.after.code(), "round": t.case.round(), "opinion": t.trail.opinion,
        })),
    })
}

/// What follows a committed action outside its transaction: the applicant's SMS, when configured.
pub(super) fn after_commit(state: &AppState, before: &case::Model, t: &Transition) {
    if let Some(event) = sms_event(state, t) {
        // The SMS goes out after the answer, in its own task: the decision is committed and the in-site
        // notice written, so a slow or unreachable gateway never holds up the reviewer (a batch of a
        // thousand approvals would otherwise wait on a thousand gateway calls). Best effort, as before: a
        // failure is logged; a message still in flight when the process stops is lost.
        let (state, before) = (state.clone(), before.clone());
        tokio::spawn(async move { send_review_sms(&state, &before, event).await });
    }
}

/// The stored form of a client's `Idempotency-Key` header: scoped to the user (two users' keys never meet)
/// and to what it guards (`""` for actions, `"create:"` for new cases).
pub fn idempotency_key(user: &CurrentUser, scope: &str, raw: Option<&str>) -> ApiResult<Option<String>> {
    match raw.map(str::trim) {
        None => Ok(None),
        Some(k) if k.is_empty() || k.len() > 80 => Err(ApiError::validation("Idempotency-Key", "Idempotency-Key 格式不正确（1至80个字符）")),
        Some(k) => Ok(Some(format!("{}:{scope}{k}", user.user_id))),
    }
}

/// The case a request with this key already created, if it did.
pub async fn created_with(db: &impl ConnectionTrait, key: &str) -> ApiResult<Option<String>> {
    Ok(idempotency::Entity::find_by_id(key.to_owned()).one(db).await?.map(|done| done.case_id))
}

/// Records, inside the creating transaction, that `key` created `case_id`. `false` when the same request,
/// sent twice at once, got there first: the caller rolls back and answers with [`created_with`].
pub async fn remember_created(txn: &DatabaseTransaction, key: &str, case_id: &str) -> ApiResult<bool> {
    let inserted = idempotency::Entity::insert(idempotency::ActiveModel {
        key: Set(key.to_owned()),
        case_id: Set(case_id.to_owned()),
        response: Set(serde_json::json!({ "created": case_id }).to_string()),
        created_at: Set(Utc::now()),
    })
    .on_conflict_do_nothing()
    .exec(txn)
    .await?;
    Ok(!matches!(inserted, sea_orm::TryInsertResult::Conflicted))
}

fn audit_action(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::SaveDraft => "review_save_draft",
        ActionKind::Submit => "review_submit",
        ActionKind::Resubmit => "review_resubmit",
        ActionKind::Approve => "review_approve",
        ActionKind::Reject => "review_reject",
        ActionKind::Return => "review_return",
        ActionKind::WithdrawByReviewer => "review_withdraw_reviewer",
        ActionKind::WithdrawByOwner => "review_withdraw_owner",
        ActionKind::Delete => "review_delete",
    }
}

/// A new case of `kind`, created by the system for its owner (e.g. a provider's certification at
/// registration) and submitted at once, inside the caller's transaction.
pub struct NewCase<'a> {
    pub kind: &'static dyn CaseKind,
    pub owner_org_id: &'a str,
    pub owner_region_code: Option<&'a str>,
    pub form: Value,
    pub submit: bool,
}

/// Creates a case (a draft, or submitted when `new.submit`) inside `txn`; returns its id.
pub async fn submit_new_case(txn: &DatabaseTransaction, state: &AppState, mut new: NewCase<'_>, acting: &Acting) -> ApiResult<String> {
    require_object(&new.form)?;
    new.form = new.kind.normalize(txn, new.owner_org_id, new.form).await?;
    let row = insert_draft(txn, state, &new, acting).await?;
    if !new.submit {
        return Ok(row.id);
    }
    new.kind
        .validate(&new.form)
        .map_err(|fields| ApiError::Validation { message: format!("还有{}项未填写或填写有误，请检查", fields.len()), fields })?;
    let flow = flows::current(txn, new.kind.key()).await?;
    let case: Case = serde_json::from_str(&row.state).expect("just serialized");
    let actor = Actor::owner(&acting.user_id, &acting.org_id);
    let now = Utc::now();
    let t = shuzhuan_core::review::apply(&flow, &case, &actor, Action::Submit, 0, now.timestamp()).map_err(review_error)?;
    let mut lookups = Lookups::default();
    let opens = resolve_opens(txn, &mut lookups, &row, &flow, &t).await?;
    let applicant = applicant_of(txn, &mut lookups, &row, &opens, &t).await?;
    let mut effects = Effects::default();
    let w = Write { before: &row, kind: new.kind, flow: &flow, t: &t, acting, opens: &opens, applicant: &applicant, attachments: &[], now };
    let applied = write(txn, state, w, &mut effects).await?;
    debug_assert!(applied, "a case created in this transaction has version 0");
    effects.write(txn).await?;
    Ok(row.id)
}

/// Inserts a draft at version 0 (the form encrypted where the kind says so).
pub async fn insert_draft(db: &impl ConnectionTrait, state: &AppState, new: &NewCase<'_>, acting: &Acting) -> ApiResult<case::Model> {
    new.kind.check_draft(&new.form).map_err(|fields| ApiError::Validation { message: "表单格式不正确".into(), fields })?;
    let flow = flows::current(db, new.kind.key()).await?;
    let now = Utc::now();
    let case = Case::new(new.owner_org_id);
    let model = case::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        kind: Set(new.kind.key().to_owned()),
        flow_version: Set(flow.version() as i32),
        owner_org_id: Set(new.owner_org_id.to_owned()),
        owner_user_id: Set(acting.user_id.clone()),
        owner_region_code: Set(new.owner_region_code.map(str::to_owned)),
        title: Set(truncate(&new.kind.title(&new.form, &acting.org_name), 200)),
        form: Set(encrypt_form(state, new.kind, &new.form).to_string()),
        refs: Set(serde_json::to_string(&new.kind.organizations(&new.form)).expect("maps serialize")),
        state: Set(serde_json::to_string(&case).expect("cases serialize")),
        status: Set(case.status().into()),
        stage: Set(None),
        version: Set(0),
        round: Set(0),
        latest_opinion: Set(None),
        latest_org_name: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        submitted_at: Set(None),
        completed_at: Set(None),
    };
    Ok(case::Entity::insert(model).exec_with_returning(db).await?)
}

/// Saves the owner's form (draft or returned case only), guarded by the version like any action.
pub async fn save_form(state: &AppState, user: &CurrentUser, case_id: &str, form: Value, version: u64) -> ApiResult<()> {
    let (l, s) = load_visible(&state.db, user, case_id).await?;
    let actor = actor_for(user, &l, &s, ActionKind::SaveDraft)?;
    require_object(&form)?;
    l.kind.check_draft(&form).map_err(|fields| ApiError::Validation { message: "表单格式不正确".into(), fields })?;
    // The core decides whether the case may be edited now (and checks the version).
    shuzhuan_core::review::apply(&l.flow, &l.case, &actor, Action::SaveDraft, version, Utc::now().timestamp()).map_err(review_error)?;
    l.kind.check_owner_save(state, &decrypted_form(state, &l)?, &form).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let form = l.kind.normalize(&txn, &l.row.owner_org_id, form).await?;
    let res = case::Entity::update_many()
        .col_expr(case::Column::Form, Expr::value(encrypt_form(state, l.kind, &form).to_string()))
        .col_expr(case::Column::Title, Expr::value(truncate(&l.kind.title(&form, &user.organization.name), 200)))
        .col_expr(case::Column::Refs, Expr::value(serde_json::to_string(&l.kind.organizations(&form)).expect("maps serialize")))
        .col_expr(case::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(case::Column::Id.eq(case_id))
        .filter(case::Column::Version.eq(version as i64))
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        txn.rollback().await?;
        return Err(review_error(ReviewError::VersionConflict { expected: version, actual: version + 1 }));
    }
    txn.commit().await?;
    Ok(())
}

/// Names `value` (a user or organization id) as the case's `field` for its later stages (the 验收专家 the city
/// assigns), inside `txn`, guarded by the case's version: an action that moved the case since `version` was
/// read wins, and this is refused. The kind's `organizations` must keep naming it on later saves.
pub async fn set_case_ref(txn: &DatabaseTransaction, case_id: &str, version: i64, field: &str, value: &str) -> ApiResult<()> {
    let row = case::Entity::find_by_id(case_id.to_owned()).one(txn).await?.ok_or_else(|| ApiError::NotFound("该事项不存在或已删除".into()))?;
    let mut refs: BTreeMap<String, String> = serde_json::from_str(&row.refs).unwrap_or_default();
    refs.insert(field.to_owned(), value.to_owned());
    let res = case::Entity::update_many()
        .col_expr(case::Column::Refs, Expr::value(serde_json::to_string(&refs).expect("maps serialize")))
        .filter(case::Column::Id.eq(case_id))
        .filter(case::Column::Version.eq(version))
        .exec(txn)
        .await?;
    if res.rows_affected == 0 {
        return Err(ApiError::Conflict("该事项刚刚有了新的办理进展，请刷新后重试".into()));
    }
    Ok(())
}

/// Every kind's form is a JSON object; anything else (`"表单"`, `[1,2]`, `123`) is refused before a kind's
/// code reads it by key.
fn require_object(form: &Value) -> ApiResult<()> {
    if form.is_object() { Ok(()) } else { Err(ApiError::validation("form", "表单格式不正确：须为对象")) }
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

fn encrypt_form(state: &AppState, kind: &dyn CaseKind, form: &Value) -> Value {
    let mut form = form.clone();
    for key in kind.encrypted_fields() {
        if let Some(Value::String(plain)) = form.get(*key)
            && !plain.is_empty()
        {
            let cipher = state.crypto.encrypt(plain);
            form[*key] = Value::String(cipher);
        }
    }
    form
}

/// A stored form (the case's or a round's) with its personal data decrypted.
pub fn decrypt_form(state: &AppState, kind: &dyn CaseKind, stored: &str) -> ApiResult<Value> {
    let mut form: Value = serde_json::from_str(stored).map_err(|e| ApiError::Internal(e.into()))?;
    for key in kind.encrypted_fields() {
        if let Some(Value::String(cipher)) = form.get(*key)
            && !cipher.is_empty()
        {
            let plain = state.crypto.decrypt(cipher).ok_or_else(|| ApiError::Internal(anyhow::anyhow!("form field {key} cannot be decrypted")))?;
            form[*key] = Value::String(plain);
        }
    }
    Ok(form)
}

pub fn decrypted_form(state: &AppState, l: &Loaded) -> ApiResult<Value> {
    decrypt_form(state, l.kind, &l.row.form)
}

/// A task to open: stage, assignee organization, due time.
pub(super) struct Open {
    stage: usize,
    org_id: String,
    /// Resolved here, before the action's transaction: that transaction must start with its guarded write.
    org_name: String,
    due_at: Option<DateTime<Utc>>,
    /// A 「responsible section」 stage: the department and user type that hold the task.
    department_id: Option<String>,
    user_type: Option<String>,
    /// A 「person」 stage (the assigned 验收专家): the one user who holds the task.
    user_id: Option<String>,
}

/// Who a stage's task goes to: an organization, and for a 「person」 stage the one user in it.
struct Assignee {
    org_id: String,
    user_id: Option<String>,
}

/// What resolving assignees reads, each answer kept: one action asks a few questions; a batch of a
/// thousand asks the same few a thousand times, and reads the cases' tasks up front in one query.
#[derive(Default)]
pub(super) struct Lookups {
    orgs: HashMap<String, Option<org::Model>>,
    authorities: HashMap<String, Option<String>>,
    fixed: HashMap<String, Option<String>>,
    /// Responsible sections by (scope, organization).
    sections: HashMap<(String, String), Option<String>>,
    /// The tasks of the cases being decided, when read up front; otherwise each case's are read when needed.
    tasks: Option<Vec<task::Model>>,
}

impl Lookups {
    pub(super) fn with_tasks(tasks: Vec<task::Model>) -> Self {
        Lookups { tasks: Some(tasks), ..Default::default() }
    }

    /// The tasks read up front (none when they are read per case).
    pub(super) fn tasks(&self) -> &[task::Model] {
        self.tasks.as_deref().unwrap_or_default()
    }

    async fn org(&mut self, db: &impl ConnectionTrait, id: &str) -> ApiResult<Option<org::Model>> {
        if let Some(found) = self.orgs.get(id) {
            return Ok(found.clone());
        }
        let found = org::Entity::find_by_id(id.to_owned()).one(db).await?;
        self.orgs.insert(id.to_owned(), found.clone());
        Ok(found)
    }

    /// The organization (and person) that last held `stage` of the case, if any did.
    async fn earlier_assignee(&self, db: &impl ConnectionTrait, case_id: &str, stage: usize) -> ApiResult<Option<Assignee>> {
        let of = |t: &task::Model| Assignee { org_id: t.assignee_org_id.clone(), user_id: t.assignee_user_id.clone() };
        if let Some(tasks) = &self.tasks {
            let last = tasks.iter().filter(|t| t.case_id == case_id && t.stage == stage as i32).max_by_key(|t| t.opened_at);
            return Ok(last.map(of));
        }
        Ok(task::Entity::find()
            .filter(task::Column::CaseId.eq(case_id))
            .filter(task::Column::Stage.eq(stage as i32))
            .order_by_desc(task::Column::OpenedAt)
            .one(db)
            .await?
            .as_ref()
            .map(of))
    }

    /// The organization of an active user (a 「person」 stage's assignee).
    async fn user_org(&mut self, db: &impl ConnectionTrait, user_id: &str) -> ApiResult<Option<String>> {
        use crate::directory::user;
        Ok(user::Entity::find_by_id(user_id.to_owned()).one(db).await?.filter(|u| u.status == "active").map(|u| u.organization_id))
    }

    /// The government organization of a region (the first registered, should there be several).
    async fn authority(&mut self, db: &impl ConnectionTrait, region: &str) -> ApiResult<Option<String>> {
        if let Some(found) = self.authorities.get(region) {
            return Ok(found.clone());
        }
        let found = org::Entity::find()
            .filter(org::Column::Kind.eq(OrgKind::Government.as_str()))
            .filter(org::Column::RegionCode.eq(region))
            .order_by_asc(org::Column::CreatedAt)
            .one(db)
            .await?
            .map(|o| o.id);
        self.authorities.insert(region.to_owned(), found.clone());
        Ok(found)
    }

    async fn section(&mut self, db: &impl ConnectionTrait, scope: &str, org_id: &str) -> ApiResult<Option<String>> {
        let key = (scope.to_owned(), org_id.to_owned());
        if let Some(found) = self.sections.get(&key) {
            return Ok(found.clone());
        }
        let found = super::sections::responsible(db, scope, org_id).await?;
        self.sections.insert(key, found.clone());
        Ok(found)
    }

    async fn fixed(&mut self, db: &impl ConnectionTrait, placeholder: &str) -> ApiResult<Option<String>> {
        if let Some(found) = self.fixed.get(placeholder) {
            return Ok(found.clone());
        }
        let found = flows::resolve_fixed(db, placeholder).await?;
        self.fixed.insert(placeholder.to_owned(), found.clone());
        Ok(found)
    }
}

/// Resolves the assignee of every task the transition opens. A stage opened before on this case goes
/// back to the organization that had it (a resubmission reaches the same reviewer).
pub(super) async fn resolve_opens(db: &impl ConnectionTrait, lookups: &mut Lookups, row: &case::Model, flow: &FlowDefinition, t: &Transition) -> ApiResult<Vec<Open>> {
    let mut out = Vec::new();
    for change in &t.tasks {
        let TaskChange::Open { stage, assignee, due_at } = change else { continue };
        let Assignee { org_id, user_id } = match lookups.earlier_assignee(db, &row.id, *stage).await? {
            Some(earlier) => earlier,
            None => resolve_rule(db, lookups, row, flow, *stage, assignee).await?,
        };
        let org_name = lookups.org(db, &org_id).await?.map(|o| o.name).unwrap_or_default();
        // The section is the one assigned now, also when the stage reopens (a reassigned section takes over).
        let (department_id, user_type) = match assignee {
            AssigneeRule::ResponsibleSection { role, .. } => {
                let scope = super::kind(&row.kind).and_then(|k| k.section_scope(&serde_json::from_str(&row.form).unwrap_or_default()));
                let department = match scope {
                    Some(scope) => lookups.section(db, &scope, &org_id).await?,
                    None => None,
                };
                (department, Some(role.clone()))
            }
            _ => (None, None),
        };
        out.push(Open { stage: *stage, org_id, org_name, due_at: due_at.and_then(|s| Utc.timestamp_opt(s, 0).single()), department_id, user_type, user_id });
    }
    Ok(out)
}

/// The applicant's name, needed only for the tasks an action opens and for a submission's title: a
/// decision that opens nothing leaves the case's title (kept current when the form is saved) as it is.
pub(super) async fn applicant_of(db: &impl ConnectionTrait, lookups: &mut Lookups, row: &case::Model, opens: &[Open], t: &Transition) -> ApiResult<String> {
    if opens.is_empty() && !matches!(t.trail.action, ActionKind::Submit | ActionKind::Resubmit) {
        return Ok(String::new());
    }
    Ok(lookups.org(db, &row.owner_org_id).await?.map(|o| o.name).unwrap_or_default())
}

/// The region of the program the case belongs to (see [`CaseKind::program_region_from`]): the region of the
/// organization the kind names, or the applicant's registered region.
async fn program_region(db: &impl ConnectionTrait, lookups: &mut Lookups, row: &case::Model) -> ApiResult<Option<String>> {
    let from = super::kind(&row.kind).and_then(|k| k.program_region_from());
    let Some(field) = from else { return Ok(row.owner_region_code.clone()) };
    let refs: BTreeMap<String, String> = serde_json::from_str(&row.refs).unwrap_or_default();
    let Some(org_id) = refs.get(field) else { return Ok(None) };
    Ok(lookups.org(db, org_id).await?.and_then(|o| o.region_code))
}

async fn resolve_rule(db: &impl ConnectionTrait, lookups: &mut Lookups, row: &case::Model, flow: &FlowDefinition, stage: usize, rule: &AssigneeRule) -> ApiResult<Assignee> {
    let stage_name = flow.stage(stage).map(|s| s.name().to_owned()).unwrap_or_default();
    if let AssigneeRule::CasePerson { field } = rule {
        // Assigned by the program (the city assigns the 验收专家), not chosen by the applicant: until it is, the
        // stage before cannot pass its case on.
        let unassigned = || ApiError::Conflict(format!("“{stage_name}”环节的审核人尚未指定（由市工业和信息化局分配），请待分配后再办理"));
        let refs: BTreeMap<String, String> = serde_json::from_str(&row.refs).unwrap_or_default();
        let user_id = refs.get(field).ok_or_else(unassigned)?;
        let org_id = lookups.user_org(db, user_id).await?.ok_or_else(unassigned)?;
        return Ok(Assignee { org_id, user_id: Some(user_id.clone()) });
    }
    let org_id = resolve_org(db, lookups, row, &stage_name, rule).await?;
    Ok(Assignee { org_id, user_id: None })
}

async fn resolve_org(db: &impl ConnectionTrait, lookups: &mut Lookups, row: &case::Model, stage_name: &str, rule: &AssigneeRule) -> ApiResult<String> {
    let unresolved = |why: String| ApiError::Conflict(format!("“{stage_name}”环节{why}，暂时无法提交，请联系平台运营单位"));
    match rule {
        // A responsible section (责任科室) is a department of the region's bureau: the bureau receives the task,
        // and resolve_opens narrows it to the section (review/sections.rs).
        AssigneeRule::RegionAuthority { level, .. } | AssigneeRule::ResponsibleSection { level, .. } => {
            let code = program_region(db, lookups, row)
                .await?
                .as_deref()
                .and_then(|c| RegionCode::parse(c).ok())
                .ok_or_else(|| unresolved("需要所属试点地区，但申请未确定所属地区".into()))?;
            let target = std::iter::once(code).chain(code.ancestors()).find(|c| c.level() == *level);
            let Some(target) = target else { return Err(unresolved(format!("找不到申请单位所在的{}", level.label()))) };
            let found = lookups.authority(db, target.as_str()).await?;
            found.ok_or_else(|| unresolved(format!("的审核单位（地区 {}）尚未在平台开通", target.as_str())))
        }
        AssigneeRule::CaseOrganization { field } => {
            let refs: BTreeMap<String, String> = serde_json::from_str(&row.refs).unwrap_or_default();
            refs.get(field).cloned().ok_or_else(|| unresolved("的审核单位未在申请中选择".into()))
        }
        AssigneeRule::FixedOrganization { org_id } => {
            lookups.fixed(db, org_id).await?.ok_or_else(|| unresolved("的审核单位尚未配置".into()))
        }
        AssigneeRule::AssignedByStage { .. } => {
            Err(unresolved("的审核人须由上一环节指定（该功能随相应业务模块开放）".into()))
        }
        // resolve_rule answers it before coming here.
        AssigneeRule::CasePerson { .. } => Err(unresolved("的审核人尚未指定".into())),
    }
}

pub(super) struct Write<'a> {
    pub before: &'a case::Model,
    pub kind: &'static dyn CaseKind,
    pub flow: &'a FlowDefinition,
    pub t: &'a Transition,
    pub acting: &'a Acting,
    pub opens: &'a [Open],
    /// See [`applicant_of`].
    pub applicant: &'a str,
    pub attachments: &'a [String],
    pub now: DateTime<Utc>,
}

/// The rows a transition writes besides its case: one action fills it for one case, batch approve for a
/// whole chunk, so that each table gets multi-row inserts instead of a statement per case.
#[derive(Default)]
pub(super) struct Effects {
    rounds: Vec<round::ActiveModel>,
    trail: Vec<trail::ActiveModel>,
    /// Open tasks to close: case, stage, outcome.
    closes: Vec<(String, i32, TaskResult)>,
    tasks: Vec<task::ActiveModel>,
    notices: Vec<notifications::Pending>,
    pub(super) audits: Vec<audit::entity::ActiveModel>,
}

impl Effects {
    pub(super) async fn write(self, txn: &DatabaseTransaction) -> ApiResult<()> {
        crate::db::insert_all(txn, self.rounds).await?;
        crate::db::insert_all(txn, self.trail).await?;
        // Closes grouped by stage and outcome: one UPDATE per group over its cases.
        let mut groups: Vec<((i32, TaskResult), Vec<String>)> = Vec::new();
        for (case_id, stage, outcome) in self.closes {
            match groups.iter_mut().find(|(key, _)| *key == (stage, outcome)) {
                Some((_, ids)) => ids.push(case_id),
                None => groups.push(((stage, outcome), vec![case_id])),
            }
        }
        let now = Utc::now();
        for ((stage, outcome), case_ids) in &groups {
            for ids in case_ids.chunks(500) {
                task::Entity::update_many()
                    .col_expr(task::Column::State, Expr::value(TaskState::Done))
                    .col_expr(task::Column::Outcome, Expr::value(*outcome))
                    .col_expr(task::Column::ClosedAt, Expr::value(now))
                    .filter(task::Column::CaseId.is_in(ids.to_vec()))
                    .filter(task::Column::Stage.eq(*stage))
                    .filter(task::Column::State.eq(TaskState::Open))
                    .exec(txn)
                    .await?;
            }
        }
        // A 待审核提醒 is settled once the task it announced is done: it stops counting as unread for every
        // reviewer it reached (the notices of the tasks opened below are written after this).
        let mut closed: Vec<String> = groups.into_iter().flat_map(|(_, ids)| ids).collect();
        closed.sort();
        closed.dedup();
        for ids in closed.chunks(500) {
            notification::Entity::update_many()
                .col_expr(notification::Column::ReadAt, Expr::value(now))
                .filter(notification::Column::CaseId.is_in(ids.to_vec()))
                .filter(notification::Column::Event.eq("assigned"))
                .filter(notification::Column::ReadAt.is_null())
                .exec(txn)
                .await?;
        }
        crate::db::insert_all(txn, self.tasks).await?;
        // In-site notifications in the same transaction: a notice never announces an action that did not happen.
        notifications::notify_all(txn, self.notices).await?;
        audit::record_all(txn, self.audits).await?;
        Ok(())
    }
}

/// The case row as a transition leaves it.
fn after_row(w: &Write<'_>) -> case::Model {
    let t = w.t;
    let kind = t.trail.action;
    let status = t.case.status();
    let submits = matches!(kind, ActionKind::Submit | ActionKind::Resubmit);
    let reviewer_action = matches!(kind, ActionKind::Approve | ActionKind::Reject | ActionKind::Return);
    let current_org = w.opens.last().map(|o| o.org_name.clone());
    let latest_org = current_org.or_else(|| reviewer_action.then(|| w.acting.org_name.clone()));
    let mut after = w.before.clone();
    after.state = serde_json::to_string(&t.case).expect("cases serialize");
    after.status = CaseState::from(status);
    after.stage = status.stage().map(|s| s as i32);
    after.version = t.case.version() as i64;
    after.round = t.case.round() as i32;
    after.flow_version = w.flow.version() as i32;
    after.latest_opinion = if reviewer_action { t.trail.opinion.clone() } else if submits { None } else { w.before.latest_opinion.clone() };
    after.latest_org_name = latest_org.or(w.before.latest_org_name.clone());
    after.updated_at = w.now;
    if submits {
        after.submitted_at = Some(w.now);
    }
    if status.is_terminal() {
        after.completed_at = Some(w.now);
    }
    after
}

/// Writes a transition: the guarded update of the case, then the kind's hooks; every other row goes into
/// `effects`, which the caller writes in the same transaction. `false` when the version guard matched no
/// row (someone acted first): nothing was written for this case.
pub(super) async fn write(txn: &DatabaseTransaction, state: &AppState, w: Write<'_>, effects: &mut Effects) -> ApiResult<bool> {
    let t = w.t;
    let kind = t.trail.action;
    let status = t.case.status();
    let submits = matches!(kind, ActionKind::Submit | ActionKind::Resubmit);
    let reviewer_action = matches!(kind, ActionKind::Approve | ActionKind::Reject | ActionKind::Return);
    // Nothing is read in this transaction before the guarded update (see the module comment).
    let after = after_row(&w);
    let res = case::Entity::update_many()
        .col_expr(case::Column::State, Expr::value(after.state.clone()))
        .col_expr(case::Column::Status, Expr::value(after.status))
        .col_expr(case::Column::Stage, Expr::value(after.stage))
        .col_expr(case::Column::Version, Expr::value(after.version))
        .col_expr(case::Column::Round, Expr::value(after.round))
        .col_expr(case::Column::FlowVersion, Expr::value(after.flow_version))
        .col_expr(case::Column::LatestOpinion, Expr::value(after.latest_opinion.clone()))
        .col_expr(case::Column::LatestOrgName, Expr::value(after.latest_org_name.clone()))
        .col_expr(case::Column::UpdatedAt, Expr::value(after.updated_at))
        .col_expr(case::Column::SubmittedAt, Expr::value(after.submitted_at))
        .col_expr(case::Column::CompletedAt, Expr::value(after.completed_at))
        .filter(case::Column::Id.eq(w.before.id.clone()))
        .filter(case::Column::Version.eq(w.before.version))
        .exec(txn)
        .await?;
    if res.rows_affected == 0 {
        return Ok(false);
    }
    super::tally::moved(txn, w.before, &after).await?;

    // The kinds' hooks run in the transaction, before the rows below: they see the case as decided.
    if submits {
        effects.rounds.push(round::ActiveModel {
            case_id: Set(w.before.id.clone()),
            round: Set(t.case.round() as i32),
            form: Set(w.before.form.clone()),
            submitted_at: Set(w.now),
        });
        let form = decrypt_form(state, w.kind, &w.before.form)?;
        w.kind.on_submitted(txn, state, &super::CaseRef::from(w.before), &form).await?;
    }
    if t.completed {
        let form = decrypt_form(state, w.kind, &w.before.form)?;
        w.kind.on_approved(txn, state, &super::CaseRef::from(&after), &form).await?;
    }
    if status == CaseStatus::Rejected && t.trail.before != CaseStatus::Rejected {
        w.kind.on_rejected(txn, &super::CaseRef::from(&after)).await?;
    }

    let stage_name = t.trail.stage.and_then(|s| w.flow.stage(s)).map(|s| s.name().to_owned());
    effects.trail.push(trail::ActiveModel {
        id: Default::default(),
        case_id: Set(w.before.id.clone()),
        round: Set(t.trail.round as i32),
        stage: Set(t.trail.stage.map(|s| s as i32)),
        stage_name: Set(stage_name.clone()),
        action: Set(kind.code().to_owned()),
        return_to: Set(t.trail.return_to.map(|r| serde_json::to_value(r).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default())),
        actor_user_id: Set(w.acting.user_id.clone()),
        actor_name: Set(w.acting.user_name.clone()),
        actor_org_id: Set(w.acting.org_id.clone()),
        actor_org_name: Set(w.acting.org_name.clone()),
        actor_role: Set(Some(if reviewer_action || kind == ActionKind::WithdrawByReviewer { "审核人" } else { "申请单位" }.to_owned())),
        opinion: Set(t.trail.opinion.clone()),
        attachments: Set(serde_json::to_string(w.attachments).expect("ids serialize")),
        status_before: Set(t.trail.before.into()),
        status_after: Set(t.trail.after.into()),
        reason: Set(t.trail.reason.clone()),
        at: Set(w.now),
    });

    let applicant = w.applicant;
    let title = if submits { truncate(&w.kind.title(&decrypt_form(state, w.kind, &w.before.form)?, applicant), 200) } else { w.before.title.clone() };
    for change in &t.tasks {
        if let TaskChange::Close { stage, outcome } = change {
            effects.closes.push((w.before.id.clone(), *stage as i32, TaskResult::from(*outcome)));
        }
    }
    for open in w.opens {
        let stage = w.flow.stage(open.stage).expect("core opens stages of the flow");
        effects.tasks.push(task::ActiveModel {
            id: Set(uuid::Uuid::now_v7().to_string()),
            case_id: Set(w.before.id.clone()),
            kind: Set(w.before.kind.clone()),
            stage: Set(open.stage as i32),
            stage_key: Set(stage.key().to_owned()),
            stage_name: Set(stage.name().to_owned()),
            assignee_org_id: Set(open.org_id.clone()),
            title: Set(title.clone()),
            applicant_name: Set(truncate(applicant, 200)),
            state: Set(TaskState::Open),
            outcome: Set(None),
            opened_at: Set(w.now),
            closed_at: Set(None),
            due_at: Set(open.due_at),
            reminded_at: Set(None),
            department_id: Set(open.department_id.clone()),
            user_type: Set(open.user_type.clone()),
            assignee_user_id: Set(open.user_id.clone()),
        });
    }

    // In-site notifications (manuals' wording).
    let kind_name = w.flow.name();
    for open in w.opens {
        let stage = w.flow.stage(open.stage).expect("core opens stages of the flow");
        let notice = notifications::Notice {
            case_id: Some(&w.before.id),
            event: "assigned",
            title: "待审核提醒".into(),
            body: format!("您有一条新的{kind_name}待审核：「{title}」（{applicant}），当前环节：{}。", stage.name()),
        };
        effects.notices.push(notifications::Pending::for_task(&open.org_id, open.department_id.clone(), open.user_type.clone(), notice).for_person(open.user_id.clone()));
    }
    let stage_label = stage_name.unwrap_or_default();
    let opinion = t.trail.opinion.as_deref().map(|o| o.trim_end_matches(['。', '.'])).unwrap_or("无");
    let owner_notice = match (kind, status) {
        (ActionKind::Return, CaseStatus::Returned { .. }) => Some((
            "returned",
            "审核退回通知",
            format!(
                "您好，您提交的{kind_name}「{title}」，{stage_label}环节已退回，退回意见：{opinion}。请修改后重新提交。"
            ),
        )),
        (ActionKind::Reject, _) => Some((
            "rejected",
            "审核不通过通知",
            format!("您好，您提交的{kind_name}「{title}」，{stage_label}环节审核不通过，审核意见：{opinion}。"),
        )),
        (ActionKind::Approve, CaseStatus::Approved) => {
            Some(("approved", "审核通过通知", format!("您好，您提交的{kind_name}「{title}」已审核通过。")))
        }
        (ActionKind::Approve, CaseStatus::InReview { stage }) => Some((
            "advanced",
            "审核进度通知",
            format!(
                "您好，您提交的{kind_name}「{title}」，{stage_label}环节已审核通过，已进入“{}”环节。",
                w.flow.stage(stage).map(|s| s.name()).unwrap_or("下一")
            ),
        )),
        _ => None,
    };
    if let Some((event, title, body)) = owner_notice {
        effects.notices.push(notifications::Pending {
            org_id: w.before.owner_org_id.clone(),
            permission: None,
            also_user: Some(w.before.owner_user_id.clone()),
            department_id: None,
            user_type: None,
            only_user: None,
            case_id: Some(w.before.id.clone()),
            event,
            title: title.into(),
            body,
        });
    }
    Ok(true)
}

/// The SMS event of a transition, when `review.sms_events` asks for one: the applicant hears of a return,
/// a rejection and the final approval.
fn sms_event(state: &AppState, t: &Transition) -> Option<&'static str> {
    let event = match (t.trail.action, t.case.status()) {
        (ActionKind::Return, CaseStatus::Returned { .. }) => "returned",
        (ActionKind::Reject, _) => "rejected",
        (ActionKind::Approve, CaseStatus::Approved) => "approved",
        _ => return None,
    };
    state.config.review.sms_events.iter().any(|e| e == event).then_some(event)
}

/// Sends the applicant the SMS of `event`. After the commit, and best effort: a gateway failure must not
/// undo a review decision; it is logged.
async fn send_review_sms(state: &AppState, before: &case::Model, event: &str) {
    let result: anyhow::Result<()> = async {
        let Some(user) = crate::directory::user::Entity::find_by_id(before.owner_user_id.clone()).one(&state.db).await? else {
            return Ok(());
        };
        let Some(cipher) = user.phone_cipher else { return Ok(()) };
        let phone = state.crypto.decrypt(&cipher).ok_or_else(|| anyhow::anyhow!("phone cannot be decrypted"))?;
        let flow_name = flows::pinned(&state.db, &before.kind, before.flow_version).await.map(|f| f.name().to_owned()).unwrap_or_default();
        let verdict = match event {
            "returned" => "已被退回，请登录平台查看退回意见并修改后重新提交",
            "rejected" => "审核不通过，请登录平台查看审核意见",
            _ => "已审核通过",
        };
        let text = format!("【{}】您提交的{flow_name}「{}」{verdict}。", state.config.site_name, before.title);
        crate::sms::send(&state.db, &state.config.sms, &state.crypto, &phone, &text).await?;
        Ok(())
    }
    .await;
    if let Err(e) = result {
        tracing::warn!(case_id = %before.id, error = %e, "review sms not sent");
    }
}
