//! 办理时限提醒 (review/reminders.rs): when each overdue task was reminded, and the index the sweep reads.

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0007_review_reminders"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(a("review_tasks")).add_column(ts_null("reminded_at")).to_owned()).await?;
        // The sweep asks for open tasks past their deadline: a few among a million.
        m.create_index(idx("review_tasks", "idx_review_tasks_due", &["state", "due_at"], false)).await?;
        Ok(())
    }
}
