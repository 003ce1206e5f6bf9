//! 门户内容 (issue 20, spec 50 § Portal, seed 003 §3): what officials publish on the public portal — 通知公告,
//! 政策文件, 结果公示, 服务指南, 常见问题 and 友情链接 — one table `portal_items` with its `kind`, a draft → published →
//! retired life and a `publish_at` the server's clock must reach. `body` is rich text already sanitized on the
//! server. Attachments name files (`portal_attachments`); images inside rich text are files made public
//! through `portal_images`; 公示异议 are `portal_objections`, answered by the publisher.

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0029_portal"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("portal_items"))
                .col(id("id"))
                .col(s("kind", 20))
                .col(s("title", 200))
                .col(s("summary", 500))
                .col(text("body"))
                .col(s_null("url", 500))
                .col(s_null("call_id", 36))
                .col(s("area", 40))
                .col(s("project_type", 40))
                .col(ts_null("apply_opens_at"))
                .col(ts_null("apply_closes_at"))
                .col(s("industries", 200))
                .col(s("sizes", 100))
                .col(s("tags", 300))
                .col(s("regions", 200))
                .col(ts_null("period_ends_at"))
                .col(int_zero("sort"))
                .col(s("publisher_org_id", 36))
                .col(s("publisher_name", 200))
                .col(s_null("publisher_region", 12))
                .col(s("status", 20))
                .col(ts_null("publish_at"))
                .col(ts_null("retired_at"))
                .col(s("created_by", 36))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("portal_items", "portal_items_published", &["kind", "status", "publish_at"], false)).await?;
        m.create_index(idx("portal_items", "portal_items_publisher", &["publisher_org_id", "kind"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("portal_attachments"))
                .col(s("item_id", 36))
                .col(s("file_id", 36))
                .col(s("name", 200))
                .col(int_zero("sort"))
                .primary_key(Index::create().col(a("item_id")).col(a("file_id")))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("portal_attachments", "portal_attachments_file", &["file_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("portal_images"))
                .col(id("file_id"))
                .col(s("org_id", 36))
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("portal_objections"))
                .col(id("id"))
                .col(s("item_id", 36))
                .col(s("user_id", 36))
                .col(s("org_id", 36))
                .col(s("org_name", 200))
                .col(s("contact_name", 50))
                .col(s("contact_phone", 30))
                .col(text("content"))
                .col(text("files"))
                .col(text_null("answer"))
                .col(s_null("answered_by", 36))
                .col(ts_null("answered_at"))
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("portal_objections", "portal_objections_item", &["item_id", "created_at"], false)).await?;
        m.create_index(idx("portal_objections", "portal_objections_user", &["user_id"], false)).await?;
        Ok(())
    }
}
