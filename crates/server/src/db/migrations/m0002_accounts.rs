//! Accounts: personal data columns (encrypted, with keyed hashes for lookups), lockout counters, phone
//! logins, captchas, SMS codes and outbox, rate-limit windows, password history, profiles, departments,
//! materials, information change requests, the company registry.
//!
//! SQLite can add only one column per ALTER TABLE, hence one statement per column.

use sea_orm_migration::prelude::*;

use super::cols::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0002_accounts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(a("departments"))
                .col(id("id"))
                .col(s("organization_id", 36))
                .col(s_null("parent_id", 36))
                .col(s("name", 100))
                .col(s_null("leader", 50))
                .col(int_zero("sort_order"))
                .col(ColumnDef::new(a("enabled")).boolean().not_null().default(true))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("departments", "organization_id", "organizations", "id"))
                .foreign_key(&mut fk("departments", "parent_id", "departments", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("departments", "idx_departments_org", &["organization_id", "parent_id"], false)).await?;

        // Users: personal data is encrypted (`*_cipher`) with keyed hashes (`*_hash`) where a lookup by
        // value is needed; lockout counters; government user fields; menu permissions (JSON list).
        let user_columns = [
            s_null("phone_cipher", 255),
            s_null("phone_hash", 64),
            s_null("email", 100),
            s_null("user_type", 32),
            s_null("department_id", 36),
            s_null("identity_type", 32),
            s_null("identity_cipher", 255),
            s_null("remarks", 500),
            text_null("permissions"),
            int_zero("failed_logins"),
            ts_null("locked_until"),
        ];
        for col in user_columns {
            m.alter_table(Table::alter().table(a("users")).add_column(col).to_owned()).await?;
        }
        m.create_index(idx("users", "idx_users_org_phone", &["organization_id", "phone_hash"], false)).await?;

        // Sign-in by phone: one account per number, enforced by the primary key.
        m.create_table(
            Table::create()
                .table(a("phone_logins"))
                .col(ColumnDef::new(a("phone_hash")).string_len(64).not_null().primary_key())
                .col(s("user_id", 36))
                .foreign_key(&mut fk("phone_logins", "user_id", "users", "id").on_delete(ForeignKeyAction::Cascade).to_owned())
                .to_owned(),
        )
        .await?;
        m.create_index(idx("phone_logins", "idx_phone_logins_user", &["user_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("password_history"))
                .col(ColumnDef::new(a("id")).big_integer().not_null().auto_increment().primary_key())
                .col(s("user_id", 36))
                .col(s("password_hash", 255))
                .col(ts("created_at"))
                .foreign_key(&mut fk("password_history", "user_id", "users", "id").on_delete(ForeignKeyAction::Cascade).to_owned())
                .to_owned(),
        )
        .await?;
        m.create_index(idx("password_history", "idx_password_history_user", &["user_id", "created_at"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("captchas"))
                .col(id("id"))
                .col(s("answer_hash", 64))
                .col(ts("expires_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("captchas", "idx_captchas_expires", &["expires_at"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("sms_codes"))
                .col(id("id"))
                .col(s("phone_hash", 64))
                .col(s("purpose", 32))
                .col(s("code_hash", 64))
                .col(int_zero("attempts"))
                .col(ts("created_at"))
                .col(ts("expires_at"))
                .col(ts_null("used_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("sms_codes", "idx_sms_codes_phone", &["phone_hash", "purpose", "created_at"], false)).await?;
        m.create_index(idx("sms_codes", "idx_sms_codes_created", &["phone_hash", "created_at"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("sms_outbox"))
                .col(ColumnDef::new(a("id")).big_integer().not_null().auto_increment().primary_key())
                .col(s("phone_hash", 64))
                .col(s("phone_masked", 20))
                .col(s("text", 500))
                .col(ts("sent_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("sms_outbox", "idx_sms_outbox_phone", &["phone_hash", "sent_at"], false)).await?;

        // Fixed-window counters shared by every app instance.
        m.create_table(
            Table::create()
                .table(a("rate_limits"))
                .col(ColumnDef::new(a("key")).string_len(200).not_null().primary_key())
                .col(ts("window_start"))
                .col(ColumnDef::new(a("count")).big_integer().not_null())
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(a("organization_profiles"))
                .col(ColumnDef::new(a("organization_id")).string_len(36).not_null().primary_key())
                .col(s("certification_status", 16))
                .col(s_null("nature", 32))
                .col(s_null("category", 32))
                .col(s_null("size", 16))
                .col(s_null("main_product", 200))
                .col(s_null("sub_industry", 100))
                .col(s_null("quality_level", 32))
                .col(s_null("address", 255))
                .col(ColumnDef::new(a("headcount")).integer().null())
                .col(ColumnDef::new(a("digital_headcount")).integer().null())
                .col(text_null("intro"))
                .col(text_null("tags"))
                .col(s_null("industry_code", 8))
                .col(s_null("contact_name", 50))
                .col(s_null("contact_phone_cipher", 255))
                .col(text_null("service_scope"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("organization_profiles", "organization_id", "organizations", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("organization_profiles", "idx_profiles_cert", &["certification_status"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("org_change_requests"))
                .col(id("id"))
                .col(s("organization_id", 36))
                .col(s("requested_by", 36))
                .col(ColumnDef::new(a("payload")).text().not_null())
                .col(s("status", 16))
                .col(ts("created_at"))
                .foreign_key(&mut fk("org_change_requests", "organization_id", "organizations", "id"))
                .foreign_key(&mut fk("org_change_requests", "requested_by", "users", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("org_change_requests", "idx_change_requests_org", &["organization_id", "created_at"], false)).await?;

        m.create_table(
            Table::create()
                .table(a("materials"))
                .col(id("id"))
                .col(s("organization_id", 36))
                .col(s("category", 32))
                .col(s("title", 200))
                .col(s("file_id", 36))
                .col(ts("created_at"))
                .foreign_key(&mut fk("materials", "organization_id", "organizations", "id"))
                .foreign_key(&mut fk("materials", "file_id", "files", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("materials", "idx_materials_org", &["organization_id", "created_at"], false)).await?;

        // The local company registry behind registration's fuzzy search (importable from CSV/Excel).
        m.create_table(
            Table::create()
                .table(a("companies"))
                .col(ColumnDef::new(a("uscc")).string_len(18).not_null().primary_key())
                .col(s("name", 200))
                .col(s_null("region_code", 12))
                .col(s_null("address", 255))
                .col(s_null("industry_code", 8))
                .col(s_null("source", 100))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(idx("companies", "idx_companies_name", &["name"], false)).await?;
        m.create_index(idx("organizations", "idx_orgs_uscc_kind", &["uscc", "kind"], false)).await?;
        Ok(())
    }
}
