//! The audit log's hash chain (audit/chain.rs): one seal per entry, append-only like the log (issue 13).

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0011_audit_seals"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("audit_seals"))
                // Not auto-increment: the sealer assigns the next position, and the key refuses a second
                // sealer appending the same one.
                .col(ColumnDef::new(a("position")).big_integer().not_null().primary_key())
                .col(ColumnDef::new(a("entry_id")).big_integer().not_null().unique_key())
                .col(s("hash", 64))
                .col(ts("sealed_at"))
                .to_owned(),
        )
        .await?;
        append_only(m.get_connection(), "audit_seals", true).await?;
        Ok(())
    }
}
