//! 批量通过: one reviewer approves up to a thousand cases with one opinion, and sees a result per case.
//!
//! Deciding stays per case and in memory (the core's `apply` on each case as read, exactly as a single
//! approval decides). Reading and writing are set-based: the cases and their tasks are read with a few
//! `IN` queries; each chunk of cases is one transaction in which every case gets its guarded update and its
//! kind's hooks, and the trail, task, notification and audit rows of the whole chunk go out as multi-row
//! inserts. One approval costs a few statements instead of twenty and a commit.
//!
//! A case someone else decided meanwhile fails its guarded update and is reported as a conflict; the rest of
//! its chunk goes on. Any other failure inside a chunk (a hook refusing, a constraint) rolls the chunk back
//! and its cases are approved again one by one through [`engine::act`], so each gets its own answer and no
//! case is held back by another.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use shuzhuan_core::review::{Action, ActionKind, Transition};

use super::engine::{self, ActRequest, Acting, Effects, Loaded, Lookups, Open, Write};
use super::entity::{case, task};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Cases written in one transaction: large enough that the multi-row inserts pay, small enough that a
/// chunk holds SQLite's write lock for a moment only and a failed chunk costs little to redo one by one.
const CHUNK: usize = 250;
/// Chunks written at the same time on PostgreSQL.
const PARALLEL_CHUNKS: usize = 4;
/// Ids per `IN` list when reading.
const READ_CHUNK: usize = 500;

/// One case of the batch, as the reviewer selected it.
pub struct Item {
    pub case_id: String,
    pub version: u64,
}

/// The answer for one case: its title when the reviewer may see it, and whether it was approved.
pub struct Outcome {
    pub case_id: String,
    pub title: String,
    pub result: ApiResult<()>,
}

/// A case decided in memory, waiting for its chunk to be written.
struct Decided {
    index: usize,
    l: Loaded,
    t: Transition,
    opens: Vec<Open>,
    applicant: String,
}

/// Approves each item with `opinion`; the outcomes come back in the order of `items`.
pub async fn approve(state: &AppState, user: &CurrentUser, items: Vec<Item>, opinion: Option<String>) -> ApiResult<Vec<Outcome>> {
    let db = &state.db;
    let ids: Vec<String> = items.iter().map(|i| i.case_id.clone()).collect::<HashSet<_>>().into_iter().collect();
    let mut rows: HashMap<String, case::Model> = HashMap::new();
    let mut tasks = Vec::new();
    for chunk in ids.chunks(READ_CHUNK) {
        rows.extend(case::Entity::find().filter(case::Column::Id.is_in(chunk.to_vec())).all(db).await?.into_iter().map(|r| (r.id.clone(), r)));
        tasks.extend(task::Entity::find().filter(task::Column::CaseId.is_in(chunk.to_vec())).all(db).await?);
    }
    let mut lookups = Lookups::with_tasks(tasks);

    let mut outcomes: Vec<Outcome> = Vec::with_capacity(items.len());
    let mut decided = Vec::new();
    let now = Utc::now();
    for (index, item) in items.into_iter().enumerate() {
        let mut outcome = Outcome { case_id: item.case_id.clone(), title: String::new(), result: Ok(()) };
        let decision = async {
            let l = engine::loaded(db, rows.get(&item.case_id).cloned()).await?;
            let s = engine::standing_with(user, &l, lookups.tasks());
            if !s.may_see() {
                return Err(ApiError::NotFound("该事项不存在或已删除".into()));
            }
            // Only a case the reviewer may see is named; otherwise the id alone, as for a stranger.
            outcome.title = l.row.title.clone();
            let actor = engine::actor_for(user, &l, &s, ActionKind::Approve)?;
            engine::check_review(state, &l, actor.stage().unwrap_or(0)).await?;
            let action = Action::Approve { opinion: opinion.clone() };
            let t = shuzhuan_core::review::apply(&l.flow, &l.case, &actor, action, item.version, now.timestamp()).map_err(engine::review_error)?;
            let opens = engine::resolve_opens(db, &mut lookups, &l.row, &l.flow, &t).await?;
            let applicant = engine::applicant_of(db, &mut lookups, &l.row, &opens, &t).await?;
            Ok(Decided { index, l, t, opens, applicant })
        }
        .await;
        match decision {
            Ok(d) => decided.push(d),
            Err(e) => outcome.result = Err(e),
        }
        outcomes.push(outcome);
    }

    let acting = Acting::from(user);
    let mut chunks: Vec<Vec<Decided>> = Vec::new();
    let mut rest = decided.into_iter().peekable();
    while rest.peek().is_some() {
        chunks.push(rest.by_ref().take(CHUNK).collect());
    }
    // PostgreSQL writes several chunks at once, each on its own connection (the round trips of one chunk's
    // statements are what a batch waits for); SQLite has one writer, so its chunks go one after another.
    // Results are taken in order. Two chunks waiting on each other's rows make the database abort one; it is
    // then redone case by case like any failed chunk.
    let parallel = match crate::db::backend(&state.db) {
        crate::db::Backend::Postgres => PARALLEL_CHUNKS,
        _ => 1,
    };
    let written: Vec<(Vec<Decided>, ApiResult<HashSet<usize>>)> = {
        use futures::StreamExt;
        let acting = &acting;
        futures::stream::iter(chunks)
            .map(|chunk| async move {
                let result = write_chunk(state, user, acting, &chunk, now).await;
                (chunk, result)
            })
            .buffered(parallel)
            .collect()
            .await
    };
    for (chunk, result) in written {
        match result {
            Ok(conflicts) => {
                for d in &chunk {
                    if conflicts.contains(&d.index) {
                        let version = d.l.case.version();
                        outcomes[d.index].result = Err(engine::review_error(shuzhuan_core::review::ReviewError::VersionConflict { expected: version, actual: version + 1 }));
                    } else {
                        engine::after_commit(state, &d.l.row, &d.t);
                    }
                }
            }
            Err(e) => {
                // The chunk was rolled back; each of its cases is approved on its own, so one case's refusal
                // (or a transient failure) does not take the others with it.
                tracing::warn!(error = ?e, cases = chunk.len(), "batch approve: chunk rolled back, approving its cases one by one");
                for d in chunk {
                    let req = ActRequest { action: Action::Approve { opinion: opinion.clone() }, version: d.l.case.version(), attachment_ids: vec![], idempotency_key: None };
                    outcomes[d.index].result = engine::act(state, user, &d.l.row.id, req).await.map(|_| ());
                }
            }
        }
    }
    Ok(outcomes)
}

/// Writes one chunk in one transaction. Returns the items whose guarded update matched no row (decided
/// by someone else meanwhile): nothing was written for them. Any error rolls the whole chunk back.
async fn write_chunk(state: &AppState, user: &CurrentUser, acting: &Acting, chunk: &[Decided], now: chrono::DateTime<Utc>) -> ApiResult<HashSet<usize>> {
    let txn = crate::db::begin_write(&state.db).await?;
    let mut effects = Effects::default();
    let mut conflicts = HashSet::new();
    for d in chunk {
        let w = Write {
            before: &d.l.row,
            kind: d.l.kind,
            flow: &d.l.flow,
            t: &d.t,
            acting,
            opens: &d.opens,
            applicant: &d.applicant,
            attachments: &[],
            now,
        };
        if engine::write(&txn, state, w, &mut effects).await? {
            effects.audits.push(engine::audit_row(user, &d.l.row, &d.l.flow, &d.t));
        } else {
            conflicts.insert(d.index);
        }
    }
    effects.write(&txn).await?;
    txn.commit().await?;
    Ok(conflicts)
}
