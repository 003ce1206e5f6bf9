//! 项目入库 (acceptance): the review case of the project's acceptance (kind `acceptance`, created when
//! 项目实施-改造完成 is submitted), the 验收专家 the city assigned to it and when it was 已入库; the city's opening
//! window (项目入库开放时段) on its settings row; and a task's person: the 验收专家审核 task goes to the assigned
//! expert alone, not to every member of the expert's organization.

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0027_acceptance"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per ALTER: SQLite adds one at a time.
        for col in [s_null("acceptance_case_id", 36), s_null("acceptance_expert_id", 36), ts_null("accepted_at")] {
            m.alter_table(Table::alter().table(a("projects")).add_column(col).to_owned()).await?;
        }
        m.create_index(idx("projects", "projects_acceptance_case", &["acceptance_case_id"], true)).await?;
        for col in [ts_null("acceptance_opens_at"), ts_null("acceptance_closes_at")] {
            m.alter_table(Table::alter().table(a("lifecycle_city_settings")).add_column(col).to_owned()).await?;
        }
        m.alter_table(Table::alter().table(a("review_tasks")).add_column(s_null("assignee_user_id", 36)).to_owned()).await?;
        Ok(())
    }
}
