use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "files")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The organization that owns the file; only it may download (until a case shares it with reviewers).
    pub organization_id: String,
    pub uploaded_by: String,
    pub purpose: String,
    pub original_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// SHA-256 of the content, recorded at upload and checked at every download.
    pub sha256: String,
    pub storage_key: String,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
