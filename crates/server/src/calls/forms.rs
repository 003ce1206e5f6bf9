//! Versions of schema-driven forms. A version is written once and never changed, so a process may keep every
//! version it has read: the case kind's synchronous `validate` and `fields` read them from [`pinned`] after
//! the engine's `prepare` (or a save's `normalize`) has loaded them.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use axum::extract::State;
use axum::Json;
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use shuzhuan_core::form::{self, FormSchema, Problem};
use utoipa::ToSchema;

use super::entity::form_version;
use crate::auth::CurrentUser;
use crate::directory::OrgKind;
use crate::error::{ApiError, ApiResult, ErrorEnvelope, FieldError};
use crate::http::ApiJson;
use crate::state::AppState;

type Cache = RwLock<HashMap<(String, i32), Arc<FormSchema>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// A version already loaded in this process.
pub fn pinned(form_key: &str, version: i32) -> Option<Arc<FormSchema>> {
    cache().read().expect("form cache lock").get(&(form_key.to_owned(), version)).cloned()
}

/// Version `version` of `form_key`, from this process's cache or the database.
pub async fn load(db: &impl ConnectionTrait, form_key: &str, version: i32) -> ApiResult<Arc<FormSchema>> {
    if let Some(s) = pinned(form_key, version) {
        return Ok(s);
    }
    let row = form_version::Entity::find()
        .filter(form_version::Column::FormKey.eq(form_key))
        .filter(form_version::Column::Version.eq(version))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("表单 {form_key} 第{version}版不存在")))?;
    Ok(remember(&row))
}

fn remember(row: &form_version::Model) -> Arc<FormSchema> {
    // Stored versions passed `parse_schema` when written; a row that no longer parses is a bug, not input.
    let schema: FormSchema = serde_json::from_str(&row.schema).expect("stored form versions parse");
    let schema = Arc::new(schema);
    cache().write().expect("form cache lock").insert((row.form_key.clone(), row.version), schema.clone());
    schema
}

/// The newest version of `form_key`: (version, schema).
pub async fn current(db: &impl ConnectionTrait, form_key: &str) -> ApiResult<(i32, Arc<FormSchema>)> {
    let row = form_version::Entity::find()
        .filter(form_version::Column::FormKey.eq(form_key))
        .order_by_desc(form_version::Column::Version)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::NotFound("表单尚未设计".into()))?;
    Ok((row.version, remember(&row)))
}

/// Problems of a schema as the envelope's fields.
pub fn problems_to_fields(problems: Vec<Problem>) -> Vec<FieldError> {
    problems.into_iter().map(|p| FieldError { field: p.field, message: p.message }).collect()
}

/// Parses and checks a schema sent by an official: 422 naming every problem.
pub fn parse(schema: &serde_json::Value) -> ApiResult<FormSchema> {
    form::parse_schema(schema).map_err(|problems| ApiError::Validation {
        message: format!("表单有{}处问题，请修改后再保存", problems.len()),
        fields: problems_to_fields(problems),
    })
}

/// Writes the next version of `form_key`; two officials saving at once get versions n + 1 and n + 2 or, if
/// both read n, one 409 from the unique index (they reload and save again).
pub async fn create_version(db: &impl ConnectionTrait, form_key: &str, schema: &FormSchema, created_by: Option<&str>) -> ApiResult<i32> {
    let latest = form_version::Entity::find()
        .filter(form_version::Column::FormKey.eq(form_key))
        .order_by_desc(form_version::Column::Version)
        .one(db)
        .await?;
    if let Some(l) = &latest
        && serde_json::from_str::<FormSchema>(&l.schema).ok().as_ref() == Some(schema)
    {
        return Ok(l.version);
    }
    let version = latest.map(|l| l.version + 1).unwrap_or(1);
    form_version::Entity::insert(form_version::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        form_key: Set(form_key.to_owned()),
        version: Set(version),
        schema: Set(serde_json::to_string(schema).expect("schemas serialize")),
        created_by: Set(created_by.map(str::to_owned)),
        created_at: Set(Utc::now()),
    })
    .exec(db)
    .await
    .map_err(|e| match crate::error::unique_violation(&e) {
        Some(_) => ApiError::Conflict("表单刚被其他人保存了新版本，请刷新后再保存".into()),
        None => e.into(),
    })?;
    Ok(version)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SchemaBody {
    /// A form schema (`docs/forms.md`).
    #[schema(value_type = Object)]
    pub schema: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SchemaProblems {
    pub problems: Vec<FieldError>,
}

/// The form designer's live check: every problem of a schema, with Chinese messages naming the field.
#[utoipa::path(post, path = "/api/forms/check", tag = "calls", request_body = SchemaBody,
    responses((status = 200, body = SchemaProblems), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn check_form(State(_state): State<AppState>, user: CurrentUser, ApiJson(body): ApiJson<SchemaBody>) -> ApiResult<Json<SchemaProblems>> {
    user.require_org_kind(OrgKind::Government)?;
    let problems = match form::parse_schema(&body.schema) {
        Ok(_) => vec![],
        Err(p) => problems_to_fields(p),
    };
    Ok(Json(SchemaProblems { problems }))
}
