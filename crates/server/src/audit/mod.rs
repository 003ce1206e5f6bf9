//! The audit log: who did what, from where, to which object, with what result. Append-only: this module
//! only inserts, and nothing else in the code base touches the table.

pub mod chain;
pub mod entity;

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

use crate::auth::CurrentUser;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
    Denied,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }
}

/// One audit entry. `actor` is absent for anonymous attempts (a failed login names the username tried).
pub struct Entry<'a> {
    pub action: &'a str,
    pub actor: Option<&'a CurrentUser>,
    pub username: Option<&'a str>,
    pub ip: Option<String>,
    pub object_type: Option<&'a str>,
    pub object_id: Option<&'a str>,
    pub outcome: Outcome,
    pub detail: Option<serde_json::Value>,
}

/// Writes the entry. A failure to audit fails the caller: an action that cannot be recorded must not
/// happen silently.
pub async fn record(db: &impl ConnectionTrait, e: Entry<'_>) -> Result<(), sea_orm::DbErr> {
    entity::Entity::insert(row(e)).exec(db).await?;
    Ok(())
}

/// Writes many entries with multi-row inserts (a batch approve's thousand decisions); same failure rule
/// as [`record`].
pub async fn record_all(db: &impl ConnectionTrait, rows: Vec<entity::ActiveModel>) -> Result<(), sea_orm::DbErr> {
    crate::db::insert_all(db, rows).await
}

/// The row of an entry, to be written later with [`record_all`] in the same transaction as what it records.
pub fn row(e: Entry<'_>) -> entity::ActiveModel {
    entity::ActiveModel {
        id: Default::default(),
        at: Set(Utc::now()),
        actor_user_id: Set(e.actor.map(|a| a.user_id.clone())),
        // What an anonymous client typed as a username is stored as typed, up to the column's 64 characters:
        // a longer attempt is still recorded (it used to fail the insert and go unaudited).
        // A mobile number typed as the username (sign-in by phone) is personal data: stored masked.
        actor_username: Set(e.actor.map(|a| a.username.clone()).or(e.username.map(|u| clip(&mask_if_phone(u), 64)))),
        actor_org_id: Set(e.actor.map(|a| a.organization.id.clone())),
        actor_roles: Set(e.actor.map(|a| a.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(","))),
        ip: Set(e.ip.map(|ip| clip(&ip, 64))),
        action: Set(e.action.to_string()),
        object_type: Set(e.object_type.map(str::to_string)),
        object_id: Set(e.object_id.map(|id| clip(id, 64))),
        result: Set(e.outcome.as_str().to_string()),
        detail: Set(e.detail.map(|d| d.to_string())),
    }
}

fn mask_if_phone(typed: &str) -> String {
    match shuzhuan_core::Phone::parse(typed.trim()) {
        Ok(p) => p.masked(),
        Err(_) => typed.to_owned(),
    }
}

/// The first `max` characters of `s` (audit columns are bounded; an entry is never refused for its length).
fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Audits every refused request of a signed-in user (GB/T 22239: permission denials are audit events).
/// Done here, once, instead of in each handler; the session is looked up again only for 403 answers.
pub async fn denials(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let token = crate::auth::session::token_from_headers(req.headers());
    let ip = crate::http::client_ip_of(req.extensions());
    let res = next.run(req).await;
    if res.status() == axum::http::StatusCode::FORBIDDEN
        && let Some(token) = token
        && let Ok(Some(user)) = crate::auth::session::resolve(&state, &token).await
    {
        let object = format!("{method} {path}");
        let recorded = record(
            &state.db,
            Entry {
                action: "permission_denied",
                actor: Some(&user),
                username: None,
                ip,
                object_type: Some("endpoint"),
                object_id: Some(&object),
                outcome: Outcome::Denied,
                detail: None,
            },
        )
        .await;
        if let Err(e) = recorded {
            tracing::error!(error = %e, "could not audit a permission denial");
        }
    }
    res
}

mod handlers;
pub mod readable;

pub use readable::ObjectNames;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<crate::state::AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::list_audit))
        .routes(routes!(handlers::export_audit))
        .routes(routes!(handlers::vocabulary))
}
