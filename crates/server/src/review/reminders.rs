//! 办理时限提醒: when a stage's deadline (`deadline_days` in its flow) passes with the task still open, the
//! assignee organization is reminded once: an in-site notice to its reviewers, and a trail record as a
//! system action (reason `timeout_reminder`), so the case's history shows the reminder. The state of the
//! case does not change; auto-advance on timeout is not a rule of any program yet.
//!
//! `serve` sweeps every `review.reminder_interval_minutes`. Each task is claimed by a guarded update in the
//! transaction that writes its reminder, so several app instances sweeping at once remind it once.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entity::{case, task, trail};
use super::notifications::{self, Notice};
use crate::error::ApiResult;
use crate::state::AppState;

/// The trail's action code for a reminder (not a review action: nobody can take it).
pub const REMIND: &str = "remind";
/// The trail's actor for actions the platform takes itself.
pub const SYSTEM_ACTOR: &str = "system";
/// Most tasks one sweep reminds; the next sweep takes the rest.
const SWEEP_LIMIT: u64 = 500;

/// Reminds every open task whose deadline is before `now` and that was not reminded yet; returns how many.
pub async fn remind_overdue(state: &AppState, now: DateTime<Utc>) -> ApiResult<usize> {
    let due = task::Entity::find()
        .filter(task::Column::State.eq(super::TaskState::Open))
        .filter(task::Column::DueAt.lt(now))
        .filter(task::Column::RemindedAt.is_null())
        .order_by_asc(task::Column::DueAt)
        .limit(SWEEP_LIMIT)
        .all(&state.db)
        .await?;
    let mut reminded = 0;
    for t in due {
        let txn = crate::db::begin_write(&state.db).await?;
        let claimed = task::Entity::update_many()
            .col_expr(task::Column::RemindedAt, Expr::value(now))
            .filter(task::Column::Id.eq(t.id.clone()))
            .filter(task::Column::State.eq(super::TaskState::Open))
            .filter(task::Column::RemindedAt.is_null())
            .exec(&txn)
            .await?;
        let c = case::Entity::find_by_id(t.case_id.clone()).one(&txn).await?;
        let Some(c) = c.filter(|_| claimed.rows_affected == 1) else {
            // Another instance reminded it, or the task closed since it was read.
            txn.rollback().await?;
            continue;
        };
        let org_name = crate::directory::org::Entity::find_by_id(t.assignee_org_id.clone()).one(&txn).await?.map(|o| o.name).unwrap_or_default();
        let due = t.due_at.map(crate::time::display).unwrap_or_default();
        trail::Entity::insert(trail::ActiveModel {
            id: Default::default(),
            case_id: Set(c.id.clone()),
            round: Set(c.round),
            stage: Set(Some(t.stage)),
            stage_name: Set(Some(t.stage_name.clone())),
            action: Set(REMIND.into()),
            return_to: Set(None),
            actor_user_id: Set(SYSTEM_ACTOR.into()),
            actor_name: Set("系统".into()),
            actor_org_id: Set(t.assignee_org_id.clone()),
            actor_org_name: Set(org_name),
            actor_role: Set(Some("系统".into())),
            opinion: Set(Some(format!("「{}」环节已超过办理时限（{due}）", t.stage_name))),
            attachments: Set("[]".into()),
            status_before: Set(c.status.clone()),
            status_after: Set(c.status.clone()),
            reason: Set(Some("timeout_reminder".into())),
            at: Set(now),
        })
        .exec(&txn)
        .await?;
        notifications::notify_holders(&txn, &t, Notice {
            case_id: Some(&c.id),
            event: "overdue",
            title: "超时提醒".into(),
            body: format!("您好，待审核事项「{}」（{}）在「{}」环节已超过办理时限（{due}），请尽快办理。", t.title, t.applicant_name, t.stage_name),
        })
        .await?;
        txn.commit().await?;
        reminded += 1;
    }
    Ok(reminded)
}

/// Starts the sweep in the background (`serve`); 0 minutes turns it off.
pub fn spawn(state: AppState) {
    let minutes = state.config.review.reminder_interval_minutes;
    if minutes == 0 {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(minutes * 60));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            tick.tick().await;
            match remind_overdue(&state, Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "overdue review tasks reminded"),
                Err(e) => tracing::warn!(error = %e, "overdue reminder sweep failed; retried at the next tick"),
            }
        }
    });
}
