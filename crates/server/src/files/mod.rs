//! Files: upload (type checked by extension and content, size limited per purpose, SHA-256 recorded) and
//! download (authorised, as an attachment, hash verified). Bytes live in [`crate::storage`].

pub mod entity;
mod handlers;
mod purpose;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub use handlers::content_disposition;
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
