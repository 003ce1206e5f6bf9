//! The review engine (spec 20): pinned flow versions, cases, their rounds' form snapshots, tasks (the
//! to-do lists), the append-only trail, idempotency keys, in-site notifications and the message board.
//!
//! The trail is append-only by rule and by trigger: UPDATE and DELETE on `review_trail` abort, on both
//! backends, so no code path (or hand-written SQL in a console) can rewrite what happened.

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0004_review"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("review_flows"))
                .col(s("key", 64))
                .col(int("version"))
                .col(s("name", 100))
                .col(text("spec"))
                .col(ColumnDef::new(a("is_current")).boolean().not_null())
                .col(s_null("created_by", 36))
                .col(ts("created_at"))
                .primary_key(Index::create().col(a("key")).col(a("version")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("review_bindings"))
                .col(s("placeholder", 64).primary_key().to_owned())
                .col(s("organization_id", 36))
                .foreign_key(&mut fk("review_bindings", "organization_id", "organizations", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("review_cases"))
                .col(s("id", 36).primary_key().to_owned())
                .col(s("kind", 64))
                .col(int("flow_version"))
                .col(s("owner_org_id", 36))
                .col(s("owner_user_id", 36))
                .col(s_null("owner_region_code", 12))
                .col(s("title", 200))
                .col(text("form"))
                .col(text("refs"))
                .col(text("state"))
                .col(s("status", 16))
                .col(int_null("stage"))
                .col(ColumnDef::new(a("version")).big_integer().not_null())
                .col(int("round"))
                .col(text_null("latest_opinion"))
                .col(s_null("latest_org_name", 200))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .col(ts_null("submitted_at"))
                .col(ts_null("completed_at"))
                .foreign_key(&mut fk("review_cases", "owner_org_id", "organizations", "id"))
                .foreign_key(&mut fk("review_cases", "owner_user_id", "users", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("review_cases", "idx_review_cases_owner", &["owner_org_id", "status", "updated_at"], false)).await?;
        m.create_index(idx("review_cases", "idx_review_cases_kind", &["kind", "status"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("review_rounds"))
                .col(s("case_id", 36))
                .col(int("round"))
                .col(text("form"))
                .col(ts("submitted_at"))
                .primary_key(Index::create().col(a("case_id")).col(a("round")))
                .foreign_key(&mut fk("review_rounds", "case_id", "review_cases", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("review_tasks"))
                .col(s("id", 36).primary_key().to_owned())
                .col(s("case_id", 36))
                .col(s("kind", 64))
                .col(int("stage"))
                .col(s("stage_key", 64))
                .col(s("stage_name", 100))
                .col(s("assignee_org_id", 36))
                // Denormalized from the case so the to-do list is one indexed query (90-quality: p95 < 50 ms
                // with a million cases).
                .col(s("title", 200))
                .col(s("applicant_name", 200))
                .col(s("state", 8))
                .col(s_null("outcome", 16))
                .col(ts("opened_at"))
                .col(ts_null("closed_at"))
                .col(ts_null("due_at"))
                .foreign_key(&mut fk("review_tasks", "case_id", "review_cases", "id"))
                .foreign_key(&mut fk("review_tasks", "assignee_org_id", "organizations", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("review_tasks", "idx_review_tasks_todo", &["assignee_org_id", "state", "opened_at"], false)).await?;
        m.create_index(idx("review_tasks", "idx_review_tasks_case", &["case_id", "state"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("review_trail"))
                .col(ColumnDef::new(a("id")).big_integer().not_null().auto_increment().primary_key())
                .col(s("case_id", 36))
                .col(int("round"))
                .col(int_null("stage"))
                .col(s_null("stage_name", 100))
                .col(s("action", 32))
                .col(s_null("return_to", 16))
                .col(s("actor_user_id", 36))
                .col(s("actor_name", 100))
                .col(s("actor_org_id", 36))
                .col(s("actor_org_name", 200))
                .col(s_null("actor_role", 32))
                .col(text_null("opinion"))
                .col(text("attachments"))
                .col(s("status_before", 16))
                .col(s("status_after", 16))
                .col(s_null("reason", 32))
                .col(ts("at"))
                .foreign_key(&mut fk("review_trail", "case_id", "review_cases", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("review_trail", "idx_review_trail_case", &["case_id", "id"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("review_idempotency"))
                .col(s("key", 120).primary_key().to_owned())
                .col(s("case_id", 36))
                .col(text("response"))
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("notifications"))
                .col(s("id", 36).primary_key().to_owned())
                .col(s("user_id", 36))
                .col(s_null("case_id", 36))
                .col(s("event", 32))
                .col(s("title", 200))
                .col(text("body"))
                .col(ts("created_at"))
                .col(ts_null("read_at"))
                .foreign_key(&mut fk("notifications", "user_id", "users", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("notifications", "idx_notifications_user", &["user_id", "read_at", "created_at"], false)).await?;
        m.create_table(
            Table::create()
                .table(a("case_messages"))
                .col(s("id", 36).primary_key().to_owned())
                .col(s("case_id", 36))
                .col(s("author_user_id", 36))
                .col(s("author_name", 100))
                .col(s("org_id", 36))
                .col(s("org_name", 200))
                .col(text("body"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("case_messages", "case_id", "review_cases", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("case_messages", "idx_case_messages_case", &["case_id", "created_at"], false)).await?;

        append_only(m.get_connection(), "review_trail", false).await?;
        Ok(())
    }
}
