//! 工作台公告 (seed 001 §1.4.1, issue 20): announcements the operator and government bodies post to organization
//! kinds, shown on the workbench with unread marks. `audience` is the kinds as `,enterprise,provider,` (empty: every
//! kind), `publisher_region` the publishing body's region (null: the operator, platform-wide); the workbench reads
//! the published ones newest first, narrowed by the index on (status, publish_at). `announcement_reads` holds who
//! read what, one row per user and announcement (the key makes marking read idempotent).

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0028_announcements"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("announcements"))
                .col(id("id"))
                .col(s("title", 100))
                .col(text("body"))
                .col(s("audience", 200))
                .col(s("publisher_org_id", 36))
                .col(s("publisher_name", 200))
                .col(s_null("publisher_region", 12))
                .col(s("status", 20))
                .col(ts_null("publish_at"))
                .col(ts_null("retired_at"))
                .col(s("created_by", 36))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("announcements", "announcements_published", &["status", "publish_at"], false)).await?;
        m.create_index(idx("announcements", "announcements_publisher", &["publisher_org_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("announcement_reads"))
                .col(s("announcement_id", 36))
                .col(s("user_id", 36))
                .col(ts("read_at"))
                .primary_key(Index::create().col(a("announcement_id")).col(a("user_id")))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
