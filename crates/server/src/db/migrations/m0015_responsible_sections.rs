//! Responsible sections (责任科室, 003 §4.1.3 and §4.4.3): a city or district bureau names, per scope (for calls
//! a track, 方向), the department whose handlers review it; a task of a 「responsible section」 stage carries
//! that department and the stage's user type, and only those handlers (and the bureau's administrator) act on it.

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0015_responsible_sections"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("review_sections"))
                .col(s("scope", 100))
                .col(s("organization_id", 36))
                .col(s("department_id", 36))
                .col(s_null("assigned_by", 36))
                .col(ts("assigned_at"))
                .primary_key(Index::create().col(a("scope")).col(a("organization_id")))
                .foreign_key(&mut fk("review_sections", "organization_id", "organizations", "id"))
                .foreign_key(&mut fk("review_sections", "department_id", "departments", "id"))
                .to_owned(),
        )
        .await?;
        // One column per ALTER: SQLite adds one at a time.
        m.alter_table(Table::alter().table(a("review_tasks")).add_column(s_null("department_id", 36)).to_owned()).await?;
        m.alter_table(Table::alter().table(a("review_tasks")).add_column(s_null("user_type", 40)).to_owned()).await?;
        Ok(())
    }
}
