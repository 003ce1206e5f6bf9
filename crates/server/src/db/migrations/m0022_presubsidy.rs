//! 预奖补: which signed contracts an application covers. One row per (project, 合同协议编号), so two
//! applications for the same contract at the same moment cannot both be created: the second insert finds the
//! row. A rejected (审核不通过) or deleted application gives its contracts back (its rows are removed).

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0022_presubsidy"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("presubsidy_contracts"))
                .col(s("project_id", 36))
                .col(s("contract_no", 64))
                .col(s("case_id", 36))
                .primary_key(Index::create().col(a("project_id")).col(a("contract_no")))
                .foreign_key(&mut fk("presubsidy_contracts", "project_id", "projects", "id"))
                .foreign_key(&mut fk("presubsidy_contracts", "case_id", "review_cases", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("presubsidy_contracts", "presubsidy_contracts_case", &["case_id"], false)).await?;
        Ok(())
    }
}
