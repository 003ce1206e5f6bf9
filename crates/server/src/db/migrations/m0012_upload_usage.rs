//! Bytes each organization holds in uploaded files (files/quota.rs), counted from the files already stored.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0012_upload_usage"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("upload_usage"))
                .col(id("organization_id"))
                .col(ColumnDef::new(a("bytes")).big_integer().not_null())
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared("INSERT INTO upload_usage (organization_id, bytes) SELECT organization_id, SUM(size_bytes) FROM files GROUP BY organization_id")
            .await?;
        Ok(())
    }
}
