//! 项目签约: one row per filed project (`project_signings`), created when the enterprise first opens it. The
//! form is the enterprise's (项目基本信息, contracts, 牵引单位信息) and, while the lead unit assists, the lead
//! unit writes its part of it; `version` makes every save and every step a conditional update, so two tabs or
//! the enterprise and its lead unit never overwrite each other silently.

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0021_signing"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("project_signings"))
                .col(ColumnDef::new(a("project_id")).string_len(36).not_null().primary_key())
                .col(s("org_id", 36))
                .col(s_null("lead_unit_id", 36))
                .col(s("status", 20))
                .col(text("form"))
                .col(int("version"))
                .col(ts_null("sent_at"))
                .col(ts_null("assisted_at"))
                .col(ts_null("signed_at"))
                .col(s("updated_by", 36))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("project_signings", "project_id", "projects", "id"))
                .to_owned(),
        )
        .await?;
        // The lead unit's list of pages it is asked to fill.
        m.create_index(idx("project_signings", "project_signings_lead_unit", &["lead_unit_id", "status"], false)).await?;
        Ok(())
    }
}
