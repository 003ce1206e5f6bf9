//! 企业管理 and 信用核查 (issue 20, seed 003 §4.3.4). `dishonest_imports` records each import of the dishonest-entity
//! list (失信被执行人 / 严重失信主体名单: file name, row count, date); `dishonest_entities` holds the entries of the
//! current list, replaced as a whole by each import and looked up by credit code. `credit_check_batches` keeps a batch
//! check's per-row results so its result workbook can be downloaded (by the organization that ran it). The business
//! registry (`companies`) gains 成立日期, shown in the officials' enterprise list, and organizations an index by kind and
//! name, the list's order.

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0031_enterprises"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("dishonest_imports"))
                .col(id("id"))
                .col(s("file_name", 200))
                .col(int("row_count"))
                .col(ts("imported_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("dishonest_imports", "dishonest_imports_newest", &["imported_at"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("dishonest_entities"))
                .col(id("id"))
                .col(s("import_id", 36))
                .col(s("uscc", 18))
                .col(s("name", 200))
                .col(s("list_kind", 40))
                .col(s_null("authority", 200))
                .col(s_null("case_no", 100))
                .col(s_null("listed_on", 10))
                .col(text_null("reason"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("dishonest_entities", "dishonest_entities_uscc", &["uscc"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("credit_check_batches"))
                .col(id("id"))
                .col(s("org_id", 36))
                .col(s("user_id", 36))
                .col(s("file_name", 200))
                .col(text("results"))
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("credit_check_batches", "credit_check_batches_org", &["org_id", "created_at"], false)).await?;
        // The officials' list: enterprises by name, a page at a time (the region narrows as the index is walked).
        m.create_index(idx("organizations", "organizations_kind_name", &["kind", "name"], false)).await?;
        m.alter_table(Table::alter().table(a("companies")).add_column(s_null("established_on", 10)).to_owned()).await?;
        Ok(())
    }
}
