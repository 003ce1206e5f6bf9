//! Files: upload (type checked by extension and content, size limited per purpose, SHA-256 recorded) and
//! download (authorised, as an attachment, hash verified). Bytes live in [`crate::storage`].

pub mod entity;
mod handlers;
mod purpose;
mod quota;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub use purpose::FilePurpose;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::list_purposes))
        .routes(routes!(handlers::upload_file, handlers::list_files))
        .routes(routes!(handlers::download_file))
}

/// The files `ids` name, each of which must have been uploaded by `org_id`; otherwise a field error on `field`
/// (a missing file and another organization's are refused alike, so an id reveals nothing). Every attachment a
/// form or an action names goes through here.
pub async fn own_files(
    db: &impl sea_orm::ConnectionTrait,
    org_id: &str,
    field: &str,
    ids: &[String],
) -> crate::error::ApiResult<Vec<entity::Model>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found = entity::Entity::find()
        .filter(entity::Column::Id.is_in(ids.iter().cloned()))
        .filter(entity::Column::OrganizationId.eq(org_id))
        .all(db)
        .await?;
    if ids.iter().all(|id| found.iter().any(|f| &f.id == id)) {
        Ok(found)
    } else {
        Err(crate::error::ApiError::validation(field, "附件不存在或不属于本单位，请重新上传"))
    }
}

/// A file a form names, with what its field allows.
pub struct Wanted {
    /// The field's path in the form (`values.proof`, `attachments.letter`), for the error.
    pub path: String,
    /// The field's label, for the message.
    pub name: String,
    /// Extensions the field accepts.
    pub accept: Vec<String>,
    pub max_mb: u32,
    pub id: String,
}

/// Each file named is `org_id`'s own, and of a type and size its field allows; otherwise a field error that
/// names the field and the file.
pub async fn check_wanted(db: &impl sea_orm::ConnectionTrait, org_id: &str, wanted: Vec<Wanted>) -> crate::error::ApiResult<()> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use crate::error::ApiError;
    if wanted.is_empty() {
        return Ok(());
    }
    let found: std::collections::BTreeMap<String, entity::Model> = entity::Entity::find()
        .filter(entity::Column::Id.is_in(wanted.iter().map(|w| w.id.clone())))
        .filter(entity::Column::OrganizationId.eq(org_id))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id.clone(), f))
        .collect();
    for w in wanted {
        let Some(f) = found.get(&w.id) else { return Err(ApiError::validation(&w.path, format!("「{}」中的文件不存在或不属于本单位，请重新上传", w.name))) };
        if !type_accepted(&f.original_name, &w.accept) {
            return Err(ApiError::validation(&w.path, format!("「{}」只接受 {} 格式，「{}」不符合", w.name, w.accept.join("、"), f.original_name)));
        }
        if f.size_bytes > i64::from(w.max_mb) * 1024 * 1024 {
            return Err(ApiError::validation(&w.path, format!("「{}」的文件不能超过{} MB，「{}」过大", w.name, w.max_mb, f.original_name)));
        }
    }
    Ok(())
}

/// The files the file fields of a schema-driven form name, with what each field allows (`prefix.<key>`), and
/// those of the file columns of its tables, cell by cell (`prefix.<table>[<row>].<column>`, named by the
/// column). Hidden fields too: every id stored must be the organization's own.
pub fn form_files(schema: &shuzhuan_core::form::FormSchema, values: &serde_json::Value, prefix: &str) -> Vec<Wanted> {
    use shuzhuan_core::form::FieldKind;
    let mut wanted = Vec::new();
    each_file_value(schema, values, |_, path, f, v| {
        if let FieldKind::File { accept, max_mb, .. } = &f.kind {
            for id in ids_of(v) {
                wanted.push(Wanted { path: format!("{prefix}.{path}"), name: f.name().to_owned(), accept: accept.clone(), max_mb: *max_mb, id: id.to_owned() });
            }
        }
    });
    wanted
}

/// The file ids the visible file fields of a schema-driven form name, and the file cells of its visible
/// tables, in document order: the files its reviewers may open. (A hidden field keeps what was uploaded but
/// is not shown, so it shares nothing.)
pub fn form_file_ids(schema: &shuzhuan_core::form::FormSchema, values: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    each_file_value(schema, values, |top, _, _, v| {
        if shuzhuan_core::form::is_visible(schema, values, top) {
            out.extend(ids_of(v).map(str::to_owned));
        }
    });
    out
}

/// Calls `visit(top-level field, value path, file field or column, value)` for each file field of the form
/// and each file cell of each stored row of its tables. `all_fields` leaves table columns out, so each value
/// is visited once.
fn each_file_value<'a>(
    schema: &'a shuzhuan_core::form::FormSchema,
    values: &'a serde_json::Value,
    mut visit: impl FnMut(&'a shuzhuan_core::form::Field, String, &'a shuzhuan_core::form::Field, &'a serde_json::Value),
) {
    use shuzhuan_core::form::FieldKind;
    for (_, f) in shuzhuan_core::form::all_fields(schema) {
        match &f.kind {
            FieldKind::File { .. } => visit(f, f.key.clone(), f, &values[&f.key]),
            FieldKind::Table { columns, .. } => {
                let files: Vec<_> = columns.iter().filter(|c| matches!(c.kind, FieldKind::File { .. })).collect();
                if files.is_empty() {
                    continue;
                }
                for (i, row) in values[&f.key].as_array().into_iter().flatten().enumerate() {
                    for c in &files {
                        visit(f, format!("{}[{i}].{}", f.key, c.key), c, &row[&c.key]);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The ids a file value holds (anything else in it is the form checks' business).
fn ids_of(v: &serde_json::Value) -> impl Iterator<Item = &str> {
    v.as_array().into_iter().flatten().filter_map(serde_json::Value::as_str)
}

/// The names of the files among `ids` that `org_id` stored, by id: what a form page shows beside the ids its
/// form holds. An id of another organization stays unnamed (and its download answers 404).
pub async fn names_of(db: &impl sea_orm::ConnectionTrait, org_id: &str, ids: Vec<String>) -> Result<std::collections::BTreeMap<String, String>, sea_orm::DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(entity::Entity::find()
        .filter(entity::Column::Id.is_in(ids))
        .filter(entity::Column::OrganizationId.eq(org_id.to_owned()))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.original_name))
        .collect())
}

/// By extension: the upload already checked the content against the extension (`shuzhuan_core::check_upload`).
pub fn type_accepted(name: &str, accept: &[String]) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    accept.iter().any(|a| a == &ext || (a == "jpg" && ext == "jpeg") || (a == "jpeg" && ext == "jpg"))
}

/// A rule by which another organization's file is shared with a user (a capability built on `files`
/// registers it with `inventory::submit!`): `files` never names those capabilities, it asks their rules.
/// The download answers 404 unless the file is the user's organization's or some rule shares it.
pub struct SharingRule {
    /// For logs and tests.
    pub name: &'static str,
    pub shares: for<'a> fn(
        &'a sea_orm::DatabaseConnection,
        &'a crate::auth::CurrentUser,
        &'a entity::Model,
    ) -> futures::future::BoxFuture<'a, crate::error::ApiResult<bool>>,
}

inventory::collect!(SharingRule);

/// Whether any registered rule shares `file` with `user`.
pub async fn shared_with(db: &sea_orm::DatabaseConnection, user: &crate::auth::CurrentUser, file: &entity::Model) -> crate::error::ApiResult<bool> {
    for rule in inventory::iter::<SharingRule> {
        if (rule.shares)(db, user, file).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The names of the registered sharing rules.
pub fn sharing_rules() -> Vec<&'static str> {
    inventory::iter::<SharingRule>.into_iter().map(|r| r.name).collect()
}

/// Files in the audit log: by the name they were uploaded with.
async fn file_names(db: &sea_orm::DatabaseConnection, ids: &[String]) -> crate::error::ApiResult<std::collections::HashMap<String, String>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        for f in entity::Entity::find().filter(entity::Column::Id.is_in(chunk.to_vec())).all(db).await? {
            out.insert(f.id, f.original_name);
        }
    }
    Ok(out)
}

inventory::submit! {
    crate::audit::ObjectNames { object_type: "file", names: |db, ids| Box::pin(file_names(db, ids)), link: None }
}

/// Stores a file the platform generated for an organization (an application's 申报书): content-addressed
/// like uploads, counted against the organization's quota, audited as `file_generate`.
pub async fn store_generated(
    state: &AppState,
    org_id: &str,
    user_id: &str,
    purpose: FilePurpose,
    name: &str,
    data: bytes::Bytes,
) -> crate::error::ApiResult<entity::Model> {
    use sea_orm::{ActiveValue::Set, EntityTrait};
    use sha2::{Digest, Sha256};
    let sha256 = hex::encode(Sha256::digest(&data));
    let key = crate::storage::Storage::key_for_sha256(&sha256);
    let size = data.len() as i64;
    let unavailable = |e: crate::storage::StorageError| crate::error::ApiError::Unavailable(e.to_string());
    if !state.storage.exists(&key).await.map_err(unavailable)? {
        state.storage.put(&key, data).await.map_err(unavailable)?;
    }
    let file_type = shuzhuan_core::FileType::Pdf;
    let txn = crate::db::begin_write(&state.db).await?;
    quota::take(state, &txn, org_id, size).await?;
    let saved = entity::Entity::insert(entity::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        organization_id: Set(org_id.to_owned()),
        uploaded_by: Set(user_id.to_owned()),
        purpose: Set(purpose.as_str().into()),
        original_name: Set(name.chars().take(200).collect()),
        content_type: Set(file_type.content_type().into()),
        size_bytes: Set(size),
        sha256: Set(sha256),
        storage_key: Set(key),
        created_at: Set(chrono::Utc::now()),
    })
    .exec_with_returning(&txn)
    .await?;
    crate::audit::record(
        &txn,
        crate::audit::Entry {
            action: "file_generate",
            actor: None,
            username: None,
            ip: None,
            object_type: Some("file"),
            object_id: Some(&saved.id),
            outcome: crate::audit::Outcome::Success,
            detail: Some(serde_json::json!({ "purpose": saved.purpose, "size": saved.size_bytes, "organization_id": org_id, "user_id": user_id })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A file field shown only when 有合同, and a table whose rows each carry their 项目合同.
    fn schema() -> shuzhuan_core::form::FormSchema {
        shuzhuan_core::form::parse_schema(&json!({ "title": "申报书", "sections": [{ "key": "s", "title": "基本情况", "fields": [
            { "key": "license", "label": "营业执照", "type": "file", "accept": ["pdf"], "max_mb": 5 },
            { "key": "has_contracts", "label": "是否有合同", "type": "yes_no" },
            { "key": "contracts", "label": "合同", "type": "table", "when": { "field": "has_contracts", "equals": true }, "columns": [
                { "key": "name", "label": "项目名称", "type": "text" },
                { "key": "scan", "label": "项目合同", "type": "file", "accept": ["pdf", "jpg"], "max_mb": 10, "max_count": 2 }
            ]}
        ]}]}))
        .expect("the schema passes its check")
    }

    #[test]
    fn table_cells_name_files_with_their_path_and_column() {
        let values = json!({ "license": ["l"], "has_contracts": true, "contracts": [{ "name": "甲", "scan": ["a"] }, { "name": "乙" }, { "scan": ["b", "c"] }] });
        let wanted = form_files(&schema(), &values, "values");
        let got: Vec<(&str, &str, &str, u32)> = wanted.iter().map(|w| (w.path.as_str(), w.name.as_str(), w.id.as_str(), w.max_mb)).collect();
        assert_eq!(
            got,
            vec![
                ("values.license", "营业执照", "l", 5),
                ("values.contracts[0].scan", "项目合同", "a", 10),
                ("values.contracts[2].scan", "项目合同", "b", 10),
                ("values.contracts[2].scan", "项目合同", "c", 10),
            ]
        );
        assert_eq!(wanted[1].accept, vec!["pdf", "jpg"]);
        assert_eq!(form_file_ids(&schema(), &values), vec!["l", "a", "b", "c"]);
    }

    #[test]
    fn a_hidden_table_shares_no_files_but_its_files_are_still_checked() {
        let values = json!({ "has_contracts": false, "contracts": [{ "scan": ["a"] }] });
        assert_eq!(form_file_ids(&schema(), &values), Vec::<String>::new());
        assert_eq!(form_files(&schema(), &values, "values").len(), 1);
    }
}
