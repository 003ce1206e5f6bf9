//! 项目中心 at a province's scale (issue 16 bar: the list p95 < 50 ms with 1,000,000 applications): the
//! applications a bureau reviews are the case ids of its tasks, read from an index that holds them (no row
//! lookups), and the newest first come from an index in that order instead of a sort of the bureau's share.
//! Measured in docs/benchmarks.md ("Reviewing calls").

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0018_project_center_indexes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(idx("review_tasks", "idx_review_tasks_org_cases", &["assignee_org_id", "state", "case_id"], false)).await?;
        m.create_index(idx("call_applications", "call_applications_newest", &["created_at", "case_id"], false)).await?;
        Ok(())
    }
}
