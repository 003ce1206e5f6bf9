//! 事后评估 (post-evaluation): after 项目实施-改造中 is submitted the enterprise chooses how the project is
//! evaluated (评估机构评估, or 市工信局分配), an agency writes the report (kind `evaluation_report`) and the
//! enterprise confirms it; the report's level is the project's 改造后数字化水平等级. The columns mirror
//! m0020's for 事前诊断: the case is linked by a conditional update of `evaluation_case_id` from null, and the
//! unique index is the backstop.

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0025_post_evaluation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per ALTER: SQLite adds one at a time.
        for col in [
            s_null("evaluation_mode", 20),
            s_null("evaluation_agency_id", 36),
            s_null("evaluation_agency_name", 200),
            s_null("evaluation_case_id", 36),
            int_null("post_level"),
            s_null("post_level_label", 40),
            ts_null("evaluated_at"),
        ] {
            m.alter_table(Table::alter().table(a("projects")).add_column(col).to_owned()).await?;
        }
        m.create_index(idx("projects", "projects_evaluation_case", &["evaluation_case_id"], true)).await?;
        Ok(())
    }
}
