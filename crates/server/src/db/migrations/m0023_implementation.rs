//! 项目实施-改造中: one row per signed project (`project_implementations`), created when the enterprise first
//! opens it. As for signing, `version` makes every save and step a conditional update, so two tabs, or the
//! enterprise and the lead unit helping it, never overwrite each other silently.

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0023_implementation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("project_implementations"))
                .col(ColumnDef::new(a("project_id")).string_len(36).not_null().primary_key())
                .col(s("org_id", 36))
                .col(s_null("lead_unit_id", 36))
                .col(s("status", 20))
                .col(text("form"))
                .col(int("version"))
                .col(ts_null("sent_at"))
                .col(ts_null("assisted_at"))
                .col(ts_null("submitted_at"))
                .col(s("updated_by", 36))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("project_implementations", "project_id", "projects", "id"))
                .to_owned(),
        )
        .await?;
        // The lead unit's list of pages it is asked to fill.
        m.create_index(idx("project_implementations", "project_implementations_lead_unit", &["lead_unit_id", "status"], false)).await?;
        Ok(())
    }
}
