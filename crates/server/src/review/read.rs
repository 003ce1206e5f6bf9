//! The engine's read API for capabilities. A capability that has something reviewed asks here about its
//! cases (the open application of an owner, a case's status and form) and receives a [`CaseRef`] in its
//! hooks; it never queries the engine's tables or compares status strings itself, so the engine can change
//! how it stores cases without touching them (a test greps the other capabilities for the tables' names).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;
use shuzhuan_core::review::CaseStatus;

use super::entity::case;
use super::CaseState;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// What a capability sees of one case.
#[derive(Debug, Clone)]
pub struct CaseRef {
    pub id: String,
    /// The case kind's key (`info_change`, `product_entry` …).
    pub kind: String,
    pub owner_org_id: String,
    pub owner_user_id: String,
    /// Where the case is, as the lists filter it.
    pub state: CaseState,
    /// The same with the stage it waits at or was returned from.
    pub status: CaseStatus,
    pub title: String,
    /// Organization ids named in the form, by field.
    pub refs: BTreeMap<String, String>,
    /// The last reviewer's opinion.
    pub latest_opinion: Option<String>,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    /// The form as stored (personal data encrypted); read it with [`CaseRef::form`].
    stored_form: String,
}

impl CaseRef {
    /// The form as the owner last saved it, personal data decrypted.
    pub fn form(&self, state: &AppState) -> ApiResult<Value> {
        let kind = super::kind(&self.kind).ok_or_else(|| ApiError::Internal(anyhow::anyhow!("unknown case kind {}", self.kind)))?;
        super::engine::decrypt_form(state, kind, &self.stored_form)
    }
}

impl From<&case::Model> for CaseRef {
    fn from(row: &case::Model) -> Self {
        CaseRef {
            id: row.id.clone(),
            kind: row.kind.clone(),
            owner_org_id: row.owner_org_id.clone(),
            owner_user_id: row.owner_user_id.clone(),
            state: row.status,
            status: super::views::status_of(row),
            title: row.title.clone(),
            refs: serde_json::from_str(&row.refs).unwrap_or_default(),
            latest_opinion: row.latest_opinion.clone(),
            created_at: row.created_at,
            completed_at: row.completed_at,
            stored_form: row.form.clone(),
        }
    }
}

/// The owner's cases of `kind` in any of `states`, newest first.
pub async fn cases_of(db: &impl ConnectionTrait, owner_org_id: &str, kind: &str, states: &[CaseState]) -> ApiResult<Vec<CaseRef>> {
    let rows = case::Entity::find()
        .filter(case::Column::OwnerOrgId.eq(owner_org_id))
        .filter(case::Column::Kind.eq(kind))
        .filter(case::Column::Status.is_in(states.iter().copied()))
        .order_by_desc(case::Column::CreatedAt)
        .order_by_desc(case::Column::Id)
        .all(db)
        .await?;
    Ok(rows.iter().map(CaseRef::from).collect())
}

/// One case by id, whatever its owner (the caller checks that it may see it).
pub async fn case_by_id(db: &impl ConnectionTrait, id: &str) -> ApiResult<Option<CaseRef>> {
    Ok(case::Entity::find_by_id(id.to_owned()).one(db).await?.as_ref().map(CaseRef::from))
}

/// The ids of all cases in any of `states`, as a subquery for a capability's own table (`… WHERE case_id IN
/// (…)`).
pub fn case_ids_in(states: &[CaseState]) -> SelectStatement {
    Query::select().column(case::Column::Id).from(case::Entity).and_where(case::Column::Status.is_in(states.iter().copied())).to_owned()
}
