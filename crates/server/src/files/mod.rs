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
