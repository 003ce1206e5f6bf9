//! 审核进度 as a PDF (000 "导出PDF"): the case, each stage with its organization, state, time and opinion,
//! and the full trail.

use axum::extract::{Path, State};
use axum::response::Response;

use super::{engine, views};
use crate::auth::CurrentUser;
use crate::error::{ApiResult, ErrorEnvelope};
use crate::state::AppState;

const TEMPLATE: &str = include_str!("timeline.typ");

#[utoipa::path(get, path = "/api/review/cases/{id}/timeline.pdf", tag = "review", params(("id" = String, Path, description = "case id")),
    responses((status = 200, description = "审核进度 PDF", content_type = "application/pdf"), (status = 404, body = ErrorEnvelope), (status = 503, body = ErrorEnvelope)))]
pub async fn timeline_pdf(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Response> {
    let (l, s) = engine::load_visible(&state.db, &user, &id).await?;
    let d = views::detail(&state, &user, &l, &s).await?;
    let data = serde_json::json!({
        "title": d.title,
        "kind": d.kind_name,
        "applicant": d.owner_org_name,
        "status": d.status_label,
        "submitted_at": d.submitted_at.map(|t| t.display()).unwrap_or_else(|| "—".into()),
        "exported_at": crate::time::display(chrono::Utc::now()),
        "site": state.config.site_name,
        "progress": d.progress.iter().map(|p| serde_json::json!({
            "name": p.name, "org": p.org_name.clone().unwrap_or_else(|| "—".into()), "state": p.state_label,
            "at": p.at.map(|t| t.display()).unwrap_or_else(|| "—".into()), "opinion": p.opinion.clone().unwrap_or_default(),
        })).collect::<Vec<_>>(),
        "trail": d.trail.iter().map(|t| serde_json::json!({
            "round": t.round, "stage": t.stage_name.clone().unwrap_or_default(), "action": t.action_label,
            "actor": format!("{}（{}）", t.actor_name, t.org_name), "opinion": t.opinion.clone().unwrap_or_default(), "at": t.at.display(),
        })).collect::<Vec<_>>(),
    });
    let name = format!("审核进度-{}.pdf", d.title);
    crate::pdf::response(&state, TEMPLATE, data, &name).await
}
