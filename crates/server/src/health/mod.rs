//! Liveness and readiness for operators and load balancers, and the site's public settings.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_health)).routes(routes!(get_site))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ComponentHealth {
    pub ok: bool,
    /// `sqlite` / `postgres`, `local` / `s3`.
    pub backend: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` or `degraded`.
    pub status: String,
    pub version: String,
    pub database: ComponentHealth,
    pub storage: ComponentHealth,
}

/// 200 when the database and the file store both answer, 503 otherwise (with the same body).
#[utoipa::path(get, path = "/api/health", tag = "health",
    responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn get_health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let (db_ok, storage_ok) = tokio::join!(crate::db::ping(&state.db), state.storage.healthy());
    let status = if db_ok && storage_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = Health {
        status: if status == StatusCode::OK { "ok" } else { "degraded" }.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: ComponentHealth { ok: db_ok, backend: crate::db::backend(&state.db).name().into() },
        storage: ComponentHealth { ok: storage_ok, backend: state.storage.backend_name().into() },
    };
    (status, Json(body))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Site {
    /// The platform's display name (a setting: each city names its own).
    pub name: String,
    pub organizer: String,
    /// The 统一身份认证 button's text when that sign-in is configured (`GET /api/auth/unified/start`).
    pub unified_identity: Option<String>,
}

#[utoipa::path(get, path = "/api/site", tag = "health", responses((status = 200, body = Site)))]
pub async fn get_site(State(state): State<AppState>) -> Json<Site> {
    let unified_identity = state.unified_identity.is_some().then(|| state.config.unified_identity.label().to_owned());
    Json(Site { name: state.config.site_name.clone(), organizer: state.config.organizer.clone(), unified_identity })
}
