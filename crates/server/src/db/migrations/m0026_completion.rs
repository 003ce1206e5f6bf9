//! 项目实施-改造完成: one row per project whose 项目实施-改造中 was submitted (`project_completions`), created when
//! the enterprise first opens it; `version` makes every save and step a conditional update, as in m0023.
//! `provider_ratings` holds the enterprise's 服务商评价 of each provider of its signed products, one row per
//! (project, provider), written when the page is submitted or changed: the providers' public reputation is read
//! from it.

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0026_completion"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("project_completions"))
                .col(ColumnDef::new(a("project_id")).string_len(36).not_null().primary_key())
                .col(s("org_id", 36))
                .col(s("status", 20))
                .col(text("form"))
                .col(int("version"))
                .col(ts_null("submitted_at"))
                .col(s("updated_by", 36))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("project_completions", "project_id", "projects", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("provider_ratings"))
                .col(s("project_id", 36))
                .col(s("provider_org_id", 36))
                .col(s("enterprise_org_id", 36))
                .col(int("product_stars"))
                .col(int("overall_stars"))
                .col(int("attitude_stars"))
                .col(int("after_sales_stars"))
                .col(text("texts"))
                .col(ts("rated_at"))
                .primary_key(Index::create().col(a("project_id")).col(a("provider_org_id")))
                .foreign_key(&mut fk("provider_ratings", "project_id", "projects", "id"))
                .to_owned(),
        )
        .await?;
        // The reputation of a provider: its ratings, read by provider.
        m.create_index(idx("provider_ratings", "provider_ratings_provider", &["provider_org_id"], false)).await?;
        Ok(())
    }
}
