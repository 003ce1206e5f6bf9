//! Indexes for the reviewer's to-do list (issue 4's benchmark, docs/benchmarks.md "Review engine"): with a
//! million tasks in the database the per-stage counts and the 已审核 page read every task the organization
//! ever had from the table. These two let both be answered from an index.

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0006_review_indexes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Covers the per-stage counts (`COUNT(*) … GROUP BY kind, stage_key, stage_name, state, outcome`).
        m.create_index(idx("review_tasks", "idx_review_tasks_stage_counts", &["assignee_org_id", "kind", "stage_key", "stage_name", "state", "outcome"], false)).await?;
        // The 已审核 page walks `closed_at` in order instead of sorting every done task; `title` is here so
        // the `q` filter (LIKE '%…%') is checked in the index, not by a row lookup per task.
        m.create_index(idx("review_tasks", "idx_review_tasks_done", &["assignee_org_id", "state", "closed_at", "id", "title"], false)).await?;
        Ok(())
    }
}
