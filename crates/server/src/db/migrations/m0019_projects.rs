//! The enterprise's pilot project (seed 002, spec 40): one record per project carrying its stage, the
//! filing's reviewed case, the 项目备案号 once filed, and what later stages read (town, lead unit, diagnosis
//! mode, the pre-diagnosis result: 改造前数字化水平等级), and the filing's 信息变更: the latest change (`change_case_id`,
//! at most one open, taken by a conditional update) and the approved one that is the filed record now
//! (`record_case_id`; null = the filing itself). Each stage's form lives in its review case; the project is the spine that links them.
//!
//! 项目备案号 are issued from `project_number_counters` (one row per counter key of the numbering rule, see
//! `shuzhuan_core::filing_number`): an UPDATE … SET last = last + 1 holds the row until the approving
//! transaction commits, so concurrent completions take consecutive numbers; the unique index on
//! `projects.filing_number` is the backstop.

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0019_projects"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("projects"))
                .col(id("id"))
                .col(s("org_id", 36))
                .col(s("name", 200))
                .col(s("stage", 20))
                .col(s("filing_case_id", 36))
                .col(s_null("filing_number", 40))
                .col(ts_null("filed_at"))
                .col(s_null("town_code", 12))
                .col(s_null("lead_unit_id", 36))
                .col(s_null("diagnosis_mode", 20))
                .col(s_null("pre_assessment_id", 36))
                .col(int_null("pre_level"))
                .col(s_null("pre_level_label", 40))
                .col(ts_null("diagnosed_at"))
                .col(s_null("change_case_id", 36))
                .col(s_null("record_case_id", 36))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("projects", "org_id", "organizations", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("projects", "projects_filing_case", &["filing_case_id"], true)).await?;
        m.create_index(idx("projects", "projects_filing_number", &["filing_number"], true)).await?;
        m.create_index(idx("projects", "projects_change_case", &["change_case_id"], true)).await?;
        m.create_index(idx("projects", "projects_org_newest", &["org_id", "created_at"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("project_number_counters"))
                .col(ColumnDef::new(a("counter_key")).string_len(60).not_null().primary_key())
                .col(int_zero("last"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
