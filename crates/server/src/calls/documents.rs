//! 生成申报书: the application document rendered from the pinned form schema and the saved values, in the
//! background (progress visible, 003 §5.4), behind the PDF gate so that the deadline hour's 300 documents
//! queue instead of exhausting memory. The file is stored as a `document` of the applicant.
//!
//! A render still queued when the process stops is lost (durable jobs are the province-scale issue's); the
//! page shows it as failed after [`STALE_AFTER`] and the applicant generates it again.

use axum::extract::{Path, State};
use axum::Json;
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use serde_json::{json, Value};
use shuzhuan_core::form::{self, FieldKind, FormSchema};
use utoipa::ToSchema;

use super::entity::{application, document};
use super::entity::document::DocumentStatus;
use super::kind::{call_of, settings_of};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorEnvelope};
use crate::state::AppState;

pub const TEMPLATE: &str = include_str!("application.typ");
/// A document not finished after this long is shown as failed (its render was lost with a restart).
pub const STALE_AFTER: i64 = 15;

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    pub id: String,
    pub application_id: String,
    pub status: DocumentStatus,
    pub progress: i32,
    pub file_id: Option<String>,
    pub error: Option<String>,
    pub created_at: crate::time::ApiTime,
    pub finished_at: Option<crate::time::ApiTime>,
    pub program_name: String,
    pub track_name: String,
}

pub async fn views(db: &impl ConnectionTrait, rows: Vec<document::Model>) -> ApiResult<Vec<DocumentView>> {
    let mut out = Vec::with_capacity(rows.len());
    let mut names = std::collections::HashMap::new();
    for d in rows {
        if !names.contains_key(&d.case_id)
            && let Some(app) = application::Entity::find_by_id(d.case_id.clone()).one(db).await?
        {
            let (_, t, p) = call_of(db, &app.call_id).await?;
            names.insert(d.case_id.clone(), (p.name, t.name));
        }
        let (program_name, track_name) = names.get(&d.case_id).cloned().unwrap_or_default();
        let stale = matches!(d.status, DocumentStatus::Queued | DocumentStatus::Rendering) && Utc::now() - d.created_at > Duration::minutes(STALE_AFTER);
        out.push(DocumentView {
            id: d.id,
            application_id: d.case_id,
            status: if stale { DocumentStatus::Failed } else { d.status },
            progress: d.progress,
            file_id: d.file_id,
            error: if stale { Some("生成中断，请重新生成".into()) } else { d.error },
            created_at: crate::time::api(d.created_at),
            finished_at: d.finished_at.map(crate::time::api),
            program_name,
            track_name,
        });
    }
    Ok(out)
}

pub async fn of_case(db: &impl ConnectionTrait, case_id: &str) -> ApiResult<Vec<DocumentView>> {
    let rows = document::Entity::find().filter(document::Column::CaseId.eq(case_id)).order_by_desc(document::Column::CreatedAt).all(db).await?;
    views(db, rows).await
}

/// What the template reads: the cover, then each section's visible fields in order, tables as tables.
pub fn document_data(schema: &FormSchema, form: &Value, org_name: &str, uscc: &str, program: &str, track: &str, declaration: Option<&str>, attachment_titles: &[(String, String)]) -> Value {
    let values = &form["values"];
    let sections: Vec<Value> = schema
        .sections
        .iter()
        .map(|s| {
            let items: Vec<Value> = s
                .fields
                .iter()
                .filter(|f| form::is_visible(schema, values, f))
                .map(|f| match &f.kind {
                    FieldKind::Notice { text } => json!({ "kind": "notice", "text": text }),
                    FieldKind::Table { columns, fixed_rows, row_label, .. } => {
                        let rows: &[Value] = values[&f.key].as_array().map(Vec::as_slice).unwrap_or(&[]);
                        let n = if fixed_rows.is_empty() { rows.len() } else { fixed_rows.len() };
                        let mut header: Vec<String> = Vec::new();
                        if !fixed_rows.is_empty() {
                            header.push(row_label.clone().unwrap_or_else(|| "项目".into()));
                        } else {
                            header.push("序号".into());
                        }
                        header.extend(columns.iter().map(|c| c.name().to_owned()));
                        let body: Vec<Vec<String>> = (0..n)
                            .map(|i| {
                                let row = rows.get(i).unwrap_or(&Value::Null);
                                let mut cells = vec![fixed_rows.get(i).cloned().unwrap_or_else(|| (i + 1).to_string())];
                                cells.extend(columns.iter().map(|c| form::display(c, row.get(&c.key).unwrap_or(&Value::Null), None)));
                                cells
                            })
                            .collect();
                        json!({ "kind": "table", "label": f.name(), "header": header, "rows": body })
                    }
                    _ => {
                        let row = form::rows(schema, values).into_iter().find(|r| r.key == f.key);
                        json!({ "kind": "field", "label": f.name(), "value": row.map(|r| r.value).unwrap_or_default() })
                    }
                })
                .collect();
            json!({ "title": s.title, "description": s.description.clone().unwrap_or_default(), "items": items })
        })
        .collect();
    json!({
        "form_title": schema.title,
        "program": program,
        "track": track,
        "org_name": org_name,
        "uscc": uscc,
        "generated_at": crate::time::display(Utc::now())[..10].to_owned(),
        "sections": sections,
        "attachments": attachment_titles.iter().map(|(t, f)| json!({ "title": t, "files": f })).collect::<Vec<_>>(),
        "declaration": declaration.unwrap_or(""),
    })
}

/// Renders one document: CPU-bound, call it through the PDF gate.
pub fn render(data: &Value, font_dirs: &[std::path::PathBuf]) -> Result<Vec<u8>, crate::pdf::PdfError> {
    crate::pdf::render(TEMPLATE, data, crate::pdf::fonts(font_dirs))
}

/// 生成申报书: queues a render of the application as last saved.
#[utoipa::path(post, path = "/api/calls/applications/{id}/documents", tag = "calls", params(("id" = String, Path)),
    responses((status = 200, body = DocumentView), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
pub async fn generate(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<DocumentView>> {
    super::apply::require_applicant(&user)?;
    let app = application::Entity::find_by_id(id.clone()).one(&state.db).await?.filter(|a| a.org_id == user.organization.id).ok_or_else(|| ApiError::NotFound("申报不存在".into()))?;
    // One render at a time per application: pressing the button again while one runs answers that one.
    if let Some(running) = document::Entity::find()
        .filter(document::Column::CaseId.eq(id.clone()))
        .filter(document::Column::Status.is_in([DocumentStatus::Queued, DocumentStatus::Rendering]))
        .filter(document::Column::CreatedAt.gt(Utc::now() - Duration::minutes(STALE_AFTER)))
        .one(&state.db)
        .await?
    {
        return Ok(Json(views(&state.db, vec![running]).await?.remove(0)));
    }
    let now = Utc::now();
    let row = document::Entity::insert(document::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        case_id: Set(id.clone()),
        org_id: Set(user.organization.id.clone()),
        status: Set(DocumentStatus::Queued),
        progress: Set(0),
        file_id: Set(None),
        error: Set(None),
        created_at: Set(now),
        finished_at: Set(None),
    })
    .exec_with_returning(&state.db)
    .await?;
    let doc_id = row.id.clone();
    let st = state.clone();
    let uid = user.user_id.clone();
    tokio::spawn(async move {
        let outcome = run(&st, &app, &doc_id, &uid).await;
        let (status, error, file_id) = match outcome {
            Ok(file_id) => (DocumentStatus::Done, None, Some(file_id)),
            Err(e) => {
                tracing::warn!(document = %doc_id, error = ?e, "application document failed");
                // What the applicant reads: the operator's fix (fonts) or a plain retry.
                let shown = match e {
                    ApiError::Conflict(m) => m,
                    _ => "申报书生成失败，请稍后重新生成".to_owned(),
                };
                (DocumentStatus::Failed, Some(shown), None)
            }
        };
        let _ = set(&st, &doc_id, status, 100, error, file_id).await;
    });
    Ok(Json(views(&state.db, vec![row]).await?.remove(0)))
}

async fn set(state: &AppState, id: &str, status: DocumentStatus, progress: i32, error: Option<String>, file_id: Option<String>) -> ApiResult<()> {
    let done = matches!(status, DocumentStatus::Done | DocumentStatus::Failed);
    let mut q = document::Entity::update_many()
        .col_expr(document::Column::Status, Expr::value(status))
        .col_expr(document::Column::Progress, Expr::value(progress))
        .col_expr(document::Column::Error, Expr::value(error))
        .col_expr(document::Column::FileId, Expr::value(file_id));
    if done {
        q = q.col_expr(document::Column::FinishedAt, Expr::value(Some(Utc::now())));
    }
    q.filter(document::Column::Id.eq(id)).exec(&state.db).await?;
    Ok(())
}

async fn run(state: &AppState, app: &application::Model, doc_id: &str, user_id: &str) -> ApiResult<String> {
    let case = crate::review::case_by_id(&state.db, &app.case_id).await?.ok_or_else(|| ApiError::NotFound("申报不存在".into()))?;
    let form = case.form(state)?;
    let schema = super::forms::load(&state.db, &app.form_key, app.form_version).await?;
    let (c, t, p) = call_of(&state.db, &app.call_id).await?;
    let s = settings_of(&c);
    let o = crate::directory::org::Entity::find_by_id(app.org_id.clone()).one(&state.db).await?.ok_or_else(|| ApiError::NotFound("单位不存在".into()))?;
    let titles: Vec<(String, String)> = s
        .attachments
        .iter()
        .map(|a| {
            let n = form["attachments"][&a.key].as_array().map(Vec::len).unwrap_or(0);
            (a.title.clone(), if n == 0 { "未上传".to_owned() } else { format!("{n}个文件") })
        })
        .collect();
    let data = document_data(&schema, &form, &o.name, o.uscc.as_deref().unwrap_or(""), &p.name, &t.name, s.declaration.as_deref(), &titles);
    set(state, doc_id, DocumentStatus::Rendering, 30, None, None).await?;
    let font_dirs = state.config.pdf_font_dirs.clone();
    // A background job waits its turn at the gate instead of failing when the deadline hour fills it.
    let pdf = loop {
        let dirs = font_dirs.clone();
        let d = data.clone();
        match state.pdf_renders.run(move || render(&d, &dirs)).await {
            Err(ApiError::Busy { retry_after }) => tokio::time::sleep(std::time::Duration::from_secs(retry_after.clamp(1, 5))).await,
            other => break other?,
        }
    }
    .map_err(|e| match e {
        crate::pdf::PdfError::NoCjkFont => ApiError::Conflict(e.to_string()),
        other => ApiError::Internal(anyhow::anyhow!(other.to_string())),
    })?;
    set(state, doc_id, DocumentStatus::Rendering, 80, None, None).await?;
    let name = format!("{}-{}-申报书.pdf", o.name, t.name);
    let file = crate::files::store_generated(state, &app.org_id, user_id, crate::files::FilePurpose::Document, &name, pdf.into()).await?;
    Ok(file.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seeded Huizhou 2.1 form, filled, renders to a PDF (the template's shapes match `document_data`).
    #[test]
    fn the_seeded_form_renders() {
        let schema: FormSchema = serde_json::from_str(include_str!("../../../../data/calls/huizhou-2024-partners/forms/form-2-1.json")).unwrap();
        let form = json!({ "values": { "company_intro": "测试" } });
        let data = document_data(&schema, &form, "惠州市华阳精机有限公司", "91441302MA5100001X", "专题", "智能制造装备", Some("声明"), &[("营业执照".into(), "1个文件".into())]);
        let pdf = render(&data, &[std::path::PathBuf::from("/usr/share/fonts/opentype/noto")]).unwrap_or_else(|e| panic!("{e}"));
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
