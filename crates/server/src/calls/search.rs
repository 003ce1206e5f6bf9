//! Published calls in the site search (crate::search): a call's notice is found by its program, track,
//! guide and notice fields from the moment it is published.

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::entity::call::{self, CallStatus};
use crate::error::ApiResult;

/// The search document of a published call.
pub async fn doc_of(db: &impl ConnectionTrait, c: &call::Model) -> ApiResult<crate::search::Doc> {
    let n = super::handlers::notice_of(db, c, false).await?;
    let s = &n.notice;
    let body = [&n.org_name, &n.guide, &n.city_guide, &s.policy_level, &s.region, &s.batch, &s.department, &s.applicant, &s.beneficiary, &s.industries, &s.sizes, &s.application_type, &s.support, &s.basis, &s.conditions]
        .iter()
        .filter(|x| !x.is_empty())
        .map(|x| x.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(crate::search::Doc {
        kind: "call",
        ref_id: c.id.clone(),
        title: if n.program_name.contains(&n.year.to_string()) { format!("{}（{}）", n.program_name, n.track_name) } else { format!("{}年{}（{}）", n.year, n.program_name, n.track_name) },
        body,
        link: format!("/calls/{}", c.id),
        date: c.updated_at,
        visible_from: None,
    })
}

/// Indexes a call that has just been published.
pub async fn index(db: &impl ConnectionTrait, call_id: &str) -> ApiResult<()> {
    if let Some(c) = call::Entity::find_by_id(call_id.to_owned()).one(db).await?.filter(|c| c.status == CallStatus::Published) {
        crate::search::put(db, doc_of(db, &c).await?).await?;
    }
    Ok(())
}

async fn all_docs(db: &DatabaseConnection) -> ApiResult<Vec<crate::search::Doc>> {
    let mut out = Vec::new();
    for c in call::Entity::find().filter(call::Column::Status.eq(CallStatus::Published)).all(db).await? {
        out.push(doc_of(db, &c).await?);
    }
    Ok(out)
}

inventory::submit! {
    crate::search::Source { name: "calls", docs: |db| Box::pin(all_docs(db)) }
}
