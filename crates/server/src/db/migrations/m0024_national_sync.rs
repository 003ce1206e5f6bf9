//! The national platform feed: every completed stage of a pilot project (and every 信息变更 of one) as an event
//! with a sequence number, and how far the national platform has acknowledged. `seq` is taken from a counter
//! row inside the transaction that completes the stage, so sequence order is commit order: a reader never sees
//! seq N+1 before seq N (no gaps to skip), and replaying from any cursor gives the same events.

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0024_national_sync"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("national_sync_events"))
                .col(ColumnDef::new(a("seq")).big_integer().not_null().primary_key())
                .col(s("project_id", 36))
                .col(s_null("town_code", 12))
                .col(s("event", 40))
                .col(text("payload"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("national_sync_events", "project_id", "projects", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("national_sync_events", "national_sync_events_project", &["project_id", "seq"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("national_sync_acks"))
                .col(ColumnDef::new(a("consumer")).string_len(40).not_null().primary_key())
                .col(ColumnDef::new(a("acked_seq")).big_integer().not_null())
                .col(ts("acked_at"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
