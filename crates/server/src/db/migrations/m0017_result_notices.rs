//! 结果公示 (003 §3.1.3, spec 50 Portal): the province (the bureau that owns a program) publishes the units its
//! final review approved. A notice keeps its own copy of every listed unit, so what was published stays what
//! was published when a name changes later; one notice per program (the unique index makes a double click or
//! two officials at once publish it once).

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0017_result_notices"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("result_notices"))
                .col(id("id"))
                .col(s("program_id", 36))
                .col(s("organization_id", 36))
                .col(s("title", 200))
                .col(text("body"))
                .col(s("published_by", 36))
                .col(ts("published_at"))
                .col(ts("period_ends_at"))
                .foreign_key(&mut fk("result_notices", "program_id", "call_programs", "id"))
                .foreign_key(&mut fk("result_notices", "organization_id", "organizations", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("result_notices", "result_notices_program", &["program_id"], true)).await?;
        m.create_index(idx("result_notices", "result_notices_published", &["published_at"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("result_notice_entries"))
                .col(id("id"))
                .col(s("notice_id", 36))
                .col(int("seq"))
                .col(s("applicant_name", 200))
                .col(s("track_name", 200))
                .col(s("recommender", 200))
                .col(s_null("apply_mode", 50))
                .col(s("application_id", 36))
                .foreign_key(&mut fk("result_notice_entries", "notice_id", "result_notices", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("result_notice_entries", "result_notice_entries_notice", &["notice_id", "seq"], true)).await?;
        Ok(())
    }
}
